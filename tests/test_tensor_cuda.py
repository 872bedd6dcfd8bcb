"""The facade on a real GPU (skipped without CuPy and a GPU): printing, autograd,
in-place updates, views, transforms and device errors stay on ``cuda:0``."""
import numpy as np
import pytest

import fgrad

pytestmark = pytest.mark.skipif(not fgrad.cuda.is_available(), reason="needs CuPy and a GPU")


def test_autograd_and_inplace_on_cuda():
    x = fgrad.tensor([1.0, 2.0, 3.0], device="cuda", requires_grad=True)
    assert repr(x) == "tensor([1., 2., 3.], device='cuda:0', requires_grad=True)"
    (x ** 2 + 2 * x).sum().backward()
    (x * 3).sum().backward()
    assert x.grad.device == fgrad.device("cuda:0")
    np.testing.assert_allclose(x.grad.cpu().numpy(), [7.0, 9.0, 11.0])
    with fgrad.no_grad():
        x -= 0.1 * x.grad
        x.grad.zero_()
    np.testing.assert_allclose(x.detach().cpu().numpy(), [0.3, 1.1, 1.9], rtol=1e-6)
    assert float(x.grad.abs().sum()) == 0.0


def test_views_transforms_and_errors_on_cuda():
    a = fgrad.ones(2, 3, device="cuda")
    a.view(6)[0] = 5.0
    assert float(a[0, 0]) == 5.0
    g = fgrad.grad(lambda w: (w ** 2).sum())(fgrad.tensor([1.0, 2.0], device="cuda"))
    assert isinstance(g, fgrad.Tensor) and str(g.device) == "cuda:0"
    with pytest.raises(TypeError, match="Use Tensor.cpu"):
        a.numpy()
    with pytest.raises(RuntimeError, match="Expected all tensors to be on the same device"):
        a + fgrad.ones(2, 3)
