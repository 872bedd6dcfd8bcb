"""Which of the NumPy / ``jax.numpy`` names research code reaches for ``fgrad.numpy`` has.

    python tools/numpy_coverage.py             # the coverage table (markdown) on stdout
    python tools/numpy_coverage.py --missing   # only the names not there yet

Every name in ``CALLS`` comes with one small call, made the same way on ``fgrad.numpy``
and on NumPy (``call(m)`` with ``m`` the module): a name counts as *present* only when
fgrad's call runs and its value matches NumPy's (``tests/test_numpy_conformance.py``
runs this table and fails when a name of ``SUPPORTED`` disappears or stops matching).
"""
from __future__ import annotations

import sys
import warnings

import numpy as np

_X = [[0.5, 1.5, -2.0], [2.0, -0.25, 3.0]]          # a small float matrix
_P = [[0.5, 1.5, 2.0], [2.0, 0.25, 3.0]]            # positive
_U = [[0.5, -0.25, 0.75], [0.1, 0.9, -0.6]]         # in (-1, 1)
_I = [[3, 1, 2], [0, 5, 4]]                          # small ints
_V = [3.0, 1.0, 2.0, 5.0, 4.0]                       # a vector
_NAN = [[1.0, np.nan, 3.0], [np.nan, 2.0, 0.5]]


def _a(m, v, dtype=None):
    return m.asarray(np.array(v, dtype=dtype))


def _unary(name, data=_X):
    return lambda m: getattr(m, name)(_a(m, data))


def _binary(name, a=_X, b=_P):
    return lambda m: getattr(m, name)(_a(m, a), _a(m, b))


def _ints(name):
    return lambda m: getattr(m, name)(_a(m, _I), _a(m, [[1, 2, 3], [2, 1, 1]]))


def _reduce(name, data=_X, **kw):
    return lambda m: getattr(m, name)(_a(m, data), axis=0, **kw)


CALLS = {
    # ---- creation
    "array": lambda m: m.array(_X), "asarray": lambda m: m.asarray(_X),
    "zeros": lambda m: m.zeros((2, 3)), "ones": lambda m: m.ones((2, 3)),
    "empty": lambda m: m.empty((2, 3)) * 0, "full": lambda m: m.full((2, 3), 7.0),
    "zeros_like": _unary("zeros_like"), "ones_like": _unary("ones_like"),
    "empty_like": lambda m: m.empty_like(_a(m, _X)) * 0,
    "full_like": lambda m: m.full_like(_a(m, _X), 2.0),
    "arange": lambda m: m.arange(1, 7, 2), "linspace": lambda m: m.linspace(0, 1, 5),
    "logspace": lambda m: m.logspace(0, 2, 3), "geomspace": lambda m: m.geomspace(1, 8, 4),
    "eye": lambda m: m.eye(3, 4, 1), "identity": lambda m: m.identity(3),
    "tri": lambda m: m.tri(3, 4, 1), "vander": lambda m: m.vander(_a(m, [1.0, 2.0, 3.0]), 3),
    "meshgrid": lambda m: m.meshgrid(_a(m, [1.0, 2.0]), _a(m, [3.0, 4.0, 5.0])),
    "indices": lambda m: m.indices((2, 3)), "diag": lambda m: m.diag(_a(m, [1.0, 2.0])),
    "copy": _unary("copy"), "astype": lambda m: m.astype(_a(m, _X), np.int32),
    # ---- element-wise math
    **{n: _unary(n) for n in (
        "abs", "absolute", "negative", "positive", "sign", "exp", "exp2", "expm1", "sin",
        "cos", "tan", "sinh", "cosh", "tanh", "arctan", "atan", "arcsinh", "asinh", "floor",
        "ceil", "trunc", "rint", "fix", "square", "cbrt", "deg2rad", "rad2deg", "radians",
        "degrees", "sinc", "isfinite", "isnan", "isinf", "signbit", "real", "imag", "conj",
        "conjugate", "angle", "fabs", "round", "around", "reciprocal", "nan_to_num",
        "isreal", "iscomplex", "isneginf", "isposinf", "spacing", "i0", "modf", "frexp")},
    **{n: _unary(n, _P) for n in ("log", "log2", "log10", "log1p", "sqrt")},
    **{n: _unary(n, _U) for n in ("arcsin", "arccos", "arctanh", "asin", "acos", "atanh")},
    "arccosh": _unary("arccosh", [[1.5, 2.0], [3.0, 1.1]]),
    "acosh": _unary("acosh", [[1.5, 2.0], [3.0, 1.1]]),
    **{n: _binary(n) for n in (
        "add", "subtract", "multiply", "divide", "true_divide", "power", "pow", "maximum",
        "minimum", "fmax", "fmin", "arctan2", "atan2", "hypot", "logaddexp", "logaddexp2",
        "heaviside", "copysign", "nextafter", "float_power", "floor_divide", "remainder",
        "mod", "fmod", "divmod", "equal", "not_equal", "less", "less_equal", "greater",
        "greater_equal", "isclose")},
    **{n: _ints(n) for n in ("bitwise_and", "bitwise_or", "bitwise_xor", "left_shift",
                             "right_shift", "gcd", "lcm")},
    "invert": lambda m: m.invert(_a(m, _I)), "bitwise_not": lambda m: m.bitwise_not(_a(m, _I)),
    "ldexp": lambda m: m.ldexp(_a(m, _X), _a(m, [[1, 2, 0], [3, 1, 2]])),
    **{n: (lambda n: lambda m: getattr(m, n)(_a(m, _X) > 0, _a(m, _P) > 1))(n)
       for n in ("logical_and", "logical_or", "logical_xor")},
    "logical_not": lambda m: m.logical_not(_a(m, _X) > 0),
    "where": lambda m: m.where(_a(m, _X) > 0, _a(m, _X), 0.0),
    "clip": lambda m: m.clip(_a(m, _X), -1.0, 1.0),
    "select": lambda m: m.select([_a(m, _X) > 1, _a(m, _X) < 0], [_a(m, _X), -_a(m, _X)]),
    "piecewise": lambda m: m.piecewise(_a(m, _X), [_a(m, _X) < 0], [lambda v: -v, 1.0]),
    "real_if_close": lambda m: m.real_if_close(_a(m, [1.0 + 1e-17j, 2.0])),
    "allclose": lambda m: m.allclose(_a(m, _X), _a(m, _X)),
    "array_equal": lambda m: m.array_equal(_a(m, _X), _a(m, _X)),
    "array_equiv": lambda m: m.array_equiv(_a(m, _X), _a(m, _X)),
    "iscomplexobj": _unary("iscomplexobj"), "isrealobj": _unary("isrealobj"),
    "isscalar": lambda m: m.isscalar(1.0), "unwrap": _unary("unwrap", [[0.0, 3.0, 6.5]]),
    "interp": lambda m: m.interp(_a(m, [0.5, 2.5]), _a(m, [0.0, 1.0, 2.0]),
                                 _a(m, [1.0, 3.0, 2.0])),
    # ---- reductions and statistics
    **{n: _reduce(n) for n in (
        "sum", "prod", "mean", "std", "var", "max", "min", "amax", "amin", "argmax", "argmin",
        "all", "any", "ptp", "cumsum", "cumprod", "median", "count_nonzero")},
    "average": lambda m: m.average(_a(m, _X), axis=1, weights=_a(m, [1.0, 2.0, 3.0])),
    **{n: _reduce(n, _NAN) for n in (
        "nansum", "nanprod", "nanmean", "nanstd", "nanvar", "nanmax", "nanmin", "nanargmax",
        "nanargmin", "nancumsum", "nancumprod", "nanmedian")},
    "quantile": lambda m: m.quantile(_a(m, _X), 0.3, axis=1),
    "percentile": lambda m: m.percentile(_a(m, _X), [10, 90]),
    "nanquantile": lambda m: m.nanquantile(_a(m, _NAN), 0.3, axis=1),
    "nanpercentile": lambda m: m.nanpercentile(_a(m, _NAN), 40),
    "cov": _unary("cov"), "corrcoef": _unary("corrcoef"),
    "histogram": lambda m: m.histogram(_a(m, _V), bins=3),
    "histogram_bin_edges": lambda m: m.histogram_bin_edges(_a(m, _V), bins=3),
    "histogram2d": lambda m: m.histogram2d(_a(m, _V), _a(m, _V), bins=2),
    "bincount": lambda m: m.bincount(_a(m, [0, 1, 1, 4])),
    "digitize": lambda m: m.digitize(_a(m, _V), _a(m, [1.5, 3.5])),
    "cumulative_sum": lambda m: m.cumulative_sum(_a(m, _X), axis=1),
    "cumulative_prod": lambda m: m.cumulative_prod(_a(m, _X), axis=1),
    "trapezoid": lambda m: m.trapezoid(_a(m, _X)),
    "diff": lambda m: m.diff(_a(m, _X), axis=1), "ediff1d": _unary("ediff1d"),
    "gradient": lambda m: m.gradient(_a(m, _V)),
    # ---- sorting, searching, sets
    "sort": _unary("sort"), "argsort": _unary("argsort"), "msort": None,
    "lexsort": lambda m: m.lexsort((_a(m, [1, 0, 1]), _a(m, [0, 0, 1]))),
    "partition": lambda m: m.sort(m.partition(_a(m, _V), 2)),
    "argpartition": lambda m: m.take(_a(m, _V), m.argpartition(_a(m, _V), 2))[2],
    "sort_complex": lambda m: m.sort_complex(_a(m, [3, 1, 2])),
    "searchsorted": lambda m: m.searchsorted(_a(m, [1.0, 2.0, 3.0]), _a(m, [2.0, 0.5])),
    "nonzero": lambda m: m.nonzero(_a(m, _I)), "argwhere": lambda m: m.argwhere(_a(m, _I)),
    "flatnonzero": lambda m: m.flatnonzero(_a(m, _I)),
    "unique": lambda m: m.unique(_a(m, [3, 1, 3, 2]), return_counts=True),
    "unique_values": lambda m: m.sort(m.unique_values(_a(m, [3, 1, 3, 2]))),
    "isin": lambda m: m.isin(_a(m, _I), _a(m, [1, 5])),
    "in1d": None,
    "intersect1d": lambda m: m.intersect1d(_a(m, [1, 3, 4]), _a(m, [3, 1, 2])),
    "union1d": lambda m: m.union1d(_a(m, [1, 3]), _a(m, [2, 1])),
    "setdiff1d": lambda m: m.setdiff1d(_a(m, [1, 3, 4]), _a(m, [3])),
    "setxor1d": lambda m: m.setxor1d(_a(m, [1, 3, 4]), _a(m, [3, 5])),
    "extract": lambda m: m.extract(_a(m, _X) > 0, _a(m, _X)),
    "compress": lambda m: m.compress([True, False], _a(m, _X), axis=0),
    "trim_zeros": lambda m: m.trim_zeros(_a(m, [0, 1, 2, 0])),
    # ---- shape
    "reshape": lambda m: m.reshape(_a(m, _X), (3, 2)), "ravel": _unary("ravel"),
    "transpose": _unary("transpose"), "permute_dims": lambda m: m.permute_dims(_a(m, _X), (1, 0)),
    "matrix_transpose": _unary("matrix_transpose"),
    "swapaxes": lambda m: m.swapaxes(_a(m, _X), 0, 1),
    "moveaxis": lambda m: m.moveaxis(_a(m, _X), 0, 1),
    "rollaxis": lambda m: m.rollaxis(_a(m, _X), 1),
    "expand_dims": lambda m: m.expand_dims(_a(m, _X), 1),
    "squeeze": lambda m: m.squeeze(_a(m, [[1.0, 2.0]])),
    "broadcast_to": lambda m: m.broadcast_to(_a(m, [1.0, 2.0]), (3, 2)),
    "broadcast_arrays": lambda m: m.broadcast_arrays(_a(m, [1.0, 2.0]), _a(m, [[1.0], [2.0]])),
    "broadcast_shapes": lambda m: m.broadcast_shapes((2, 1), (3,)),
    "atleast_1d": lambda m: m.atleast_1d(1.0), "atleast_2d": _unary("atleast_2d", _V),
    "atleast_3d": _unary("atleast_3d"),
    **{n: (lambda n: lambda m: getattr(m, n)([_a(m, _X), _a(m, _P)]))(n) for n in (
        "concatenate", "concat", "stack", "vstack", "hstack", "dstack", "column_stack",
        "row_stack", "block")},
    "split": lambda m: m.split(_a(m, _V), [2]),
    "array_split": lambda m: m.array_split(_a(m, _V), 2),
    "hsplit": lambda m: m.hsplit(_a(m, _X), 3), "vsplit": lambda m: m.vsplit(_a(m, _X), 2),
    "dsplit": lambda m: m.dsplit(m.reshape(_a(m, _X), (1, 2, 3)), 3),
    "unstack": _unary("unstack"),
    "flip": _unary("flip"), "fliplr": _unary("fliplr"), "flipud": _unary("flipud"),
    "roll": lambda m: m.roll(_a(m, _X), 1, axis=1), "rot90": _unary("rot90"),
    "tile": lambda m: m.tile(_a(m, _X), (2, 1)), "repeat": lambda m: m.repeat(_a(m, _X), 2),
    "resize": lambda m: m.resize(_a(m, _X), (4, 2)),
    "pad": lambda m: m.pad(_a(m, _X), 1), "append": lambda m: m.append(_a(m, _X), [1.0]),
    "insert": lambda m: m.insert(_a(m, _V), 2, 9.0),
    "delete": lambda m: m.delete(_a(m, _V), [0, 2]),
    "tril": _unary("tril"), "triu": _unary("triu"), "diagonal": _unary("diagonal"),
    "trace": _unary("trace"), "diagflat": _unary("diagflat", [1.0, 2.0]),
    "shape": _unary("shape"), "ndim": _unary("ndim"), "size": _unary("size"),
    # ---- indexing
    "take": lambda m: m.take(_a(m, _X), [0, 4]),
    "take_along_axis": lambda m: m.take_along_axis(_a(m, _X), _a(m, [[0], [2]]), axis=1),
    "put_along_axis": None,
    "choose": lambda m: m.choose(_a(m, [0, 1, 0]), [_a(m, [1, 2, 3]), _a(m, [4, 5, 6])]),
    "ix_": lambda m: m.ix_([0, 1], [2, 0]),
    "diag_indices": lambda m: m.diag_indices(3), "tril_indices": lambda m: m.tril_indices(3),
    "triu_indices": lambda m: m.triu_indices(3),
    "diag_indices_from": lambda m: m.diag_indices_from(m.ones((2, 2))),
    "tril_indices_from": _unary("tril_indices_from"),
    "triu_indices_from": _unary("triu_indices_from"),
    "unravel_index": lambda m: m.unravel_index(_a(m, [5, 7]), (3, 4)),
    "ravel_multi_index": lambda m: m.ravel_multi_index((_a(m, [1, 2]), _a(m, [3, 0])), (3, 4)),
    "r_": lambda m: m.r_[1:3, 7], "c_": lambda m: m.c_[_a(m, [1, 2]), _a(m, [3, 4])],
    "mgrid": lambda m: m.mgrid[0:2, 0:3], "ogrid": lambda m: m.ogrid[0:2, 0:3],
    "s_": lambda m: m.ones(4)[m.s_[1:3]], "index_exp": lambda m: m.ones(4)[m.index_exp[1:3]],
    "fill_diagonal": None,
    # ---- products and polynomials
    "dot": _binary("dot", _X, [[1.0], [2.0], [3.0]]),
    "matmul": _binary("matmul", _X, [[1.0], [2.0], [3.0]]),
    "vdot": _binary("vdot"), "inner": _binary("inner"), "outer": _binary("outer"),
    "kron": _binary("kron"), "cross": lambda m: m.cross(_a(m, [1.0, 2.0, 3.0]),
                                                        _a(m, [0.0, 1.0, 5.0])),
    "tensordot": lambda m: m.tensordot(_a(m, _X), _a(m, _P), axes=([1], [1])),
    "einsum": lambda m: m.einsum("ij,kj->ik", _a(m, _X), _a(m, _P)),
    "vecdot": _binary("vecdot"), "matvec": lambda m: m.matvec(_a(m, _X), _a(m, [1.0, 2.0, 3.0])),
    "vecmat": lambda m: m.vecmat(_a(m, [1.0, 2.0]), _a(m, _X)),
    "convolve": lambda m: m.convolve(_a(m, [1.0, 2.0, 3.0]), _a(m, [0.0, 1.0, 0.5])),
    "correlate": lambda m: m.correlate(_a(m, [1.0, 2.0, 3.0]), _a(m, [0.0, 1.0, 0.5])),
    "polyval": lambda m: m.polyval(_a(m, [1.0, -2.0, 3.0]), _a(m, _V)),
    "polyfit": lambda m: m.polyfit(_a(m, [0.0, 1.0, 2.0, 3.0]), _a(m, [1.0, 2.0, 5.0, 10.0]), 2),
    "polyder": lambda m: m.polyder(_a(m, [1.0, -2.0, 3.0])),
    "polyint": lambda m: m.polyint(_a(m, [1.0, -2.0, 3.0])),
    "polyadd": lambda m: m.polyadd(_a(m, [1.0, 2.0]), _a(m, [1.0, 0.0, 3.0])),
    "polysub": lambda m: m.polysub(_a(m, [1.0, 2.0]), _a(m, [1.0, 0.0, 3.0])),
    "polymul": lambda m: m.polymul(_a(m, [1.0, 2.0]), _a(m, [1.0, 0.0, 3.0])),
    "polydiv": lambda m: m.polydiv(_a(m, [1.0, 3.0, 2.0]), _a(m, [1.0, 1.0])),
    "poly": lambda m: m.poly(_a(m, [1.0, 2.0])),
    "roots": lambda m: m.sort(m.roots(_a(m, [1.0, -3.0, 2.0]))),
    # ---- windows and misc
    **{n: (lambda n: lambda m: getattr(m, n)(5))(n) for n in (
        "bartlett", "blackman", "hamming", "hanning")},
    "kaiser": lambda m: m.kaiser(5, 2.0),
    "apply_along_axis": lambda m: m.apply_along_axis(lambda v: v.sum(), 1, _a(m, _X)),
    "vectorize": lambda m: m.vectorize(lambda a, b: a * b + 1)(_a(m, _X), 2.0),
    "fromfunction": lambda m: m.fromfunction(lambda i, j: i + 2 * j, (2, 3)),
    "result_type": lambda m: m.result_type(np.float32, np.int64),
    "promote_types": lambda m: m.promote_types(np.float32, np.int64),
    "issubdtype": lambda m: m.issubdtype(np.float32, np.floating),
    "finfo": lambda m: m.finfo(np.float32).eps, "iinfo": lambda m: m.iinfo(np.int8).max,
}
CALLS = {k: v for k, v in CALLS.items() if v is not None}
CALLS["msort"] = lambda m: (m.msort if hasattr(m, "msort") else
                            (lambda a: m.sort(a, axis=0)))(_a(m, _X))
CALLS["in1d"] = lambda m: (m.in1d if hasattr(m, "in1d") else
                           (lambda a, b: m.isin(a, b).ravel()))(_a(m, [1, 2, 3]), _a(m, [2]))
CALLS["put_along_axis"] = None

# trapz: NumPy 2 dropped the name; compared with trapezoid's value
CALLS["trapz"] = lambda m: getattr(m, "trapz", getattr(m, "trapezoid", None))(_a(m, _X))
CALLS = {k: v for k, v in CALLS.items() if v is not None}


def _host(v):
    if isinstance(v, (tuple, list)):
        return [_host(x) for x in v]
    if hasattr(v, "__array__") or isinstance(v, (int, float, complex, bool, np.generic)):
        return np.asarray(v)
    return v


def _same(a, b) -> bool:
    a, b = _host(a), _host(b)
    if isinstance(b, list):
        return isinstance(a, list) and len(a) == len(b) and all(map(_same, a, b))
    if isinstance(b, np.ndarray):
        if not isinstance(a, np.ndarray) or a.shape != b.shape:
            return False
        if b.dtype.kind in "fc" or a.dtype.kind in "fc":
            return bool(np.allclose(a, b, rtol=1e-6, atol=1e-9, equal_nan=True))
        return bool(np.array_equal(a, b))
    return a == b


def check(name: str, fnp=None) -> tuple[str, str]:
    """``(status, detail)`` for one name: 'present', 'missing' or 'wrong'."""
    if fnp is None:
        import fgrad.numpy as fnp
    if not hasattr(fnp, name):
        return "missing", ""
    with warnings.catch_warnings():      # the sample calls hit NaN domains on purpose
        warnings.simplefilter("ignore")
        return _run(name, fnp)


def _run(name, fnp):
    try:
        got = CALLS[name](fnp)
    except Exception as e:   # noqa: BLE001 -- reported, not hidden
        return "wrong", f"{type(e).__name__}: {e}"
    try:
        want = CALLS[name](np)
    except Exception:        # NumPy lacks it (a JAX-only name): running is enough
        return "present", ""
    return ("present", "") if _same(got, want) else ("wrong", f"got {got!r}, NumPy {want!r}")


def coverage():
    """``{name: (status, detail)}`` for every name in ``CALLS``."""
    import fgrad.numpy as fnp
    return {name: check(name, fnp) for name in sorted(CALLS)}


def table(results) -> str:
    present = [n for n, (s, _) in results.items() if s == "present"]
    missing = [n for n, (s, _) in results.items() if s == "missing"]
    wrong = [n for n, (s, _) in results.items() if s == "wrong"]
    lines = [f"fgrad.numpy coverage: {len(present)} of {len(results)} names present "
             f"({100 * len(present) // max(len(results), 1)} %)", "",
             "| status | count | names |", "|---|---|---|",
             f"| present | {len(present)} | {' '.join(present)} |",
             f"| missing | {len(missing)} | {' '.join(missing)} |"]
    if wrong:
        lines.append(f"| differs from NumPy | {len(wrong)} | {' '.join(wrong)} |")
    return "\n".join(lines)


if __name__ == "__main__":
    res = coverage()
    if "--missing" in sys.argv:
        print(" ".join(n for n, (s, _) in res.items() if s != "present"))
    else:
        print(table(res))
        for n, (s, d) in res.items():
            if s == "wrong":
                print(f"  {n}: {d}")
