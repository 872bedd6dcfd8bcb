"""The tracing core and the transforms built on it (see core.py, one module per interpreter)."""
