"""Fit a line with ``fgrad.nn.Linear`` and ``fgrad.optim.SGD``, written as PyTorch code.

Run with ``python examples/nn_regression.py``: the data are y = 3x - 1 plus a little
noise, the model one ``nn.Linear(1, 1)``; the loss falls and the learned weight and bias
approach 3 and -1. Deterministic (``fgrad.manual_seed``).
"""
import fgrad as torch
from fgrad import nn, optim

torch.manual_seed(0)
x = torch.linspace(-1, 1, 64).reshape(-1, 1)
y = 3 * x - 1 + 0.05 * torch.randn(64, 1)

model = nn.Linear(1, 1)
loss_fn = nn.MSELoss()
opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
print(model)

for step in range(101):
    opt.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    opt.step()
    if step % 20 == 0:
        print(f"step {step:3d}  loss {loss.item():.6f}")

w, b = model.weight.item(), model.bias.item()
print(f"weight {w:.3f}  bias {b:.3f}")
if not (abs(w - 3) < 0.05 and abs(b + 1) < 0.05 and loss.item() < 0.01):
    raise SystemExit("nn_regression: the fit did not converge")
