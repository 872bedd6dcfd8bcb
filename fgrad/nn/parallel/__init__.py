"""``fgrad.nn.parallel``: ``DistributedDataParallel`` (one process per replica, over
``fgrad.distributed``).

>>> from fgrad.nn.parallel import DistributedDataParallel as DDP
>>> DDP.__name__
'DistributedDataParallel'
"""
from .distributed import DistributedDataParallel  # noqa: F401

__all__ = ["DistributedDataParallel"]
