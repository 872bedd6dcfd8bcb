"""Element-wise unary primitives: one paragraph each (impl, shape/dtype, JVP, VJP, batching).

Derivatives are written with primitives (through the operators), so they
differentiate again. Kinks follow JAX: ``abs'(0) = 1``,
``sign``/``floor``/``ceil``/``round`` have zero derivative everywhere; the facade's
sibling ``abs_zero_kink`` takes PyTorch's ``abs'(0) = sign(0) = 0``.
"""
from __future__ import annotations

import numpy as np

from ..transforms.core import Zero, ShapedArray
from . import binary
from .core import (Primitive, defelementwise, defjvp, defvjp, defnondiff,
                   dtype_rule_by_probe, elementwise_batch_rule)


def _unary(name, np_name=None, grad_fn_name=None):
    """An element-wise primitive computed by the backend function ``np_name``."""
    prim = Primitive(name, grad_fn_name=grad_fn_name)
    fn_name = np_name or name
    prim.def_impl(lambda xp, x, _f=fn_name: getattr(xp, _f)(x))
    prim.backend_fn = fn_name     # (cleared if a custom impl replaces this one)
    dtype_rule = dtype_rule_by_probe(prim)
    prim.def_abstract_eval(lambda x: ShapedArray(x.shape, dtype_rule(x), x.device))
    return prim


def _zero_derivative(prim):
    """Piecewise-constant ops: the derivative is zero where it exists (a symbolic zero)."""
    defnondiff(prim)
    prim.zero_derivative = True
    prim.batch = elementwise_batch_rule(prim)


neg_p = _unary("neg", "negative")
defelementwise(neg_p, lambda ans, x: -1.0, saves="none")
neg_p.python_operator, neg_p.python_operator_on_floats = "-{}", True

# copy: a fresh buffer with the same values (the facade's ``clone()``); derivative 1.
copy_p = _unary("copy", grad_fn_name="CloneBackward0")
defelementwise(copy_p, lambda ans, x: 1.0, saves="none")

exp_p = _unary("exp")
defelementwise(exp_p, lambda ans, x: ans, saves="ans")

expm1_p = _unary("expm1")
defelementwise(expm1_p, lambda ans, x: ans + 1, saves="ans")

log_p = _unary("log")
defelementwise(log_p, lambda ans, x: 1 / x)

log1p_p = _unary("log1p", grad_fn_name="Log1PBackward0")
defelementwise(log1p_p, lambda ans, x: 1 / (1 + x))

sqrt_p = _unary("sqrt")
defelementwise(sqrt_p, lambda ans, x: 0.5 / ans, saves="ans")

sin_p = _unary("sin")
defelementwise(sin_p, lambda ans, x: cos(x))

cos_p = _unary("cos")
defelementwise(cos_p, lambda ans, x: -sin(x))

tan_p = _unary("tan")
defelementwise(tan_p, lambda ans, x: 1 + ans * ans, saves="ans")   # sec^2 = 1 + tan^2

tanh_p = _unary("tanh")
defelementwise(tanh_p, lambda ans, x: 1 - ans * ans, saves="ans")

sinh_p = _unary("sinh")
defelementwise(sinh_p, lambda ans, x: cosh(x))

cosh_p = _unary("cosh")
defelementwise(cosh_p, lambda ans, x: sinh(x))

arcsin_p = _unary("arcsin", grad_fn_name="AsinBackward0")
defelementwise(arcsin_p, lambda ans, x: 1 / sqrt(1 - x * x))

arccos_p = _unary("arccos", grad_fn_name="AcosBackward0")
defelementwise(arccos_p, lambda ans, x: -1 / sqrt(1 - x * x))

arctan_p = _unary("arctan", grad_fn_name="AtanBackward0")
defelementwise(arctan_p, lambda ans, x: 1 / (1 + x * x))

arcsinh_p = _unary("arcsinh", grad_fn_name="AsinhBackward0")
defelementwise(arcsinh_p, lambda ans, x: 1 / sqrt(x * x + 1))

arccosh_p = _unary("arccosh", grad_fn_name="AcoshBackward0")
defelementwise(arccosh_p, lambda ans, x: 1 / sqrt(x * x - 1))

arctanh_p = _unary("arctanh", grad_fn_name="AtanhBackward0")
defelementwise(arctanh_p, lambda ans, x: 1 / (1 - x * x))

# logistic(x) = 1 / (1 + exp(-x)). Written directly it is within 2 ulps everywhere
# (checked against long double): for x << 0, exp(-x) overflows to inf and the
# quotient is the exact limit 0, so only NumPy's overflow warning is silenced.
logistic_p = _unary("logistic", grad_fn_name="SigmoidBackward0")
logistic_p.def_impl(lambda xp, x: _logistic(xp, x))
defelementwise(logistic_p, lambda ans, x: ans * (1 - ans), saves="ans")


def _logistic(xp, x):
    x = xp.asarray(x)           # Python scalars too
    if x.dtype.kind not in "fc":
        x = x.astype(xp.float64)
    with np.errstate(over="ignore"):
        return 1 / (1 + xp.exp(-x))


# abs: d|x| = sign(x) for real x away from 0. At 0 the two faces' references differ: JAX
# takes +1 (the derivative of select(x >= 0, x, -x)), PyTorch sign(0) = 0; two siblings share
# the impl: fgrad.numpy binds abs_p, the facade abs_zero_kink_p (grad_fn AbsBackward0). For
# complex x, d|x| = real(conj(x)/|x| t) (a real-linear map, 0 at x == 0) and its transpose
# ct -> ct conj(x)/|x| (JAX's convention: cotangents are transposes, not adjoints).
def _abs_unit(prim, x, slope_at_zero):
    """conj(x) / |x| for complex x (0 where x == 0); for real x sign(x), ``slope_at_zero``
    at 0."""
    if x.dtype.kind != "c":
        return sign(x) + (x == 0) if slope_at_zero else sign(x)
    ans = prim.bind(x)
    safe = binary.select(ans == 0, 1.0, ans)
    return binary.select(ans == 0, 0.0, conj(x) / safe)


def _def_abs(prim, slope_at_zero):
    def jvp(t, ans, x):
        unit = _abs_unit(prim, x, slope_at_zero)
        return t * unit if x.dtype.kind != "c" else real(t * unit)
    defjvp(prim, jvp)
    defvjp(prim, lambda ct, ans, x: ct * _abs_unit(prim, x, slope_at_zero), saves="inputs")
    prim.batch = elementwise_batch_rule(prim)


abs_p = _unary("abs", "absolute")
_def_abs(abs_p, slope_at_zero=1)

abs_zero_kink_p = _unary("abs_zero_kink", "absolute", grad_fn_name="AbsBackward0")
_def_abs(abs_zero_kink_p, slope_at_zero=0)

sign_p = _unary("sign")
_zero_derivative(sign_p)

floor_p = _unary("floor")
_zero_derivative(floor_p)

ceil_p = _unary("ceil")
_zero_derivative(ceil_p)

# round half to even, like NumPy; ``decimals`` is a parameter.
round_p = Primitive("round")
round_p.def_impl(lambda xp, x, decimals=0: xp.round(x, decimals))
round_p.def_abstract_eval(lambda x, decimals=0: x)
_zero_derivative(round_p)

# Predicates with boolean outputs carry no gradient.
isfinite_p = _unary("isfinite")
defnondiff(isfinite_p)
isfinite_p.batch = elementwise_batch_rule(isfinite_p)
isnan_p = _unary("isnan")
defnondiff(isnan_p)
isnan_p.batch = elementwise_batch_rule(isnan_p)
isinf_p = _unary("isinf")
defnondiff(isinf_p)
isinf_p.batch = elementwise_batch_rule(isinf_p)
logical_not_p = _unary("logical_not")
defnondiff(logical_not_p)
logical_not_p.batch = elementwise_batch_rule(logical_not_p)
invert_p = _unary("invert")
defnondiff(invert_p)
invert_p.batch = elementwise_batch_rule(invert_p)

# Complex parts (real inputs give themselves / zeros). Real-linear maps; their
# transposes follow JAX: real^T(ct) = ct + 0j, imag^T(ct) = -1j ct, conj^T = conj.
real_p = _unary("real")
imag_p = _unary("imag")
conj_p = _unary("conj", "conjugate")
for _p in (real_p, imag_p, conj_p):
    _p.batch = elementwise_batch_rule(_p)


def _imag_jvp(t, ans, x):
    return imag(t) if x.dtype.kind == "c" else t * 0.0


def _imag_vjp(ct, ans, x):
    if x.dtype.kind != "c":
        return ct * 0.0
    return convert(ct, x.dtype) * (-1j)


defjvp(real_p, lambda t, ans, x: real(t))
defvjp(real_p, lambda ct, ans, x: convert(ct, x.dtype), saves="inputs")
defjvp(imag_p, _imag_jvp)
defvjp(imag_p, _imag_vjp, saves="inputs")
defjvp(conj_p, lambda t, ans, x: conj(t))
defvjp(conj_p, lambda ct, ans, x: convert(conj(ct), x.dtype), saves="inputs")


# dtype conversion: linear between float types; to int/bool it is not differentiable.
convert_p = Primitive("convert_element_type", grad_fn_name="ToCopyBackward0")
convert_p.def_impl(lambda xp, x, dtype: x.astype(dtype) if hasattr(x, "astype")
                   else xp.asarray(x, dtype=dtype))
convert_p.def_abstract_eval(lambda x, dtype: ShapedArray(x.shape, dtype, x.device))


def _convert_jvp(primals, tangents, dtype):
    ans = convert_p.bind(primals[0], dtype=dtype)
    t = tangents[0]
    if type(t) is Zero or np.dtype(dtype).kind not in "fc":
        return ans, Zero.like(ans)
    return ans, convert(t, dtype)


convert_p.jvp = _convert_jvp
defvjp(convert_p, lambda ct, ans, x, dtype: convert(ct, x.dtype), saves="none")
convert_p.batch = elementwise_batch_rule(convert_p)
convert_p.noop_if_same_aval = lambda dtype: True

# stop_gradient: the identity whose derivative is zero.
stop_gradient_p = Primitive("stop_gradient")
stop_gradient_p.def_impl(lambda xp, x: x)
stop_gradient_p.def_abstract_eval(lambda x: x)
defnondiff(stop_gradient_p)
stop_gradient_p.batch = elementwise_batch_rule(stop_gradient_p)


# ---- the user-level functions the rules above are written with --------------
def sin(x): return sin_p.bind(x)
def cos(x): return cos_p.bind(x)
def sinh(x): return sinh_p.bind(x)
def cosh(x): return cosh_p.bind(x)
def sqrt(x): return sqrt_p.bind(x)
def sign(x): return sign_p.bind(x)
def exp(x): return exp_p.bind(x)
def log(x): return log_p.bind(x)


def real(x):
    return real_p.bind(x) if x.dtype.kind == "c" else x


def imag(x): return imag_p.bind(x)
def conj(x): return conj_p.bind(x) if x.dtype.kind == "c" else x


def convert(x, dtype):
    """``x`` as ``dtype`` (a no-op when it already is); complex to real keeps the real
    part (as JAX's ``convert_element_type``, without NumPy's ComplexWarning)."""
    dtype = np.dtype(dtype)
    if x.dtype == dtype:
        return x
    if x.dtype.kind == "c" and dtype.kind != "c":
        x = real_p.bind(x)
        if x.dtype == dtype:
            return x
    return convert_p.bind(x, dtype=dtype)
