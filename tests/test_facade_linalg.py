"""``fgrad.linalg`` (torch.linalg's names) against PyTorch: values and gradients."""
import numpy as np
import pytest

import fgrad

torch = pytest.importorskip("torch")

rng = np.random.default_rng(0)
_M = rng.standard_normal((3, 3))
SPD = _M @ _M.T + 3 * np.eye(3)
RHS = rng.standard_normal((3, 2))
CASES = [("inv", (SPD,)), ("det", (SPD,)), ("slogdet", (SPD,)), ("solve", (SPD, RHS)),
         ("cholesky", (SPD,)), ("qr", (SPD,)), ("svdvals", (SPD,)), ("eigvalsh", (SPD,)),
         ("pinv", (SPD,)), ("norm", (SPD,)), ("vector_norm", (RHS,)), ("matrix_norm", (SPD,)),
         ("cond", (SPD,)), ("matrix_rank", (SPD,))]


def _last(x):
    return x[-1] if isinstance(x, tuple) else x


@pytest.mark.parametrize("name,args", CASES, ids=[c[0] for c in CASES])
def test_linalg_matches_torch(name, args):
    fa = [fgrad.tensor(a, requires_grad=True) for a in args]
    ta = [torch.tensor(a, requires_grad=True) for a in args]
    fo, to = _last(getattr(fgrad.linalg, name)(*fa)), _last(getattr(torch.linalg, name)(*ta))
    assert isinstance(fo, fgrad.Tensor)
    np.testing.assert_allclose(fo.detach().numpy(), to.detach().numpy(), rtol=1e-10, atol=1e-12)
    if to.requires_grad:
        weights = rng.standard_normal(tuple(to.shape))
        (fo * fgrad.tensor(weights)).sum().backward()
        (to * torch.tensor(weights)).sum().backward()
        for f, t in zip(fa, ta):
            np.testing.assert_allclose(f.grad.numpy(), t.grad.numpy(), rtol=1e-8, atol=1e-10)


def test_named_results():
    A = fgrad.tensor(SPD)
    assert fgrad.linalg.eigh(A).eigenvalues.shape == (3,)
    U, S, Vh = fgrad.linalg.svd(A)
    np.testing.assert_allclose((U @ fgrad.diag(S) @ Vh).numpy(), SPD, atol=1e-12)
    sign, logabsdet = fgrad.linalg.slogdet(A)
    np.testing.assert_allclose(float(sign) * np.exp(float(logabsdet)), np.linalg.det(SPD))


MATRIX_PRODUCTS = {
    "mm": (None, (2, 3), (3, 2)), "bmm": (None, (1, 2, 3), (1, 3, 2)), "mv": (None, (2, 3), (3,)),
    "addmm": ((2, 2), (2, 3), (3, 2)), "addbmm": ((2, 2), (1, 2, 3), (1, 3, 2)),
    "baddbmm": ((1, 2, 2), (1, 2, 3), (1, 3, 2)), "addmv": ((2,), (2, 3), (3,)),
}


@pytest.mark.parametrize("name", sorted(MATRIX_PRODUCTS))
@pytest.mark.parametrize("dtypes", [(0, 0, 1), (0, 1, 0), (1, 0, 0), (1, 1, 0), (0, 1, 1),
                                    (1, 0, 1)])
def test_matrix_product_dtype_errors_in_pytorchs_words(name, dtypes):
    """Mixed float32/float64 operands: PyTorch's error, checked in PyTorch's order."""
    shapes = MATRIX_PRODUCTS[name]

    def call(lib):
        dts = [(lib.float32, lib.float64)[k] for k in dtypes]
        args = [lib.ones(*s, dtype=dt) for s, dt in zip(shapes, dts) if s is not None]
        try:
            getattr(lib, name)(*args)
            return "ok"
        except RuntimeError as e:
            return str(e)
    assert call(fgrad) == call(torch)
