"""The one method surface shared by ``Array`` and every tracer.

Each operator or method forwards to the ``fgrad.numpy`` function of the same
meaning, so ``x.sum()`` means the same on an Array, under ``grad`` and under
``vmap``. ``fnp`` is bound when ``fgrad.numpy`` is imported.
"""
from __future__ import annotations

fnp = None  # fgrad.numpy, bound on import (it imports this module)
bind = _B = _U = None  # transforms.core.bind and the binary/unary primitive modules, bound likewise


def _axes_arg(args):
    if len(args) == 1 and (args[0] is None or isinstance(args[0], (tuple, list))):
        return args[0]
    return args or None


class ArrayMethods:
    __slots__ = ()

    # arithmetic (the hottest operators bind their primitive directly: one call less)
    def __add__(self, o): return bind(_B.add_p, self, o)
    def __radd__(self, o): return bind(_B.add_p, o, self)
    def __sub__(self, o): return bind(_B.sub_p, self, o)
    def __rsub__(self, o): return bind(_B.sub_p, o, self)
    def __mul__(self, o): return bind(_B.mul_p, self, o)
    def __rmul__(self, o): return bind(_B.mul_p, o, self)
    def __truediv__(self, o): return bind(_B.div_p, self, o)
    def __rtruediv__(self, o): return bind(_B.div_p, o, self)
    def __floordiv__(self, o): return fnp.floor_divide(self, o)
    def __rfloordiv__(self, o): return fnp.floor_divide(o, self)
    def __mod__(self, o): return fnp.remainder(self, o)
    def __rmod__(self, o): return fnp.remainder(o, self)
    def __pow__(self, o): return bind(_B.pow_p, self, o)
    def __rpow__(self, o): return bind(_B.pow_p, o, self)
    def __matmul__(self, o): return fnp.matmul(self, o)
    def __rmatmul__(self, o): return fnp.matmul(o, self)
    def __divmod__(self, o): return fnp.floor_divide(self, o), fnp.remainder(self, o)
    def __neg__(self): return bind(_U.neg_p, self)
    def __pos__(self): return self
    def __abs__(self): return fnp.abs(self)
    def __invert__(self): return fnp.invert(self)
    # comparisons and logic
    def __eq__(self, o): return fnp.equal(self, o)
    def __ne__(self, o): return fnp.not_equal(self, o)
    def __lt__(self, o): return fnp.less(self, o)
    def __le__(self, o): return fnp.less_equal(self, o)
    def __gt__(self, o): return fnp.greater(self, o)
    def __ge__(self, o): return fnp.greater_equal(self, o)
    def __and__(self, o): return fnp.bitwise_and(self, o)
    def __rand__(self, o): return fnp.bitwise_and(o, self)
    def __or__(self, o): return fnp.bitwise_or(self, o)
    def __ror__(self, o): return fnp.bitwise_or(o, self)
    def __xor__(self, o): return fnp.bitwise_xor(self, o)
    def __rxor__(self, o): return fnp.bitwise_xor(o, self)

    # indexing
    def __getitem__(self, idx): return fnp._index(self, idx, "clip")   # JAX: clamp

    @property
    def at(self):
        """Functional updates: ``x.at[idx].set(v)``, ``.add(v)``, ``.multiply(v)``, ``.min(v)``, ``.max(v)``, ``.get()``."""
        return fnp._IndexUpdateHelper(self)

    # shape
    @property
    def T(self): return fnp.transpose(self)

    @property
    def mT(self): return fnp.swapaxes(self, -1, -2)

    def reshape(self, *shape, order="C"):
        return fnp.reshape(self, shape[0] if len(shape) == 1 else shape, order=order)

    def transpose(self, *axes): return fnp.transpose(self, _axes_arg(axes))
    def swapaxes(self, a, b): return fnp.swapaxes(self, a, b)
    def squeeze(self, axis=None): return fnp.squeeze(self, axis)
    def flatten(self): return fnp.ravel(self)
    def ravel(self): return fnp.ravel(self)
    def repeat(self, repeats, axis=None): return fnp.repeat(self, repeats, axis)
    def astype(self, dtype): return fnp.astype(self, dtype)
    def copy(self): return fnp.array(self, copy=True)

    # reductions: NumPy's ndarray signatures (``out`` must be None: arrays are immutable)
    def sum(self, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=None):
        return fnp.sum(self, axis, dtype, out, keepdims, initial, where)

    def prod(self, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=None):
        return fnp.prod(self, axis, dtype, out, keepdims, initial, where)

    def mean(self, axis=None, dtype=None, out=None, keepdims=False, *, where=None):
        return fnp.mean(self, axis, dtype, out, keepdims, where=where)

    def var(self, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=None,
            mean=None, correction=None):
        return fnp.var(self, axis, dtype, out, ddof, keepdims, where=where, mean=mean,
                       correction=correction)

    def std(self, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=None,
            mean=None, correction=None):
        return fnp.std(self, axis, dtype, out, ddof, keepdims, where=where, mean=mean,
                       correction=correction)

    def max(self, axis=None, out=None, keepdims=False, initial=None, where=None):
        return fnp.max(self, axis, out, keepdims, initial, where)

    def min(self, axis=None, out=None, keepdims=False, initial=None, where=None):
        return fnp.min(self, axis, out, keepdims, initial, where)

    def argmax(self, axis=None, out=None, *, keepdims=False):
        return fnp.argmax(self, axis, out, keepdims=keepdims)

    def argmin(self, axis=None, out=None, *, keepdims=False):
        return fnp.argmin(self, axis, out, keepdims=keepdims)

    def all(self, axis=None, out=None, keepdims=False, *, where=None):
        return fnp.all(self, axis, out, keepdims, where=where)

    def any(self, axis=None, out=None, keepdims=False, *, where=None):
        return fnp.any(self, axis, out, keepdims, where=where)

    def cumsum(self, axis=None, dtype=None, out=None): return fnp.cumsum(self, axis, dtype, out)
    def cumprod(self, axis=None, dtype=None, out=None): return fnp.cumprod(self, axis, dtype, out)
    def ptp(self, axis=None, out=None, keepdims=False): return fnp.ptp(self, axis, out, keepdims)

    # sorting and searching: new arrays, as jax.Array's (NumPy's ndarray.sort is in place)
    def sort(self, axis=-1, *, kind=None, order=None, stable=True, descending=False):
        return fnp.sort(self, axis, kind, order, stable=stable, descending=descending)

    def argsort(self, axis=-1, *, kind=None, order=None, stable=True, descending=False):
        return fnp.argsort(self, axis, kind, order, stable=stable, descending=descending)

    def nonzero(self, *, size=None, fill_value=None):
        return fnp.nonzero(self, size=size, fill_value=fill_value)

    def searchsorted(self, v, side="left", sorter=None):
        return fnp.searchsorted(self, v, side, sorter)

    # math
    def dot(self, o): return fnp.dot(self, o)
    def clip(self, min=None, max=None): return fnp.clip(self, min, max)
    def round(self, decimals=0): return fnp.round(self, decimals)
    def conj(self): return fnp.conj(self)
    def diagonal(self, offset=0, axis1=0, axis2=1): return fnp.diagonal(self, offset, axis1, axis2)
    def trace(self, offset=0, axis1=0, axis2=1): return fnp.trace(self, offset, axis1, axis2)

    @property
    def real(self): return fnp.real(self)

    @property
    def imag(self): return fnp.imag(self)
