"""Broadcasting binary primitives, ``select`` (where) and ``clamp``.

Inputs broadcast as in NumPy; Python scalars are weak (NumPy 2 promotion).
The VJP of every input is un-broadcast once, centrally (``unbroadcast``).
"""
from __future__ import annotations

import numpy as np

from .. import errors
from ..transforms.core import ShapedArray, Zero
from .core import (REGISTRY as _R, Primitive, defjvp, defvjp, defnondiff, dtype_rule_by_probe,
                   elementwise_batch_rule, unbroadcast)
# A sibling family of the one acknowledged loop (core, binary, unary, shape, reductions):
# the rules use its ops, read as attributes when the rules run.
from . import unary as U


def broadcast_shapes(op, *shapes):
    try:
        return tuple(np.broadcast_shapes(*shapes))
    except ValueError:
        err = errors.shape_mismatch(op, *shapes, detail="operands could not be broadcast together")
        err.broadcast_shapes = shapes       # the facade words it as PyTorch does
        raise err from None


def _nary(name, np_name=None, grad_fn_name=None, nargs=2):
    """A broadcasting primitive computed by the backend function ``np_name``."""
    prim = Primitive(name, grad_fn_name=grad_fn_name)
    f = np_name or name
    if nargs == 2:
        prim.def_impl(lambda xp, x, y, _f=f: getattr(xp, _f)(x, y))
    else:
        prim.def_impl(lambda xp, *xs, _f=f: getattr(xp, _f)(*xs))
    prim.backend_fn = f
    dtype_rule = dtype_rule_by_probe(prim)

    def abstract_eval(*avals):
        # avals may include Python scalars (weakly typed, as in NumPy 2)
        shape = broadcast_shapes(name, *[getattr(a, "shape", ()) for a in avals])
        device = next((a.device for a in avals if isinstance(a, ShapedArray)), None)
        return ShapedArray(shape, dtype_rule(*avals), device)
    prim.def_abstract_eval(abstract_eval)
    prim.batch = elementwise_batch_rule(prim)
    prim.broadcasting = True
    return prim


def defbinary(prim, dx, dy, saves="inputs", uses=None):
    """JVP and VJP from the partial derivatives ``dx(ans, x, y)``, ``dy(ans, x, y)``.

    ``1`` and ``-1`` stand for constant partials (no multiplication is done).
    ``uses`` = (what dx reads, what dy reads), from 0 (x), 1 (y) and "ans".
    """
    def jvp_rule(d):
        if d == 1:
            return lambda t, ans, x, y: t
        if d == -1:
            return lambda t, ans, x, y: -t
        return lambda t, ans, x, y: t * d(ans, x, y)

    def vjp_rule(d, arg):
        if d == 1:
            return lambda ct, ans, x, y: unbroadcast(ct, (x, y)[arg])
        if d == -1:
            return lambda ct, ans, x, y: unbroadcast(-ct, (x, y)[arg])
        return lambda ct, ans, x, y: unbroadcast(ct * d(ans, x, y), (x, y)[arg])

    defjvp(prim, jvp_rule(dx), jvp_rule(dy))
    defvjp(prim, vjp_rule(dx, 0), vjp_rule(dy, 1), saves=saves, uses=uses)


add_p = _nary("add")
defbinary(add_p, 1, 1, saves="none")
add_p.python_operator, add_p.python_operator_on_floats = "{} + {}", True
add_p.identity, add_p.commutative = 0, True

sub_p = _nary("sub", "subtract")
defbinary(sub_p, 1, -1, saves="none")
sub_p.python_operator, sub_p.python_operator_on_floats = "{} - {}", True
sub_p.identity = 0

mul_p = _nary("mul", "multiply")
defbinary(mul_p, lambda ans, x, y: y, lambda ans, x, y: x, uses=({1}, {0}))
mul_p.python_operator, mul_p.python_operator_on_floats = "{} * {}", True
mul_p.identity, mul_p.commutative = 1, True

div_p = _nary("div", "true_divide")
defbinary(div_p, lambda ans, x, y: 1 / y, lambda ans, x, y: -ans / y, saves="both",
          uses=({1}, {1, "ans"}))
div_p.python_operator = "{} / {}"    # not on Python floats: x / 0.0 raises there
div_p.identity = 1


# d(x^y)/dx = y x^(y-1) (0 where y == 0, so x = 0 gives no 0 * inf);
# d(x^y)/dy = log(x) x^y, taking log(0) as 0 where x == 0 (JAX's choice).
def _pow_dx(ans, x, y):
    if isinstance(y, (int, float)):
        if y == 0:
            return 0.0 * x
        return y * x if y == 2 else y * x ** (y - 1)     # (x ** 1 would cost a pass)
    return select(y == 0, 0.0, y * x ** select(y == 0, 1.0, y - 1))


def _pow_dy(ans, x, y):
    if isinstance(x, (int, float)):  # a Python scalar base: a constant, on no device
        return float(np.log(x)) * ans if x != 0 else 0.0 * ans
    return log_(select(x == 0, 1.0, x)) * ans


pow_p = _nary("pow", "power")
defbinary(pow_p, _pow_dx, _pow_dy, saves="both", uses=({0, 1}, {0, "ans"}))
pow_p.identity = 1


# maximum/minimum: at ties each input gets half the gradient (JAX and PyTorch agree).
def _balanced(ans, x, y):
    """1 where x alone attains ans, 0.5 at ties, 0 elsewhere (in ``ans``'s dtype)."""
    eq_x = U.convert(x == ans, ans.dtype)
    eq_y = U.convert(y == ans, ans.dtype)
    return eq_x / (eq_x + eq_y)


maximum_p = _nary("maximum")
defbinary(maximum_p, lambda ans, x, y: _balanced(ans, x, y),
          lambda ans, x, y: _balanced(ans, y, x), saves="both")

minimum_p = _nary("minimum")
defbinary(minimum_p, lambda ans, x, y: _balanced(ans, x, y),
          lambda ans, x, y: _balanced(ans, y, x), saves="both")

maximum_p.commutative = minimum_p.commutative = True

# atan2(x, y) = angle of (y, x): d/dx = y / (x^2 + y^2), d/dy = -x / (x^2 + y^2).
arctan2_p = _nary("arctan2", grad_fn_name="Atan2Backward0")
defbinary(arctan2_p, lambda ans, x, y: y / (x * x + y * y),
          lambda ans, x, y: -x / (x * x + y * y))

# hypot(x, y) = sqrt(x^2 + y^2), the backend's overflow-safe ufunc: d/dx = x / r, d/dy = y / r,
# taken as 0 at the origin (no derivative exists there). A primitive, not the max/min
# composite, whose tie rule loses the second derivative y^2 / r^3 where |x| == |y|.
def _over_hypot(ans, v):
    return v / select(ans == 0, 1.0, ans)


hypot_p = _nary("hypot")
defbinary(hypot_p, lambda ans, x, y: _over_hypot(ans, x), lambda ans, x, y: _over_hypot(ans, y),
          saves="both", uses=({0, "ans"}, {1, "ans"}))
hypot_p.commutative = True

# logaddexp(x, y) = log(e^x + e^y), stable in the backend (NumPy's ufunc). Its partials
# e^(x - ans) are written as logistic(x - y), which stays exact when one input is
# infinite (1 or 0); equal infinities give nan, as in JAX and PyTorch.
logaddexp_p = _nary("logaddexp", grad_fn_name="LogaddexpBackward0")
defbinary(logaddexp_p, lambda ans, x, y: logistic_(x - y), lambda ans, x, y: logistic_(y - x),
          uses=({0, 1}, {0, 1}))
logaddexp_p.commutative = True

# x mod y = x - floor(x / y) y: d/dx = 1, d/dy = -floor(x / y).
remainder_p = _nary("remainder", grad_fn_name="RemainderBackward0")
defbinary(remainder_p, 1, lambda ans, x, y: -floor_(x / y), uses=((), {0, 1}))

# nextafter(x, y) moves x by one ulp toward y: as a function of reals it is x,
# so d/dx = 1 and d/dy = 0 (no rule for y: a symbolic zero).
nextafter_p = _nary("nextafter")
defjvp(nextafter_p, lambda t, ans, x, y: t, None)
defvjp(nextafter_p, lambda ct, ans, x, y: unbroadcast(ct, x), None, saves="inputs")

# Piecewise constant or non-numeric results: no gradient.
floor_divide_p = _nary("floor_divide", grad_fn_name="DivBackward0")
defnondiff(floor_divide_p)
for _name in ("equal", "not_equal", "less", "less_equal", "greater", "greater_equal",
              "logical_and", "logical_or", "logical_xor", "bitwise_and", "bitwise_or",
              "bitwise_xor", "left_shift", "right_shift"):
    defnondiff(_nary(_name))
for _name in ("equal", "not_equal", "logical_and", "logical_or", "logical_xor", "bitwise_and",
              "bitwise_or", "bitwise_xor"):
    _R[_name].commutative = True


# select(cond, x, y): x where cond else y (NumPy's where, broadcasting all three).
select_p = Primitive("select", grad_fn_name="WhereBackward0")
select_p.def_impl(lambda xp, c, x, y: xp.where(c, x, y))
_select_dtype = dtype_rule_by_probe(select_p)
select_p.def_abstract_eval(lambda c, x, y: ShapedArray(
    broadcast_shapes("where", c.shape, x.shape, y.shape), _select_dtype(c, x, y), x.device))
defjvp(select_p, None,
       lambda t, ans, c, x, y: select(c, t, 0.0),
       lambda t, ans, c, x, y: select(c, 0.0, t))
defvjp(select_p, None,
       lambda ct, ans, c, x, y: unbroadcast(select(c, ct, 0.0), x),
       lambda ct, ans, c, x, y: unbroadcast(select(c, 0.0, ct), y), saves="inputs")
select_p.batch = elementwise_batch_rule(select_p)
select_p.broadcasting = True


# clamp(x, lo, hi), PyTorch's rule: the gradient passes where lo <= x <= hi
# (bounds included); lo (hi) gets it where x < lo (x > hi). fnp.clip uses
# maximum/minimum instead (JAX's rule: ties split the gradient).
clamp_p = Primitive("clamp")
clamp_p.def_impl(lambda xp, x, lo, hi: xp.minimum(xp.maximum(x, lo), hi))
_clamp_dtype = dtype_rule_by_probe(clamp_p)
clamp_p.def_abstract_eval(lambda x, lo, hi: ShapedArray(
    broadcast_shapes("clamp", x.shape, lo.shape, hi.shape), _clamp_dtype(x, lo, hi), x.device))


def _in_range(x, lo, hi):
    return logical_and(greater_equal(x, lo), less_equal(x, hi))


defjvp(clamp_p,
       lambda t, ans, x, lo, hi: select(_in_range(x, lo, hi), t, 0.0),
       lambda t, ans, x, lo, hi: select(less(x, lo), t, 0.0),
       lambda t, ans, x, lo, hi: select(logical_and(greater(x, hi), greater_equal(x, lo)), t, 0.0))
defvjp(clamp_p,
       lambda ct, ans, x, lo, hi: unbroadcast(select(_in_range(x, lo, hi), ct, 0.0), x),
       lambda ct, ans, x, lo, hi: unbroadcast(select(less(x, lo), ct, 0.0), lo),
       lambda ct, ans, x, lo, hi: unbroadcast(
           select(logical_and(greater(x, hi), greater_equal(x, lo)), ct, 0.0), hi),
       saves="inputs")
clamp_p.batch = elementwise_batch_rule(clamp_p)
clamp_p.broadcasting = True


# ---- user-level helpers the rules are written with ---------------------------


def select(c, x, y): return select_p.bind(c, x, y)
def logical_and(a, b): return _R["logical_and"].bind(a, b)
def less(a, b): return _R["less"].bind(a, b)
def less_equal(a, b): return _R["less_equal"].bind(a, b)
def greater(a, b): return _R["greater"].bind(a, b)
def greater_equal(a, b): return _R["greater_equal"].bind(a, b)


def log_(x):
    return U.log_p.bind(x)


def floor_(x):
    return U.floor_p.bind(x)


def logistic_(x):
    return U.logistic_p.bind(x)
