"""``DataLoader``: batches of a dataset, as ``torch.utils.data.DataLoader``.

Everything runs in the calling process. ``num_workers > 0`` is accepted so code
written for PyTorch runs unchanged, but the batches are still produced in the main
process, in order (the result is the same as PyTorch's with workers; only the
overlap of loading and computing is missing). Options that only make sense with
worker processes (``worker_init_fn``, ``multiprocessing_context``,
``persistent_workers``, ``prefetch_factor``) are accepted and have no effect;
``pin_memory`` has no effect either (there is no pinned host memory).

>>> import fgrad
>>> from fgrad.utils.data import DataLoader, TensorDataset
>>> ds = TensorDataset(fgrad.arange(5.0), fgrad.arange(5))
>>> [y.tolist() for x, y in DataLoader(ds, batch_size=2)]
[[0, 1], [2, 3], [4]]
>>> len(DataLoader(ds, batch_size=2, drop_last=True))
2
"""
from __future__ import annotations

from typing import Any, Callable, Iterator

import numpy as np

from ._collate import default_collate, default_convert
from .dataset import Dataset, IterableDataset, TensorDataset
from .sampler import BatchSampler, RandomSampler, Sampler, SequentialSampler

__all__ = ["DataLoader", "get_worker_info"]


def get_worker_info():
    """``None``: the code always runs in the main process (see the module docstring)."""
    return None


class DataLoader:
    """Iterate over ``dataset`` in batches.

    ``batch_size`` samples per batch (``None`` turns batching off: each sample is
    converted with ``default_convert``), ``shuffle`` draws a new random order each epoch
    (from ``generator``, or a seed drawn from the global generator), ``sampler`` /
    ``batch_sampler`` give the order explicitly (any iterable of indices / of index
    lists with ``__len__``, such as ``DistributedSampler``), ``drop_last`` drops the
    last incomplete batch, ``collate_fn`` merges a list of samples (``default_collate``).
    """

    def __init__(self, dataset: Dataset, batch_size: int | None = 1,
                 shuffle: bool | None = None, sampler: Sampler | None = None,
                 batch_sampler=None, num_workers: int = 0,
                 collate_fn: Callable | None = None, pin_memory: bool = False,
                 drop_last: bool = False, timeout: float = 0,
                 worker_init_fn: Callable | None = None, multiprocessing_context=None,
                 generator=None, *, prefetch_factor: int | None = None,
                 persistent_workers: bool = False, pin_memory_device: str = "",
                 in_order: bool = True):
        if num_workers < 0:
            raise ValueError("num_workers option should be non-negative; use num_workers=0 "
                             "to disable multiprocessing.")
        if timeout < 0:
            raise ValueError("timeout option should be non-negative")
        if num_workers == 0 and prefetch_factor is not None:
            raise ValueError("prefetch_factor option could only be specified in "
                             "multiprocessing.let num_workers > 0 to enable multiprocessing, "
                             "otherwise set prefetch_factor to None.")
        if persistent_workers and num_workers == 0:
            raise ValueError("persistent_workers option needs num_workers > 0")
        self.dataset = dataset
        self.num_workers = num_workers
        self.pin_memory = pin_memory
        self.timeout = timeout
        self.worker_init_fn = worker_init_fn
        self.multiprocessing_context = multiprocessing_context
        self.prefetch_factor = prefetch_factor
        self.persistent_workers = persistent_workers
        self.generator = generator
        self._iterable = isinstance(dataset, IterableDataset)
        if self._iterable:
            if isinstance(shuffle, bool) and shuffle:
                raise ValueError("DataLoader with IterableDataset: expected unspecified "
                                 f"shuffle option, but got shuffle={shuffle}")
            if sampler is not None:
                raise ValueError("DataLoader with IterableDataset: expected unspecified "
                                 f"sampler option, but got sampler={sampler}")
            if batch_sampler is not None:
                raise ValueError("DataLoader with IterableDataset: expected unspecified "
                                 f"batch_sampler option, but got batch_sampler={batch_sampler}")
        shuffle = bool(shuffle)
        if sampler is not None and shuffle:
            raise ValueError("sampler option is mutually exclusive with shuffle")
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise ValueError("batch_sampler option is mutually exclusive with batch_size, "
                                 "shuffle, sampler, and drop_last")
            batch_size = None
            drop_last = False
        elif batch_size is None and drop_last:
            raise ValueError("batch_size=None option disables auto-batching and is mutually "
                             "exclusive with drop_last")
        if sampler is None and not self._iterable:
            sampler = (RandomSampler(dataset, generator=generator) if shuffle
                       else SequentialSampler(dataset))
        if batch_size is not None and batch_sampler is None and not self._iterable:
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)
        self.batch_size = batch_size
        self.drop_last = drop_last
        self.sampler = sampler
        self.batch_sampler = batch_sampler
        if collate_fn is None:
            collate_fn = default_collate if self._auto_collation else default_convert
        self.collate_fn = collate_fn

    @property
    def _auto_collation(self) -> bool:
        return self.batch_sampler is not None or (self._iterable and
                                                  self.batch_size is not None)

    def __len__(self) -> int:
        if self._iterable:
            n = len(self.dataset)
            if self.batch_size is not None:
                n = n // self.batch_size if self.drop_last else \
                    -(-n // self.batch_size)
            return n
        return len(self.batch_sampler if self._auto_collation else self.sampler)

    def __iter__(self) -> Iterator[Any]:
        if self._iterable:
            return self._iter_stream()
        if not self._auto_collation:
            return (self.collate_fn(self.dataset[i]) for i in self.sampler)
        return (self._fetch(indices) for indices in self.batch_sampler)

    def _fetch(self, indices: list) -> Any:
        ds = self.dataset
        # fast path: a TensorDataset batch under default_collate is each tensor indexed
        # by the index list (one gather per tensor instead of len(indices) indexings and
        # a stack); the same values as the general path below
        if type(ds) is TensorDataset and self.collate_fn is default_collate:
            idx = np.asarray(list(indices), dtype=np.int64)
            return [t[idx] for t in ds.tensors]
        if callable(getattr(ds, "__getitems__", None)):
            samples = ds.__getitems__(list(indices))
        else:
            samples = [ds[i] for i in indices]
        return self.collate_fn(samples)

    def _iter_stream(self):
        if self.batch_size is None:
            for sample in self.dataset:
                yield self.collate_fn(sample)
            return
        batch = []
        for sample in self.dataset:
            batch.append(sample)
            if len(batch) == self.batch_size:
                yield self.collate_fn(batch)
                batch = []
        if batch and not self.drop_last:
            yield self.collate_fn(batch)
