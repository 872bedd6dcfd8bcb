"""Run a tutorial script with ``torch`` bound to fgrad or to PyTorch, deterministically.

    python examples/tutorials/_runner.py [--backend fgrad|torch] SCRIPT

The scripts say ``import fgrad as torch``. With ``--backend torch`` the name
``fgrad`` is bound to PyTorch itself (plus JAX-named ``grad`` and
``value_and_grad`` built on ``torch.func``), so the same text prints what
PyTorch prints. See README.md for the scheme:

* a script is split into cells at ``# %%`` lines; each cell's output is headed
  by its ``# %%`` line, and a cell that raises prints ``!! Type: message`` and
  the next cell still runs (so one missing feature hides nothing else);
* the values drawn by ``rand randn rand_like randn_like randint randperm
  normal`` are replaced, after the library's own call has run, by values from a
  NumPy generator (``manual_seed(s)`` restarts it at ``s``), identical for
  both libraries;
* the library's ``__version__`` prints as ``<version>``.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import os
import re
import sys
import traceback
import types

import numpy as np

CELL = re.compile(r"^# %%.*$", re.M)
RANDOM_FUNCTIONS = ("rand", "randn", "rand_like", "randn_like", "randint", "randperm", "normal")


def split_cells(source: str) -> list[tuple[str, int, str]]:
    """``(header, first_line, code)`` per ``# %%`` cell; code before the first is a cell too."""
    marks = list(CELL.finditer(source))
    cells = []
    starts = [0] + [m.start() for m in marks] + [len(source)]
    for a, b in zip(starts, starts[1:]):
        chunk = source[a:b]
        if not chunk.strip():
            continue
        header = chunk.splitlines()[0] if CELL.match(chunk) else ""
        cells.append((header, source.count("\n", 0, a), chunk))
    return cells


def torch_as_fgrad() -> types.ModuleType:
    """PyTorch under the name ``fgrad``, with JAX-named transforms from ``torch.func``."""
    import torch
    import torch.func

    class TorchAsFgrad(types.ModuleType):
        def __getattr__(self, name):
            return getattr(torch, name)

    mod = TorchAsFgrad("fgrad")
    mod.__version__ = torch.__version__

    def grad(f, argnums=0, has_aux=False):
        return torch.func.grad(f, argnums=argnums, has_aux=has_aux)

    def value_and_grad(f, argnums=0, has_aux=False):
        g = torch.func.grad_and_value(f, argnums=argnums, has_aux=has_aux)

        def value_and_grad_f(*args, **kwargs):
            gradient, value = g(*args, **kwargs)
            return value, gradient
        return value_and_grad_f

    mod.grad, mod.value_and_grad = grad, value_and_grad
    return mod


class RandomNormaliser:
    """Replaces the values of a library's random functions by a shared NumPy stream."""

    def __init__(self, mod):
        self.mod = mod
        self.rng = np.random.default_rng(0)

    def install(self, target) -> None:
        real_seed = getattr(self.mod, "manual_seed", None)
        if real_seed is not None:
            def manual_seed(seed):
                self.rng = np.random.default_rng(int(seed))
                return real_seed(seed)
            target.manual_seed = manual_seed
        for name in RANDOM_FUNCTIONS:
            real = getattr(self.mod, name, None)
            if real is not None:
                setattr(target, name, self.wrap(name, real))

    def wrap(self, name, real):
        def normalised(*args, **kwargs):
            out = real(*args, **kwargs)     # the library's own call: shape, dtype, device, errors
            values = self.draw(name, tuple(out.shape), args, kwargs)
            return self.mod.tensor(values, dtype=out.dtype, device=out.device,
                                   requires_grad=out.requires_grad)
        normalised.__name__ = name
        normalised.__wrapped__ = real
        return normalised

    def draw(self, name, shape, args, kwargs):
        rng = self.rng
        if name in ("rand", "rand_like"):
            return rng.random(shape)
        if name in ("randn", "randn_like"):
            return rng.standard_normal(shape)
        if name == "randperm":
            return rng.permutation(shape[0])
        if name == "randint":
            ints = [a for a in args if isinstance(a, int)]
            low, high = (0, ints[0]) if len(ints) == 1 else ints[:2]
            low, high = kwargs.get("low", low), kwargs.get("high", high)
            return rng.integers(low, high, shape)
        if name == "normal":
            mean = _as_numpy(kwargs.get("mean", args[0] if args else 0.0))
            std = _as_numpy(kwargs.get("std", args[1] if len(args) > 1 else 1.0))
            return mean + std * rng.standard_normal(shape)
        raise ValueError(name)


def _as_numpy(v):
    return np.asarray(v.detach().cpu().numpy() if hasattr(v, "detach") else v, np.float64)


def run(path: str, backend: str) -> str:
    """Run the script at ``path`` cell by cell; returns what it printed (normalised)."""
    if backend == "torch":
        mod = torch_as_fgrad()
        sys.modules["fgrad"] = mod
        import torch
        RandomNormaliser(torch).install(mod)
        version = torch.__version__
    else:
        import fgrad as mod
        RandomNormaliser(mod).install(mod)
        version = mod.__version__
    with open(path, encoding="utf-8") as f:
        source = f.read()
    namespace = {"__name__": "__main__", "__file__": path}
    out = io.StringIO()
    for header, line, code in split_cells(source):
        if header:
            print(header, file=out)
        try:
            with contextlib.redirect_stdout(out):
                exec(compile("\n" * line + code, path, "exec"), namespace)
        except Exception as e:  # report and go on with the next cell
            lines = [fr.lineno for fr in traceback.extract_tb(e.__traceback__)
                     if fr.filename == path]
            print(f"!! {type(e).__name__}: {e}  [{os.path.basename(path)} line {lines[-1]}]",
                  file=out)
            traceback.print_exc(file=sys.stderr)
    return out.getvalue().replace(version, "<version>")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--backend", choices=("fgrad", "torch"), default="fgrad")
    p.add_argument("script")
    a = p.parse_args(argv)
    sys.stdout.write(run(a.script, a.backend))
    return 0


if __name__ == "__main__":
    sys.exit(main())
