"""``fgrad.Generator``: a random-number generator object, as ``torch.Generator``.

It wraps a NumPy ``Generator`` (Philox bit generator, as the global facade generator),
so the numbers differ from PyTorch's for the same seed; a seeded generator is
reproducible on its own, independently of ``fgrad.manual_seed``.

>>> import fgrad
>>> g = fgrad.Generator().manual_seed(0)
>>> a = fgrad.randperm(5, generator=g).tolist()
>>> a == fgrad.randperm(5, generator=fgrad.Generator().manual_seed(0)).tolist()
True
"""
from __future__ import annotations

import json

import numpy as np

from .tensor_base import TensorBase

__all__ = ["Generator"]

_DEFAULT_SEED = 67280421310721      # PyTorch's initial seed


class Generator:
    """A seeded source of random numbers for ``generator=`` arguments (``randperm``,
    ``rand``, ``randn``, ``randint``, ``DataLoader``, ``random_split``, samplers)."""

    def __init__(self, device="cpu"):
        self.device = device
        self._seed = _DEFAULT_SEED
        self._np = np.random.Generator(np.random.Philox(_DEFAULT_SEED))

    def manual_seed(self, seed: int) -> "Generator":
        """Reseed and return ``self``."""
        seed = int(seed)
        self._seed = seed
        self._np = np.random.Generator(np.random.Philox(seed % 2 ** 64))
        return self

    def seed(self) -> int:
        """Reseed from the OS; returns the seed."""
        s = int(np.random.SeedSequence().entropy % 2 ** 63)
        self.manual_seed(s)
        return s

    def initial_seed(self) -> int:
        return self._seed

    def get_state(self):
        """The state as a ``uint8`` tensor (its own encoding, not PyTorch's)."""
        raw = json.dumps(_encode(self._np.bit_generator.state)).encode()
        return TensorBase._wrap(np.frombuffer(raw, dtype=np.uint8).copy())

    def set_state(self, new_state) -> "Generator":
        raw = bytes(int(v) for v in new_state.tolist())
        self._np.bit_generator.state = _decode(json.loads(raw.decode()))
        return self

    def __repr__(self) -> str:
        return f"<fgrad.Generator object at {id(self):#x}>"


def _encode(state):
    """A bit generator's state as JSON data (arrays as tagged lists)."""
    if isinstance(state, dict):
        return {k: _encode(v) for k, v in state.items()}
    if isinstance(state, np.ndarray):
        return {"__ndarray__": state.tolist(), "dtype": state.dtype.str}
    return state


def _decode(state):
    if isinstance(state, dict):
        if "__ndarray__" in state:
            return np.asarray(state["__ndarray__"], dtype=state["dtype"])
        return {k: _decode(v) for k, v in state.items()}
    return state


def numpy_rng(generator, default: np.random.Generator) -> np.random.Generator:
    """The NumPy generator behind a ``generator=`` argument (``default`` for ``None``)."""
    if generator is None:
        return default
    if isinstance(generator, Generator):
        return generator._np
    if isinstance(generator, np.random.Generator):
        return generator
    raise TypeError(f"generator must be an fgrad.Generator, got {type(generator).__name__}")
