"""``fgrad.utils``: PyTorch's ``torch.utils`` (``fgrad.utils.data``)."""
from . import data  # noqa: F401
