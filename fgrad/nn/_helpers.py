"""Small helpers shared by the ``torch.nn.functional`` files (``_losses.py``,
``_normalization.py`` ...): which face an input belongs to, reductions, graph-node
names and constants built next to an input."""
from __future__ import annotations

import numpy as np

from ..primitives.creation import from_host
from ..facade.tensor import Tensor, name_node
from ..facade.tape import graph_mark
from ..transforms.core import Tracer

__all__ = ["is_tensor", "legacy_reduction", "reduce", "rename", "const_like", "concrete",
           "graph_mark", "axis_or_dim"]


def is_tensor(x) -> bool:
    return isinstance(x, Tensor)


def axis_or_dim(axis, dim, default=-1):
    """The reduction axis given as JAX's ``axis`` or PyTorch's ``dim`` (not two different)."""
    if dim is not None:
        if axis is not None and axis != dim:
            raise TypeError("give the reduction axis as axis= or dim=, not both")
        return dim
    return default if axis is None else axis


def legacy_reduction(size_average, reduce_, reduction: str) -> str:
    """PyTorch's ``size_average``/``reduce`` (deprecated) turned into a ``reduction``."""
    if size_average is None and reduce_ is None:
        return reduction
    size_average = True if size_average is None else size_average
    reduce_ = True if reduce_ is None else reduce_
    return ("mean" if size_average else "sum") if reduce_ else "none"


def check_reduction(reduction: str, allowed=("mean", "sum", "none")) -> None:
    if reduction not in allowed:
        raise ValueError(f"{reduction} is not a valid value for reduction")


def reduce(loss, reduction: str):
    check_reduction(reduction)
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


def rename(out, name: str, since: int = -1):
    """Show the last graph node of a facade result under PyTorch's name
    (``BinaryCrossEntropyBackward0``) if it was recorded after ``since``."""
    return name_node(out, name, since) if isinstance(out, Tensor) else out


def const_like(host: np.ndarray, like):
    """Host data as a constant on ``like``'s device: a Tensor for a Tensor, else an Array."""
    arr = from_host(np.ascontiguousarray(host), like.device)
    return Tensor._wrap(arr) if isinstance(like, Tensor) else arr


def concrete(x) -> bool:
    """Whether ``x``'s value is known now (not a tracer inside a transform)."""
    if isinstance(x, Tensor):
        return not isinstance(x._data, Tracer)
    return not isinstance(x, Tracer)
