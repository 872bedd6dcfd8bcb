"""A profiler under PyTorch's names: ``fgrad.profiler.profile``, ``record_function``,
``ProfilerActivity`` (also ``fgrad.autograd.profiler.profile``).

It records the time of every primitive that runs (``fgrad::mul``, ``fgrad::sin`` ...:
the eager cost of fgrad is Python dispatch plus these backend calls) and of every user
region opened with ``record_function``; ``key_averages().table(sort_by=...)`` prints
PyTorch's columns (Name, Self CPU %, Self CPU, CPU total %, CPU total, CPU time avg,
# of Calls, and Input Shapes with ``record_shapes`` and ``group_by_input_shape``).

It costs nothing while no profile is active: entering one routes every primitive
through a timed ``Primitive.apply`` (the backend-function shortcut of ``bind`` is
switched off for the duration) and leaving it puts everything back. A profile is
process-wide (one at a time). Programs compiled by ``jit`` run without ``bind``: their
time goes to the enclosing region (a function first compiled while a profile is active
keeps calling ``impl`` instead of the backend function, a slightly slower replay). The
facade's in-place NumPy fast path (``add_`` on plain buffers) is not seen.

>>> import fgrad as torch
>>> from fgrad.profiler import profile, record_function
>>> with profile(record_shapes=True) as prof:
...     with record_function("model"):
...         y = (torch.ones(3) * 2).sin()
>>> [e.key for e in prof.key_averages()]
['model', 'fgrad::mul', 'fgrad::sin']
"""
from __future__ import annotations

import enum
import functools
import json
import time
from typing import Callable

from .primitives.core import REGISTRY, Primitive

__all__ = ["profile", "record_function", "ProfilerActivity", "EventList", "FunctionEventAvg"]


class ProfilerActivity(enum.Enum):
    CPU = "CPU"
    CUDA = "CUDA"


_ACTIVE: list = []        # the profile being recorded (at most one)


class FunctionEvent:
    """One timed call: a primitive or a ``record_function`` region (times in us)."""

    __slots__ = ("name", "start_us", "cpu_time_total", "self_cpu_time_total",
                 "input_shapes", "depth")

    def __init__(self, name, start_us, total, self_time, input_shapes, depth):
        self.name, self.start_us, self.depth = name, start_us, depth
        self.cpu_time_total, self.self_cpu_time_total = total, self_time
        self.input_shapes = input_shapes

    @property
    def key(self) -> str:
        return self.name

    def __repr__(self):
        return (f"<FunctionEvent name={self.name} cpu_time_total={self.cpu_time_total:.3f}us "
                f"self_cpu_time_total={self.self_cpu_time_total:.3f}us>")


class FunctionEventAvg:
    """The calls of one name (and input shapes, when grouped by them), summed."""

    def __init__(self, key, input_shapes=None):
        self.key, self.input_shapes = key, input_shapes
        self.count = 0
        self.cpu_time_total = self.self_cpu_time_total = 0.0

    def add(self, e: FunctionEvent) -> "FunctionEventAvg":
        self.count += 1
        self.cpu_time_total += e.cpu_time_total
        self.self_cpu_time_total += e.self_cpu_time_total
        return self

    @property
    def cpu_time(self) -> float:
        """The average total time of one call (us)."""
        return self.cpu_time_total / max(self.count, 1)

    cpu_time_avg = cpu_time

    def __repr__(self):
        return (f"<FunctionEventAvg key={self.key} self_cpu_time={self.self_cpu_time_total:.3f}"
                f"us cpu_time={self.cpu_time_total:.3f}us count={self.count}>")


def _format_time(us: float) -> str:
    """PyTorch's time format: us below a millisecond, ms below a second, else s."""
    if us >= 1e6:
        return f"{us / 1e6:.3f}s"
    if us >= 1e3:
        return f"{us / 1e3:.3f}ms"
    return f"{us:.3f}us"


_SORT_KEYS = {"cpu_time_total": "cpu_time_total", "self_cpu_time_total": "self_cpu_time_total",
              "cpu_time": "cpu_time", "cpu_time_avg": "cpu_time", "count": "count"}


class EventList(list):
    """Events (or their averages) with PyTorch's ``table``."""

    def table(self, sort_by: str | None = None, row_limit: int = 100,
              max_name_column_width: int = 55, header: str | None = None,
              top_level_events_only: bool = False) -> str:
        """PyTorch's table: one row per event name, sorted (descending) by ``sort_by``
        ('cpu_time_total', 'self_cpu_time_total', 'cpu_time', 'count'), at most
        ``row_limit`` rows, and the total self time underneath."""
        rows = list(self)
        if sort_by is not None:
            if sort_by not in _SORT_KEYS:
                raise ValueError(f"sort_by must be one of {sorted(_SORT_KEYS)} (PyTorch's "
                                 f"CPU keys), got {sort_by!r}")
            rows.sort(key=lambda e: getattr(e, _SORT_KEYS[sort_by]), reverse=True)
        if row_limit is not None and row_limit >= 0:
            rows = rows[:row_limit]
        total_self = sum(e.self_cpu_time_total for e in self) or 1.0
        shapes = any(getattr(e, "input_shapes", None) is not None for e in rows) and \
            all(isinstance(e, FunctionEventAvg) for e in rows)
        name_w = min(max([len(e.key) for e in rows] + [len("Name")]) + 4, max_name_column_width)
        widths = [name_w] + [12] * 6 + ([32] if shapes else [])
        heads = ["Name", "Self CPU %", "Self CPU", "CPU total %", "CPU total", "CPU time avg",
                 "# of Calls"] + (["Input Shapes"] if shapes else [])
        line = "".join("-" * w + "  " for w in widths)

        def fmt(cells):
            return "".join(str(c)[:w].rjust(w) + "  " for c, w in zip(cells, widths))
        out = [line, fmt(heads), line] if header is None else [header, line, fmt(heads), line]
        for e in rows:
            name = e.key if len(e.key) <= name_w else e.key[:name_w - 3] + "..."
            cells = [name, f"{100 * e.self_cpu_time_total / total_self:.2f}%",
                     _format_time(e.self_cpu_time_total),
                     f"{100 * e.cpu_time_total / total_self:.2f}%",
                     _format_time(e.cpu_time_total), _format_time(e.cpu_time_total
                                                                  / max(e.count, 1)),
                     e.count]
            if shapes:
                cells.append(str(e.input_shapes))
            out.append(fmt(cells))
        out += [line, f"Self CPU time total: {_format_time(sum(e.self_cpu_time_total for e in self))}", ""]
        return "\n".join(out)

    def __str__(self):
        return self.table()


# ------------------------------------------------------------------ recording ---
def _shape_of(a):
    s = getattr(a, "shape", None)
    return [] if s is None else list(s)


def _push(prof, name):
    prof._stack.append([name, time.perf_counter_ns(), 0])


def _pop(prof, shapes):
    name, start, children = prof._stack.pop()
    total = (time.perf_counter_ns() - start) / 1e3
    if prof._stack:
        prof._stack[-1][2] += total * 1e3
    prof._events.append(FunctionEvent(name, (start - prof._t0) / 1e3, total,
                                      total - children / 1e3, shapes, len(prof._stack)))


_plain_apply = Primitive.apply


def _timed_apply(self, device, values, args, params):
    """``Primitive.apply`` timed into the active profile."""
    prof = _ACTIVE[-1] if _ACTIVE else None
    if prof is None or not prof._recording:
        return _plain_apply(self, device, values, args, params)
    _push(prof, "fgrad::" + self.name)
    try:
        return _plain_apply(self, device, values, args, params)
    finally:
        _pop(prof, [_shape_of(v) for v in values] if prof.record_shapes else None)


class profile:
    """Record the time of every primitive and ``record_function`` region run inside
    ``with profile(...) as prof:`` (PyTorch's ``torch.profiler.profile`` and
    ``torch.autograd.profiler.profile``); then ``prof.key_averages().table(...)``.

    ``activities`` may name ``ProfilerActivity.CPU`` (and CUDA, timed on the host);
    ``record_shapes`` keeps the input shapes of each call; ``schedule``,
    ``on_trace_ready``, ``profile_memory`` and ``with_stack`` are accepted.
    """

    def __init__(self, activities=None, *, record_shapes: bool = False,
                 profile_memory: bool = False, with_stack: bool = False,
                 with_flops: bool = False, with_modules: bool = False, schedule=None,
                 on_trace_ready: Callable | None = None, enabled: bool = True,
                 use_cuda: bool | None = None, use_device=None, **kwargs):
        self.activities = set(activities) if activities is not None else {ProfilerActivity.CPU}
        self.record_shapes = record_shapes
        self.on_trace_ready = on_trace_ready
        self.enabled = enabled
        self._events: list[FunctionEvent] = []
        self._stack: list = []
        self._recording = False
        self._saved: dict = {}
        self._t0 = time.perf_counter_ns()

    # -- PyTorch's start/stop protocol -------------------------------------------
    def start(self) -> None:
        if not self.enabled:
            return
        if _ACTIVE:
            raise RuntimeError("Profiler is already enabled on this thread")
        self._t0 = time.perf_counter_ns()
        # every primitive through the timed apply: the bind shortcut off while recording
        self._saved = {p: p.backend_fn for p in REGISTRY.values() if p.backend_fn is not None}
        for p in self._saved:
            p.backend_fn = None
        Primitive.apply = _timed_apply
        self._recording = True
        _ACTIVE.append(self)

    def stop(self) -> None:
        if not self._recording:
            return
        self._recording = False
        _ACTIVE.remove(self)
        Primitive.apply = _plain_apply
        for p, fn in self._saved.items():
            p.backend_fn = fn
        self._saved = {}
        if self.on_trace_ready is not None:
            self.on_trace_ready(self)

    def step(self) -> None:
        """A training step ended (PyTorch's schedule marker; all steps are recorded)."""

    def __enter__(self) -> "profile":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- results ------------------------------------------------------------------
    def events(self) -> EventList:
        """Every recorded call, in the order they finished."""
        return EventList(self._events)

    function_events = property(events)

    def key_averages(self, group_by_input_shape: bool = False,
                     group_by_stack_n: int = 0) -> EventList:
        """The calls summed per name (and per input shapes with ``group_by_input_shape``,
        which needs ``record_shapes=True``), in order of first appearance."""
        groups: dict = {}
        for e in sorted(self._events, key=lambda e: e.start_us):
            k = (e.name, str(e.input_shapes)) if group_by_input_shape else e.name
            if k not in groups:
                groups[k] = FunctionEventAvg(e.name, e.input_shapes if group_by_input_shape
                                             else None)
            groups[k].add(e)
        return EventList(groups.values())

    def export_chrome_trace(self, path: str) -> None:
        """The events as a Chrome trace (``chrome://tracing``, Perfetto)."""
        trace = [{"name": e.name, "ph": "X", "ts": e.start_us, "dur": e.cpu_time_total,
                  "pid": 0, "tid": 0, "cat": "cpu_op",
                  **({"args": {"Input Dims": e.input_shapes}} if e.input_shapes else {})}
                 for e in self._events]
        with open(path, "w") as f:
            json.dump({"traceEvents": trace}, f)

    def table(self, **kwargs) -> str:
        return self.key_averages().table(**kwargs)


class record_function:
    """A named region in the active profile (a context manager or a decorator); nothing
    at all while no profile is active."""

    def __init__(self, name: str, args: str | None = None):
        self.name = name
        self._prof = None

    def __enter__(self) -> "record_function":
        prof = _ACTIVE[-1] if _ACTIVE else None
        if prof is not None and prof._recording:
            self._prof = prof
            _push(prof, self.name)
        return self

    def __exit__(self, *exc) -> None:
        if self._prof is not None:
            _pop(self._prof, [] if self._prof.record_shapes else None)
            self._prof = None

    def __call__(self, fn: Callable) -> Callable:
        @functools.wraps(fn)
        def wrapped(*args, **kwargs):
            with record_function(self.name):
                return fn(*args, **kwargs)
        return wrapped
