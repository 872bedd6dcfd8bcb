"""``fgrad.utils.data``: datasets and samplers, as ``torch.utils.data``."""
from .distributed import DistributedSampler  # noqa: F401
