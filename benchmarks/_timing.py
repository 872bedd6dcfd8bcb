"""Timing shared by the benchmark scripts (run as ``python benchmarks/<script>.py``)."""
from __future__ import annotations

import statistics
import time
from typing import Callable, Sequence


def median_times(fs: Sequence[Callable[[], object]], repeat: int) -> list[float]:
    """Median wall time of each of ``fs``, measured in interleaved rounds (so a busy
    machine slows every row alike); each runs once first (path caches, BLAS threads)."""
    for f in fs:
        f()
    times = [[] for _ in fs]
    for _ in range(repeat):
        for f, ts in zip(fs, times):
            t0 = time.perf_counter()
            f()
            ts.append(time.perf_counter() - t0)
    return [statistics.median(ts) for ts in times]
