"""Indexing for ``fgrad.numpy`` (basic slicing only, for now)."""
from ..primitives import shape as S

__all__ = []


def _index(x, idx):
    raise NotImplementedError("indexing is being built")


class _IndexUpdateHelper:
    def __init__(self, x):
        self.x = x
