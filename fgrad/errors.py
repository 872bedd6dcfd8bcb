"""Every user-facing error message of the functional layer, built in one place."""
from __future__ import annotations


class UnexpectedTracerError(Exception):
    """A traced value was used after the transform that traced it returned."""


class ConcretizationTypeError(TypeError):
    """A traced value was used where a concrete Python value is needed."""


class TracerArrayConversionError(TypeError):
    """A traced value was converted to a NumPy array."""


def fmt_shape(shape) -> str:
    return "(" + ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"


def shape_mismatch(op: str, *shapes, detail: str = "") -> ValueError:
    shown = " and ".join(fmt_shape(s) for s in shapes)
    return ValueError(f"{op}: incompatible shapes {shown}" + (f" ({detail})" if detail else ""))


def device_mismatch(op: str, a, b) -> RuntimeError:
    return RuntimeError(
        f"Expected all tensors to be on the same device, but found at least two devices, "
        f"{a} and {b}! (in {op}; move one with fgrad.device_put)")


def escaped_tracer(transform: str) -> UnexpectedTracerError:
    return UnexpectedTracerError(
        f"Encountered a value traced by {transform} after {transform} returned: a traced "
        "value leaked out of the function being transformed (stored in a global, a closure "
        "or an attribute). Return it from the function instead.")


def concretization(transform: str, what: str, shape, dtype) -> ConcretizationTypeError:
    hint = {
        "vmap": "the value differs across the batch; use fgrad.numpy.where (or lax-style "
                "select) instead of Python control flow, or move the branch outside vmap",
        "jit": "mark the argument static with static_argnums, or use fgrad.numpy.where "
               "instead of Python control flow",
        "lax": "use fgrad.lax.cond, switch or select instead of Python control flow on "
               "values computed in a loop body or branch",
        "make_jaxpr": "mark the argument static, or use fgrad.numpy.where instead of Python "
                      "control flow",
    }.get(transform, "compute it outside the transform")
    return ConcretizationTypeError(
        f"Attempted {what} on a value of shape {fmt_shape(shape)} and dtype {dtype} traced by "
        f"{transform}: it has no concrete value there. Instead: {hint}.")


def array_conversion(transform: str, shape, dtype) -> TracerArrayConversionError:
    return TracerArrayConversionError(
        f"The numpy.ndarray conversion method __array__() was called on a value of shape "
        f"{fmt_shape(shape)} and dtype {dtype} traced by {transform}. Use fgrad.numpy "
        "functions inside transformed functions instead of numpy ones, or "
        "fgrad.stop_gradient/return the value and convert it outside.")


def immutable(kind: str = "Array") -> TypeError:
    return TypeError(
        f"'{kind}' object does not support item assignment: fgrad arrays are immutable. "
        "Instead of ``x[idx] = y``, use ``x = x.at[idx].set(y)``.")


# dtype kinds no primitive computes on: object, strings, bytes, void, datetimes
NON_NUMERIC_KINDS = frozenset("OSUVMm")


def non_numeric(value, dtype) -> Exception:
    """``asarray`` of something that is not numbers (JAX's types and words)."""
    if value is None:
        return ValueError("None is not a valid value for fgrad.numpy.array")
    return TypeError(f"Value {value!r:.80} with dtype {dtype} is not a valid fgrad array type. "
                     f"Only arrays of numeric types (bool, integer, floating, complex) are "
                     f"supported.")


def foreign_thread_tracer(transform: str) -> UnexpectedTracerError:
    return UnexpectedTracerError(
        f"Encountered a value traced by {transform} in another thread while that {transform} "
        "is still running: traced values belong to the thread whose transform created them. "
        "Pass concrete values between threads, or run the transform in this thread.")


def nesting_too_deep(original: str, limit: int) -> str:
    return (f"{original} while running nested transforms: each nested transform (grad of "
            f"grad of ...) takes several Python frames, and Python's recursion limit is "
            f"{limit}. Raise it with sys.setrecursionlimit, or nest fewer transforms.")
