"""Linear regression, functional style: ``grad`` / ``value_and_grad`` on a dict of parameters.

The same data and steps as ``06_linear_regression_imperative.py`` (and the
same printed lines), written as JAX code: the loss is a pure function of a
dict of parameters, ``torch.value_and_grad(loss_fn)`` returns the loss and a
dict of gradients, and the update builds a new dict. Nothing requires grad,
nothing is accumulated or zeroed. (Under PyTorch the runner provides ``grad``
and ``value_and_grad`` from ``torch.func``.)
"""
# %% data: y = 2 x + 1 + noise
import fgrad as torch

torch.manual_seed(42)
X = torch.linspace(-1, 1, 100).reshape(-1, 1)
true_w, true_b = 2.0, 1.0
y = true_w * X + true_b + torch.randn_like(X) * 0.1

# %% parameters and training loop
def loss_fn(params, X, y):
    y_pred = X @ params["w"] + params["b"]
    return ((y_pred - y) ** 2).mean()


params = {"w": torch.randn(1, 1), "b": torch.zeros(1)}
learning_rate = 0.1
loss_and_grads = torch.value_and_grad(loss_fn)

for epoch in range(100):
    loss, grads = loss_and_grads(params, X, y)
    if epoch % 10 == 0:
        print(f"epoch {epoch:3d}  loss {loss.item():.5f}  "
              f"|dw| {grads['w'].abs().item():.4f}  |db| {grads['b'].abs().item():.4f}")
    params = {k: v - learning_rate * grads[k] for k, v in params.items()}

# %% result
w, b = params["w"], params["b"]
print(f"真实参数: w={true_w}, b={true_b}")
print(f"学习结果: w={w.item():.4f}, b={b.item():.4f}")
final_loss = loss_fn(params, X, y)
print(f"final loss {final_loss.item():.5f}")

# %% grad alone, and a gradient with respect to the data (argnums=1)
g = torch.grad(loss_fn)(params, X, y)
print(sorted(g), g["w"].shape, g["b"].shape)
dX = torch.grad(loss_fn, argnums=1)(params, X, y)
print(dX.shape, f"{dX.abs().max().item():.6f}")
