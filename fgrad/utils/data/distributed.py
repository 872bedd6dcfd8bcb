"""``DistributedSampler``: each process's share of a dataset's indices, as PyTorch's.

The index list is the dataset's order (or a permutation, when shuffling, seeded
with ``seed + epoch`` and the same on every process), padded to a multiple of
the number of processes by repeating its head (or cut to one, with
``drop_last=True``); process ``r`` takes every ``num_replicas``-th index from
``r``. Without shuffling the lists are exactly PyTorch's. The shuffled order
comes from NumPy's Philox generator (fgrad's host generator), not PyTorch's
Mersenne Twister, so it differs from ``torch``'s permutation for the same seed;
it has the same properties (one permutation per epoch, shared by the processes).
"""
from __future__ import annotations

import math
from typing import Iterator

import numpy as np

from ...distributed import _c10d


class DistributedSampler:
    """Restrict loading to this process's share of ``dataset`` (``len(dataset)`` items).

    >>> s = DistributedSampler(range(10), num_replicas=3, rank=0, shuffle=False)
    >>> list(s), len(s)
    ([0, 3, 6, 9], 4)
    >>> list(DistributedSampler(range(10), num_replicas=3, rank=2, shuffle=False))
    [2, 5, 8, 1]
    >>> list(DistributedSampler(range(10), num_replicas=3, rank=2, shuffle=False,
    ...                         drop_last=True))
    [2, 5, 8]
    """

    def __init__(self, dataset, num_replicas: int | None = None, rank: int | None = None,
                 shuffle: bool = True, seed: int = 0, drop_last: bool = False) -> None:
        if num_replicas is None:
            num_replicas = _c10d.get_world_size()
        if rank is None:
            rank = _c10d.get_rank()
        if rank >= num_replicas or rank < 0:
            raise ValueError(f"Invalid rank {rank}, rank should be in the interval "
                             f"[0, {num_replicas - 1}]")
        self.dataset = dataset
        self.num_replicas = num_replicas
        self.rank = rank
        self.epoch = 0
        self.drop_last = drop_last
        n = len(dataset)
        if drop_last and n % num_replicas != 0:
            self.num_samples = math.ceil((n - num_replicas) / num_replicas)
        else:
            self.num_samples = math.ceil(n / num_replicas)
        self.total_size = self.num_samples * num_replicas
        self.shuffle = shuffle
        self.seed = seed

    def __iter__(self) -> Iterator[int]:
        n = len(self.dataset)
        if self.shuffle:
            rng = np.random.Generator(np.random.Philox(self.seed + self.epoch))
            indices = rng.permutation(n).tolist()
        else:
            indices = list(range(n))
        if not self.drop_last:
            padding = self.total_size - len(indices)
            if padding <= len(indices):
                indices += indices[:padding]
            else:
                indices += (indices * math.ceil(padding / len(indices)))[:padding]
        else:
            indices = indices[:self.total_size]
        assert len(indices) == self.total_size
        indices = indices[self.rank:self.total_size:self.num_replicas]
        assert len(indices) == self.num_samples
        return iter(indices)

    def __len__(self) -> int:
        return self.num_samples

    def set_epoch(self, epoch: int) -> None:
        """Use the permutation of ``epoch`` next (call it at the start of every epoch)."""
        self.epoch = epoch
