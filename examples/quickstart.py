"""A short tour of fgrad: each result printed next to its closed form.

Run with ``make demo`` (or ``python examples/quickstart.py``).
"""
import numpy as np

import fgrad
import fgrad.numpy as fnp


def show(title, got, expected):
    got = np.asarray(got)
    ok = np.allclose(got, expected, rtol=1e-6, atol=1e-9)
    print(f"{title}\n  fgrad:       {np.array2string(got, precision=6)}"
          f"\n  closed form: {np.array2string(np.asarray(expected), precision=6)}"
          f"   [{'ok' if ok else 'MISMATCH'}]")
    if not ok:
        raise SystemExit(f"quickstart: {title} does not match its closed form")


# 1. grad of a polynomial: p(x) = 3x^3 - 2x^2 + x, p'(x) = 9x^2 - 4x + 1, p''(x) = 18x - 4
def p(x):
    return 3 * x ** 3 - 2 * x ** 2 + x


x = 1.5
show("1. grad of p(x) = 3x^3 - 2x^2 + x at x = 1.5", fgrad.grad(p)(x), 9 * x ** 2 - 4 * x + 1)
show("   grad(grad(p))", fgrad.grad(fgrad.grad(p))(x), 18 * x - 4)

# 2. value_and_grad of a tanh MLP loss on a dict of parameters
rng = np.random.default_rng(0)
params = {"W": fnp.asarray(rng.normal(size=(3, 4))), "b": fnp.asarray(rng.normal(size=4)),
          "v": fnp.asarray(rng.normal(size=4))}
inputs = fnp.asarray(rng.normal(size=(5, 3)))
targets = fnp.asarray(rng.normal(size=5))


def loss(params, inputs, targets):
    hidden = fnp.tanh(inputs @ params["W"] + params["b"])
    return fnp.mean((hidden @ params["v"] - targets) ** 2)


value, grads = fgrad.value_and_grad(loss)(params, inputs, targets)
# Closed form: with h = tanh(XW + b), r = hv - t, L = mean(r^2):
# dL/dv = 2/n h^T r, dL/dpre = 2/n r v^T (1 - h^2), dL/dW = X^T dpre, dL/db = sum(dpre)
X, t = np.asarray(inputs), np.asarray(targets)
W, b, v = (np.asarray(params[k]) for k in ("W", "b", "v"))
h = np.tanh(X @ W + b)
r = h @ v - t
n = len(t)
dpre = (2 / n) * np.outer(r, v) * (1 - h ** 2)
show("2. MLP loss value", value, np.mean(r ** 2))
show("   dL/dW", grads["W"], X.T @ dpre)
show("   dL/db", grads["b"], dpre.sum(0))
show("   dL/dv", grads["v"], (2 / n) * h.T @ r)

# 3. per-example gradients of a logistic-regression loss with vmap(grad(...))
w = fnp.asarray(rng.normal(size=3))
labels = fnp.asarray((rng.random(5) > 0.5).astype(np.float64))


def example_loss(w, x, y):
    z = fnp.dot(x, w)
    return fnp.logaddexp(0.0, z) - y * z      # -log-likelihood of a Bernoulli(sigmoid(z))


per_example = fgrad.vmap(fgrad.grad(example_loss), in_axes=(None, 0, 0))(w, inputs, labels)
sig = 1 / (1 + np.exp(-(X @ np.asarray(w))))
show("3. per-example gradients, vmap(grad)", per_example,
     (sig - np.asarray(labels))[:, None] * X)

# 4. a Hessian: f(x) = sum(x^4) / 4 + x0 * x1, H = diag(3 x^2) + offdiag(1)
def f(x):
    return fnp.sum(x ** 4) / 4 + x[0] * x[1]


x0 = fnp.asarray([1.0, 2.0, 3.0])
H = np.diag(3 * np.asarray(x0) ** 2)
H[0, 1] = H[1, 0] = 1.0
show("4. hessian(f) at [1, 2, 3]", fgrad.hessian(f)(x0), H)

# 5. a JVP: d/dt sin(x * t) at t = 1 along u is cos(x) * x * u
xs = fnp.asarray([0.1, 0.2, 0.3])
u = fnp.asarray([1.0, -1.0, 2.0])
out, tangent = fgrad.jvp(lambda x: fnp.sin(x * xs), (fnp.ones(3),), (u,))
show("5. jvp of sin(x * c) at x = 1", tangent, np.cos(np.asarray(xs)) * np.asarray(xs) * np.asarray(u))
print("All results match their closed forms.")
