"""fgrad.scipy.stats / special (additions) / linalg: values against SciPy, derivatives
against JAX (float64)."""
import numpy as np
import pytest

import fgrad
import fgrad.numpy as fnp
import fgrad.scipy.linalg as fsl
import fgrad.scipy.special as fsp
from fgrad.scipy import stats as fst

ss = pytest.importorskip("scipy.stats")
sc = pytest.importorskip("scipy.special")
sl = pytest.importorskip("scipy.linalg")
jax = pytest.importorskip("jax")
jnp = jax.numpy
jsp = pytest.importorskip("jax.scipy")
import jax.scipy.linalg  # noqa: E402,F401
import jax.scipy.special  # noqa: E402,F401
import jax.scipy.stats  # noqa: E402,F401
jax.config.update("jax_enable_x64", True)

RNG = np.random.default_rng(0)
X = np.linspace(-3.0, 3.0, 13)
POS = np.linspace(0.05, 6.0, 13)
UNIT = np.linspace(0.02, 0.98, 13)

# (module, function, scipy call, args (the first is x), jax has it)
CONT = [
    ("norm", "logpdf", (X, 0.3, 1.7)), ("norm", "pdf", (X, 0.3, 1.7)),
    ("norm", "cdf", (X, 0.3, 1.7)), ("norm", "logcdf", (X, 0.3, 1.7)),
    ("norm", "sf", (X, 0.3, 1.7)), ("norm", "logsf", (X, 0.3, 1.7)),
    ("norm", "ppf", (UNIT, 0.3, 1.7)), ("norm", "isf", (UNIT, 0.3, 1.7)),
    ("t", "logpdf", (X, 3.5, 0.2, 1.3)), ("t", "pdf", (X, 3.5)),
    ("gamma", "logpdf", (POS, 2.5, 0.0, 1.5)), ("gamma", "pdf", (POS, 2.5)),
    ("gamma", "cdf", (POS, 2.5, 0.0, 1.5)), ("gamma", "sf", (POS, 2.5)),
    ("gamma", "logcdf", (POS, 0.7)), ("gamma", "logsf", (POS, 0.7)),
    ("beta", "logpdf", (UNIT, 2.5, 1.5)), ("beta", "pdf", (UNIT, 0.5, 3.0)),
    ("expon", "logpdf", (POS, 0.0, 2.0)), ("expon", "pdf", (POS,)),
    ("expon", "cdf", (POS, 0.0, 2.0)), ("expon", "sf", (POS,)), ("expon", "logsf", (POS,)),
    ("expon", "logcdf", (POS,)), ("expon", "ppf", (UNIT, 0.5, 2.0)),
    ("uniform", "logpdf", (X, -1.0, 2.5)), ("uniform", "pdf", (X, -1.0, 2.5)),
    ("uniform", "cdf", (X, -1.0, 2.5)), ("uniform", "ppf", (UNIT, -1.0, 2.5)),
    ("laplace", "logpdf", (X, 0.45, 1.5)), ("laplace", "pdf", (X + 0.1,)),
    ("laplace", "cdf", (X, 0.45)),
    ("cauchy", "logpdf", (X, 0.5, 1.5)), ("cauchy", "pdf", (X,)), ("cauchy", "cdf", (X, 0.5)),
    ("cauchy", "sf", (X,)), ("cauchy", "logcdf", (X,)), ("cauchy", "logsf", (X,)),
    ("cauchy", "ppf", (UNIT, 0.5, 2.0)), ("cauchy", "isf", (UNIT,)),
    ("logistic", "logpdf", (X, 0.5, 1.5)), ("logistic", "pdf", (X,)),
    ("logistic", "cdf", (X, 0.5)), ("logistic", "sf", (X,)), ("logistic", "ppf", (UNIT,)),
    ("logistic", "isf", (UNIT, 0.5, 2.0)),
]


@pytest.mark.parametrize("dist,fn,args", CONT, ids=[f"{d}.{f}" for d, f, _ in CONT])
def test_continuous_vs_scipy_and_jax(dist, fn, args):
    got = getattr(getattr(fst, dist), fn)(*args)
    want = getattr(getattr(ss, dist), fn)(*args)
    np.testing.assert_allclose(np.asarray(got), want, rtol=1e-9, atol=1e-12)
    jfn = getattr(getattr(jsp.stats, dist), fn, None)
    if jfn is None:
        return
    # derivative in x and in every float parameter, against JAX
    for i in range(len(args)):
        def f(v, mod=fst, g=None):
            a = list(args)
            a[i] = v
            return fnp.sum(getattr(getattr(mod, dist), fn)(*a)) if g is None else g(*a)
        if dist == "gamma" and fn in ("cdf", "sf", "logcdf", "logsf") and i == 1:
            continue          # the derivative in a is not implemented
        v = np.asarray(args[i], np.float64) + 0.0
        mine = fgrad.grad(f)(fnp.asarray(v))
        ref = jax.grad(lambda w: jnp.sum(jfn(*[w if k == i else args[k]
                                               for k in range(len(args))])))(jnp.asarray(v))
        np.testing.assert_allclose(np.asarray(mine), np.asarray(ref), rtol=1e-7, atol=1e-10,
                                   err_msg=f"{dist}.{fn} d/darg{i}")


def test_discrete_vs_scipy():
    k = np.arange(-1, 9).astype(np.float64)
    for fn in ("logpmf", "pmf", "cdf"):
        np.testing.assert_allclose(np.asarray(getattr(fst.poisson, fn)(k, 2.5)),
                                   getattr(ss.poisson, fn)(k, 2.5), rtol=1e-10, atol=1e-300)
        np.testing.assert_allclose(np.asarray(getattr(fst.bernoulli, fn)(k, 0.3)),
                                   getattr(ss.bernoulli, fn)(k, 0.3), rtol=1e-12)
    np.testing.assert_allclose(np.asarray(fst.bernoulli.ppf(UNIT, 0.3)), ss.bernoulli.ppf(UNIT, 0.3))
    assert np.asarray(fst.poisson.logpmf(1.5, 2.0)) == -np.inf
    g = fgrad.grad(lambda mu: fnp.sum(fst.poisson.logpmf(k[1:], mu)))(2.5)
    jg = jax.grad(lambda mu: jnp.sum(jsp.stats.poisson.logpmf(k[1:], mu)))(2.5)
    np.testing.assert_allclose(float(g), float(jg), rtol=1e-10)
    g = fgrad.grad(lambda mu: fnp.sum(fst.poisson.cdf(k[1:], mu)))(2.5)
    np.testing.assert_allclose(float(g), float(jax.grad(
        lambda mu: jnp.sum(jsp.stats.poisson.cdf(k[1:], mu)))(2.5)), rtol=1e-8)


def test_multivariate_normal():
    n = 3
    a = RNG.standard_normal((n, n))
    cov = a @ a.T + n * np.eye(n)
    mean = RNG.standard_normal(n)
    x = RNG.standard_normal((5, n))
    got = fst.multivariate_normal.logpdf(x, mean, cov)
    np.testing.assert_allclose(np.asarray(got), ss.multivariate_normal.logpdf(x, mean, cov),
                               rtol=1e-12)
    np.testing.assert_allclose(np.asarray(fst.multivariate_normal.pdf(x, mean, cov)),
                               ss.multivariate_normal.pdf(x, mean, cov), rtol=1e-12)
    np.testing.assert_allclose(np.asarray(fst.multivariate_normal.logpdf(x, mean, 2.0)),
                               ss.multivariate_normal.logpdf(x, mean, 2.0), rtol=1e-12)
    for i in range(3):
        def f(v, lib=fst, s=fnp):
            args = [x, mean, cov]
            args[i] = v
            return s.sum(lib.multivariate_normal.logpdf(*args))
        mine = fgrad.grad(f)(fnp.asarray([x, mean, cov][i]))
        ref = jax.grad(lambda v: f(v, jsp.stats, jnp))(jnp.asarray([x, mean, cov][i]))
        np.testing.assert_allclose(np.asarray(mine), np.asarray(ref), rtol=1e-8, atol=1e-10)


def test_special_additions_vs_scipy_and_jax():
    a = np.array([0.3, 1.0, 2.5, 7.0, 40.0])
    x = np.array([0.1, 1.5, 2.0, 9.0, 35.0])
    for name in ("gammainc", "gammaincc"):
        np.testing.assert_allclose(np.asarray(getattr(fsp, name)(a, x)), getattr(sc, name)(a, x),
                                   rtol=1e-12)
        g = fgrad.grad(lambda v: fnp.sum(getattr(fsp, name)(a, v)))(fnp.asarray(x))
        jg = jax.grad(lambda v: jnp.sum(getattr(jsp.special, name)(a, v)))(jnp.asarray(x))
        np.testing.assert_allclose(np.asarray(g), np.asarray(jg), rtol=1e-9)
        ga = fgrad.grad(lambda v: fnp.sum(getattr(fsp, name)(v, x)))(fnp.asarray(a))
        jga = jax.grad(lambda v: jnp.sum(getattr(jsp.special, name)(v, x)))(jnp.asarray(a))
        np.testing.assert_allclose(np.asarray(ga), np.asarray(jga), rtol=1e-9)   # in a too
    with pytest.raises(NotImplementedError, match="second derivative of igamma/igammac in a"):
        fgrad.grad(fgrad.grad(fsp.gammainc))(2.0, 1.0)
    assert np.isnan(np.asarray(fsp.gammainc(-1.0, 1.0)))
    assert float(fsp.gammainc(2.0, 0.0)) == 0.0 and float(fsp.gammaincc(2.0, np.inf)) == 0.0
    z = np.concatenate([np.linspace(-30, 30, 61), [0.0, 1e-8, 400.0]])
    for name in ("i0e", "i1e", "i0", "i1"):
        v = z if name.endswith("e") else z[np.abs(z) < 300]
        np.testing.assert_allclose(np.asarray(getattr(fsp, name)(v)), getattr(sc, name)(v),
                                   rtol=5e-15, atol=1e-300)
        w0 = z[:61][z[:61] != 0]       # (0 is a kink of i0e, and JAX's abs'(0) = 1 shows in i0's)
        g = fgrad.grad(lambda w: fnp.sum(getattr(fsp, name)(w)))(fnp.asarray(w0))
        jg = jax.grad(lambda w: jnp.sum(getattr(jsp.special, name)(w)))(jnp.asarray(w0))
        np.testing.assert_allclose(np.asarray(g), np.asarray(jg), rtol=1e-10, atol=1e-12)
    assert float(fgrad.grad(fsp.i0)(0.0)) == 0.0 and float(fgrad.grad(fsp.i1)(0.0)) == 0.5
    p = np.array([0.5, 1.5, 3.0, 7.5])
    q = np.array([0.25, 2.0, 3.0, 0.5])
    for name, args in (("gamma", (np.array([-2.5, -0.5, 0.5, 4.5]),)), ("beta", (p, q)),
                       ("betaln", (p, q)), ("factorial", (np.array([0.0, 3.0, 5.5]),)),
                       ("entr", (np.array([-1.0, 0.0, 0.5, 2.0]),)),
                       ("rel_entr", (np.array([0.0, 0.0, 1.0, -1.0, 2.0]),
                                     np.array([0.0, 1.0, 0.0, 1.0, 3.0]))),
                       ("kl_div", (p, q)), ("multigammaln", (p + 2.0, 3))):
        np.testing.assert_allclose(np.asarray(getattr(fsp, name)(*args)),
                                   getattr(sc, name)(*args), rtol=1e-12, err_msg=name)
    g = fgrad.grad(lambda v: fnp.sum(fsp.betaln(v, q) + fsp.multigammaln(v + 2.0, 3)))(fnp.asarray(p))
    jg = jax.grad(lambda v: jnp.sum(jsp.special.betaln(v, q)
                                    + jsp.special.multigammaln(v + 2.0, 3)))(jnp.asarray(p))
    np.testing.assert_allclose(np.asarray(g), np.asarray(jg), rtol=1e-10)


def _spd(n, rng):
    a = rng.standard_normal((n, n))
    return a @ a.T + n * np.eye(n)


@pytest.mark.parametrize("lower", [True, False])
@pytest.mark.parametrize("trans", [0, 1, "T"])
@pytest.mark.parametrize("unit", [True, False])
def test_solve_triangular(lower, trans, unit):
    rng = np.random.default_rng(1)
    a = rng.standard_normal((4, 4)) + 4 * np.eye(4)
    b = rng.standard_normal((4, 2))
    got = fsl.solve_triangular(a, b, trans=trans, lower=lower, unit_diagonal=unit)
    np.testing.assert_allclose(np.asarray(got), sl.solve_triangular(
        a, b, trans=trans, lower=lower, unit_diagonal=unit), rtol=1e-12)
    np.testing.assert_allclose(np.asarray(fsl.solve_triangular(a, b[:, 0], lower=lower)),
                               sl.solve_triangular(a, b[:, 0], lower=lower), rtol=1e-12)
    f = lambda lib, s: (lambda a, b: s.sum(s.sin(lib.solve_triangular(
        a, b, trans=trans, lower=lower, unit_diagonal=unit))))
    mine = fgrad.grad(f(fsl, fnp), argnums=(0, 1))(fnp.asarray(a), fnp.asarray(b))
    ref = jax.grad(f(jsp.linalg, jnp), argnums=(0, 1))(jnp.asarray(a), jnp.asarray(b))
    for m, r in zip(mine, ref):
        np.testing.assert_allclose(np.asarray(m), np.asarray(r), rtol=1e-9, atol=1e-12)


def test_cholesky_family_and_lu():
    rng = np.random.default_rng(2)
    s = _spd(4, rng)
    b = rng.standard_normal((4, 3))
    for lower in (True, False):
        np.testing.assert_allclose(np.asarray(fsl.cholesky(s, lower=lower)),
                                   sl.cholesky(s, lower=lower), rtol=1e-12)
        c = fsl.cho_factor(s, lower=lower)
        np.testing.assert_allclose(np.asarray(fsl.cho_solve(c, b)),
                                   sl.cho_solve(sl.cho_factor(s, lower=lower), b), rtol=1e-10)
    a = rng.standard_normal((2, 4, 4))
    for i in range(2):
        p, low, up = fsl.lu(a[i])
        sp, slow, sup = sl.lu(a[i])
        for m, r in ((p, sp), (low, slow), (up, sup)):
            np.testing.assert_allclose(np.asarray(m), r, rtol=1e-12, atol=1e-14)
        pl, u2 = fsl.lu(a[i], permute_l=True)
        np.testing.assert_allclose(np.asarray(pl), sl.lu(a[i], permute_l=True)[0], atol=1e-14)
        lu_, piv = fsl.lu_factor(a[i])
        slu, spiv = sl.lu_factor(a[i])
        np.testing.assert_allclose(np.asarray(lu_), slu, atol=1e-14)
        np.testing.assert_array_equal(np.asarray(piv), spiv)
        for trans in (0, 1):
            np.testing.assert_allclose(np.asarray(fsl.lu_solve((lu_, piv), b, trans=trans)),
                                       sl.lu_solve((slu, spiv), b, trans=trans), rtol=1e-10)
    # batched lu_factor, and derivatives through lu / lu_solve against JAX
    np.testing.assert_allclose(np.asarray(fsl.lu_factor(a)[0]),
                               np.stack([sl.lu_factor(m)[0] for m in a]), atol=1e-14)

    def f(lib, s):
        return lambda a, b: s.sum(s.cos(lib.lu_solve(lib.lu_factor(a), b))) + s.sum(
            lib.lu(a)[2] ** 2) + s.sum(lib.cho_solve(lib.cho_factor(a @ a.T + 4 * s.eye(4)), b))
    mine = fgrad.grad(f(fsl, fnp), argnums=(0, 1))(fnp.asarray(a[0]), fnp.asarray(b))
    ref = jax.grad(f(jsp.linalg, jnp), argnums=(0, 1))(jnp.asarray(a[0]), jnp.asarray(b))
    for m, r in zip(mine, ref):
        np.testing.assert_allclose(np.asarray(m), np.asarray(r), rtol=1e-8, atol=1e-10)
    out = fgrad.jit(lambda a, b: fsl.lu_solve(fsl.lu_factor(a), b))(fnp.asarray(a[0]), fnp.asarray(b))
    np.testing.assert_allclose(np.asarray(out), np.linalg.solve(a[0], b), rtol=1e-10)


def test_expm():
    rng = np.random.default_rng(3)
    for scale in (0.01, 1.0, 30.0):
        a = rng.standard_normal((4, 4)) * scale
        np.testing.assert_allclose(np.asarray(fsl.expm(a)), sl.expm(a), rtol=1e-10)
    batch = rng.standard_normal((3, 3, 3)) * np.array([0.1, 2.0, 20.0])[:, None, None]
    np.testing.assert_allclose(np.asarray(fsl.expm(batch)), np.stack([sl.expm(m) for m in batch]),
                               rtol=1e-10)
    np.testing.assert_allclose(np.asarray(fgrad.vmap(fsl.expm)(fnp.asarray(batch))),
                               np.stack([sl.expm(m) for m in batch]), rtol=1e-10)
    np.testing.assert_allclose(np.asarray(fgrad.jit(fsl.expm)(fnp.asarray(batch))),
                               np.stack([sl.expm(m) for m in batch]), rtol=1e-10)
    a = rng.standard_normal((3, 3))
    g = fgrad.grad(lambda m: fnp.sum(fsl.expm(m) ** 2))(fnp.asarray(a))
    jg = jax.grad(lambda m: jnp.sum(jsp.linalg.expm(m) ** 2))(jnp.asarray(a))
    np.testing.assert_allclose(np.asarray(g), np.asarray(jg), rtol=1e-8)


def test_block_diag_inv_det_solve():
    a, b, c = np.ones((2, 2)), np.arange(3.0), np.array(5.0)
    np.testing.assert_array_equal(np.asarray(fsl.block_diag(a, b, c)), sl.block_diag(a, b, c))
    g = fgrad.grad(lambda x: fnp.sum(fsl.block_diag(x, 2 * x) ** 2))(fnp.asarray(a))
    np.testing.assert_allclose(np.asarray(g), 10 * a)
    m = _spd(3, np.random.default_rng(4))
    np.testing.assert_allclose(np.asarray(fsl.inv(m)), sl.inv(m), rtol=1e-12)
    np.testing.assert_allclose(float(fsl.det(m)), sl.det(m), rtol=1e-12)
    np.testing.assert_allclose(np.asarray(fsl.solve(m, np.ones(3))), sl.solve(m, np.ones(3)))
    with pytest.raises(ValueError, match="square"):
        fsl.solve_triangular(np.ones((2, 3)), np.ones(2))
    with pytest.raises(ValueError, match="square"):
        fsl.lu(np.ones((2, 3)))
