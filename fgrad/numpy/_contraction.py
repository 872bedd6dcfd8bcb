"""Products for ``fgrad.numpy`` (placeholder: filled in by the contraction work)."""
__all__ = []
