"""Eager ``fgrad.numpy.fft`` against the NumPy call it wraps (and torch/jax when importable).

For each transform and size: the median time of ``fnp.fft.<name>(x)`` (one primitive,
one backend call) over the median of ``np.fft.<name>(x)`` on the same data; the
target is a ratio <= 1.3. Values are checked against NumPy first.

    python benchmarks/fft.py [--repeat 200]
"""
from __future__ import annotations

import argparse

import numpy as np

import fgrad.numpy as fnp
from _timing import median_times  # noqa: E402  (benchmarks/_timing.py)

CASES = [("fft", (64,), np.complex128), ("fft", (4096,), np.complex128),
         ("fft", (64, 1024), np.complex128), ("rfft", (64,), np.float64),
         ("rfft", (4096,), np.float64), ("rfft", (64, 1024), np.float32),
         ("irfft", (2049,), np.complex128), ("fft2", (256, 256), np.complex64),
         ("rfftn", (32, 32, 32), np.float64)]




def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=200)
    args = ap.parse_args()
    try:
        import torch
    except ImportError:
        torch = None
    rng = np.random.default_rng(0)
    print("| op | shape | dtype | NumPy (us) | fgrad (us) | fgrad / NumPy |"
          + (" torch (us) |" if torch else ""))
    print("|---|---|---|---|---|---|" + ("---|" if torch else ""))
    for name, shape, dtype in CASES:
        x = rng.standard_normal(shape)
        if np.dtype(dtype).kind == "c":
            x = x + 1j * rng.standard_normal(shape)
        x = x.astype(dtype)
        fx = fnp.asarray(x)
        np_f, f_f = getattr(np.fft, name), getattr(fnp.fft, name)
        np.testing.assert_allclose(np.asarray(f_f(fx)), np_f(x), rtol=1e-4, atol=1e-3)
        fs = [lambda: np_f(x), lambda: f_f(fx)]
        if torch:
            tx = torch.from_numpy(x)
            t_f = getattr(torch.fft, name)
            fs.append(lambda: t_f(tx))
        ts = median_times(fs, args.repeat)
        row = (f"| {name} | {shape} | {np.dtype(dtype).name} | {ts[0] * 1e6:.1f} | "
               f"{ts[1] * 1e6:.1f} | {ts[1] / ts[0]:.2f}x |")
        if torch:
            row += f" {ts[2] * 1e6:.1f} |"
        print(row)


if __name__ == "__main__":
    main()
