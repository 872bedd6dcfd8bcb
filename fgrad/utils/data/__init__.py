"""``fgrad.utils.data``: PyTorch's data loading (``torch.utils.data``) on facade tensors.

>>> import fgrad
>>> from fgrad.utils.data import DataLoader, TensorDataset
>>> x, y = fgrad.randn(10, 3), fgrad.arange(10)
>>> loader = DataLoader(TensorDataset(x, y), batch_size=4, shuffle=True,
...                     generator=fgrad.Generator().manual_seed(0))
>>> [tuple(xb.shape) for xb, yb in loader]
[(4, 3), (4, 3), (2, 3)]
"""
from .dataset import (Dataset, IterableDataset, TensorDataset, ConcatDataset, ChainDataset,
                      Subset, random_split)
from .sampler import (Sampler, SequentialSampler, RandomSampler, SubsetRandomSampler,
                      WeightedRandomSampler, BatchSampler)
from ._collate import default_collate, default_convert
from .dataloader import DataLoader, get_worker_info
from . import distributed
from .distributed import DistributedSampler

__all__ = ["Dataset", "IterableDataset", "TensorDataset", "ConcatDataset", "ChainDataset",
           "Subset", "random_split", "Sampler", "SequentialSampler", "RandomSampler",
           "SubsetRandomSampler", "WeightedRandomSampler", "BatchSampler", "default_collate",
           "default_convert", "DataLoader", "get_worker_info", "DistributedSampler"]
