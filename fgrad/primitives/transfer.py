"""``device_put``: move an array between devices (linear; its VJP moves it back)."""
from __future__ import annotations

from .._array import wrap_raw
from ..devices import CPU, device_of_raw, get as get_device
from ..transforms.core import ShapedArray
from .core import Primitive, deflinear, elementwise_batch_rule

device_put_p = Primitive("device_put", grad_fn_name="ToCopyBackward0")


def _impl(xp, x, device):
    src = device_of_raw(x) if not isinstance(x, (int, float, bool, complex)) else CPU
    if src is device:
        return x
    return device.from_host(src.to_host(x))


def _apply(device, values, args, params):
    target = params["device"]
    try:
        out = _impl(device.xp, values[0], target)
    except Exception as e:
        raise device_put_p.explain(e, args, params) from e
    return wrap_raw(out, target)


device_put_p.def_impl(_impl)
device_put_p.apply = _apply
device_put_p.def_abstract_eval(lambda x, device: ShapedArray(x.shape, x.dtype, device))
deflinear(device_put_p, lambda ct, x, device: device_put_p.bind(ct, device=x.device))
device_put_p.batch = elementwise_batch_rule(device_put_p)


def device_put(x, device=None):
    """The array or traced value ``x`` on ``device`` (a Device, 'cpu', 'cuda', 'cuda:N');
    a no-op if already there. ``fgrad.device_put`` also takes host data (lists, NumPy).

    >>> import fgrad.numpy as fnp
    >>> device_put(fnp.ones(2), 'cpu').device
    device(type='cpu')
    """
    dev = get_device(device)
    if getattr(x, "device", None) is dev:
        return x
    return device_put_p.bind(x, device=dev)
