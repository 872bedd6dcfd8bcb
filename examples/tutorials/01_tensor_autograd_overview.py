"""Seed 000: "Python PyTorch张量操作 — 张量计算和自动求导" (php.cn).

Every snippet of the page, in order, with ``import fgrad as torch``. Run it
directly (``python examples/tutorials/01_tensor_autograd_overview.py``) or
through ``_runner.py`` to compare with PyTorch (see README.md).
"""
import fgrad as torch

# %% 创建和操作张量: torch.tensor(..., requires_grad=True)
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
print(x)
print(x.requires_grad, x.is_leaf, x.grad_fn)

# %% 常用创建方式: zeros, randn, ones_like
print(torch.zeros(3, 4))
r = torch.randn(2, 3)
print(r)
print(torch.ones_like(x))

# %% 标准数学运算: y inherits requires_grad
y = x ** 2 + 2 * x + 1
print(y)
print(y.requires_grad, y.is_leaf)

# %% 原地操作 x.add_(1) on a leaf that requires grad fails
try:
    x.add_(1)
except RuntimeError as e:
    print("RuntimeError:", e)
print(x)

# %% 执行自动求导: scalar output, dy/dx = 3x^2 = 12
x = torch.tensor(2.0, requires_grad=True)
y = x**3
y.backward()
print(x.grad)

# %% 非标量输出需要 gradient 参数: y.backward(torch.ones_like(y))
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x ** 2 + 2 * x + 1
try:
    y.backward()
except RuntimeError as e:
    print("RuntimeError:", e)
y.backward(torch.ones_like(y))
print(x.grad)
# the same as summing first
x2 = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
(x2 ** 2 + 2 * x2 + 1).sum().backward()
print(x2.grad)

# %% with torch.no_grad(): nothing is recorded
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
with torch.no_grad():
    z = x * 2
print(z, z.requires_grad, z.grad_fn)
print(x * 2)

# %% x.detach(): same data, no history
d = x.detach()
print(d, d.requires_grad, d.is_leaf)

# %% 清空梯度: zeroing .grad by hand (what optimizer.zero_grad() does)
w = torch.tensor([1.0, -1.0], requires_grad=True)
for _ in range(2):
    (w * w).sum().backward()
print(w.grad)
w.grad.zero_()
print(w.grad)

# %% 重复 backward(): gradients accumulate; the graph is freed unless retain_graph=True
x = torch.tensor(2.0, requires_grad=True)
y = x ** 3
y.backward(retain_graph=True)
print(x.grad)
y.backward()
print(x.grad)
try:
    y.backward()
except RuntimeError as e:
    print("RuntimeError:", e)

# %% 实战小例子: 手动实现线性回归梯度更新
x = torch.randn(100, 1)
y_true = 2 * x + 1 + 0.1 * torch.randn(100, 1)
w = torch.randn(1, 1, requires_grad=True)
b = torch.randn(1, requires_grad=True)
for step in range(5):
    y_pred = x @ w + b
    loss = ((y_pred - y_true) ** 2).mean()
    loss.backward()
    w.data -= 0.01 * w.grad
    b.data -= 0.01 * b.grad
    print(step, f"{loss.item():.4f}", loss)
    w.grad.zero_()
    b.grad.zero_()
print(w, b)
print(y_pred.shape, y_pred.grad_fn.name(), loss.grad_fn.name())
