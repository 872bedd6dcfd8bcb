"""``fgrad.autograd.profiler``: PyTorch's older path of the profiler (``fgrad.profiler``)."""
from ..profiler import profile, record_function, ProfilerActivity, EventList, FunctionEventAvg

__all__ = ["profile", "record_function", "ProfilerActivity", "EventList", "FunctionEventAvg"]
