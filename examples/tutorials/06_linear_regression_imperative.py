"""Linear regression by hand, imperative (facade) style, as in seeds 000 and 003.

``loss.backward()`` fills ``w.grad`` and ``b.grad``; the update runs under
``torch.no_grad()`` and the gradients are zeroed by hand. Prints the same
lines as ``07_linear_regression_functional.py``, which computes the same
steps with ``grad``/``value_and_grad`` on a dict of parameters.
"""
# %% data: y = 2 x + 1 + noise
import fgrad as torch

torch.manual_seed(42)
X = torch.linspace(-1, 1, 100).reshape(-1, 1)
true_w, true_b = 2.0, 1.0
y = true_w * X + true_b + torch.randn_like(X) * 0.1

# %% parameters and training loop
w = torch.randn(1, 1, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
learning_rate = 0.1

for epoch in range(100):
    y_pred = X @ w + b
    loss = ((y_pred - y) ** 2).mean()
    loss.backward()
    if epoch % 10 == 0:
        print(f"epoch {epoch:3d}  loss {loss.item():.5f}  "
              f"|dw| {w.grad.abs().item():.4f}  |db| {b.grad.abs().item():.4f}")
    with torch.no_grad():
        w -= learning_rate * w.grad
        b -= learning_rate * b.grad
    w.grad.zero_()
    b.grad.zero_()

# %% result
print(f"真实参数: w={true_w}, b={true_b}")
print(f"学习结果: w={w.item():.4f}, b={b.item():.4f}")
final_loss = ((X @ w + b - y) ** 2).mean()
print(f"final loss {final_loss.item():.5f}")
