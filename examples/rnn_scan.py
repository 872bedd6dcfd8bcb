"""Train a small RNN written with ``fgrad.lax.scan``, compiled with ``fgrad.jit``.

Run with ``python examples/rnn_scan.py``. The task: from the values of a sine wave
seen so far, predict the next one. The recurrence ``h = tanh(W h + U x_t + b)`` runs
over the sequence as one ``scan`` (traced once, whatever the length); the loss and its
gradient through the scan are one jitted function, and Adam is written with
``fgrad.tree_util.tree_map``. Deterministic; it fails if the loss does not fall.
"""
import numpy as np

import fgrad
import fgrad.lax as lax
import fgrad.numpy as fnp
from fgrad.tree_util import tree_map

HIDDEN, STEPS, BATCH = 16, 40, 8
rng = np.random.default_rng(0)

# sine waves of random phase and frequency: inputs x[0..T-1], targets x[1..T]
phase = rng.uniform(0, 2 * np.pi, size=BATCH)
freq = rng.uniform(0.15, 0.3, size=BATCH)
t = np.arange(STEPS + 1)[:, None]
waves = np.sin(freq * t + phase)                     # (T + 1, batch)
xs = fnp.asarray(waves[:-1, :, None])               # (T, batch, 1)
ys = fnp.asarray(waves[1:])                          # (T, batch)

params = {
    "W": fnp.asarray(rng.normal(size=(HIDDEN, HIDDEN)) * 0.3),
    "U": fnp.asarray(rng.normal(size=(HIDDEN, 1))),
    "b": fnp.zeros(HIDDEN),
    "V": fnp.asarray(rng.normal(size=HIDDEN) * 0.1),
}


def loss_fn(p, xs, ys):
    def step(h, x):
        h = fnp.tanh(h @ p["W"].T + x @ p["U"].T + p["b"])
        return h, h @ p["V"]                          # carry, prediction
    _, preds = lax.scan(step, fnp.zeros((BATCH, HIDDEN)), xs)
    return fnp.mean((preds - ys) ** 2)


@fgrad.jit
def train_step(p, m, v, k):
    loss, g = fgrad.value_and_grad(loss_fn)(p, xs, ys)
    m = tree_map(lambda m, g: 0.9 * m + 0.1 * g, m, g)
    v = tree_map(lambda v, g: 0.999 * v + 0.001 * g * g, v, g)
    corr = fnp.sqrt(1 - 0.999 ** k) / (1 - 0.9 ** k)
    p = tree_map(lambda p, m, v: p - 0.02 * corr * m / (fnp.sqrt(v) + 1e-8), p, m, v)
    return p, m, v, loss


m = tree_map(fnp.zeros_like, params)
v = tree_map(fnp.zeros_like, params)
first = None
for k in range(1, 301):
    params, m, v, loss = train_step(params, m, v, fnp.asarray(float(k)))
    first = float(loss) if first is None else first
    if k % 50 == 0 or k == 1:
        print(f"step {k:3d}  loss {float(loss):.5f}")
program = fgrad.make_jaxpr(loss_fn)(params, xs, ys)
print(f"the loss is a program of {len(program.eqns)} equations; the {STEPS}-step recurrence is "
      f"one of them: {[e.prim.name for e in program.eqns]}")
if not float(loss) < first / 10:
    raise SystemExit("rnn_scan: the loss did not fall")
