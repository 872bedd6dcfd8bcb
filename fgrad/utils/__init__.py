"""``fgrad.utils``: PyTorch's ``torch.utils`` names (``fgrad.utils.data``)."""
from . import data

__all__ = ["data"]
