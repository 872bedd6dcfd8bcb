"""Train a small CNN on scikit-learn's 8x8 digit images, written as PyTorch code.

Run with ``python examples/cnn_digits.py`` (needs scikit-learn; the images ship with it,
nothing is downloaded). Two 3x3 convolutions with max pooling and a linear classifier
reach more than 95% test accuracy in a few seconds on one core; the script fails if
they do not. Deterministic (``fgrad.manual_seed``).
"""
import os
import time

# These matrices are small: one BLAS thread is faster than several (set before NumPy loads).
for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

import numpy as np  # noqa: E402
from sklearn.datasets import load_digits  # noqa: E402

import fgrad as torch  # noqa: E402
from fgrad import nn, optim  # noqa: E402

torch.manual_seed(0)
digits = load_digits()
images = (digits.images / 16.0).astype(np.float32)[:, None]        # (1797, 1, 8, 8)
labels = digits.target.astype(np.int64)
order = np.random.default_rng(0).permutation(len(images))
train, test = order[:1400], order[1400:]
x_train, y_train = torch.from_numpy(images[train]), torch.from_numpy(labels[train])
x_test, y_test = torch.from_numpy(images[test]), torch.from_numpy(labels[test])

model = nn.Sequential(
    nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),     # 16 x 4 x 4
    nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),    # 32 x 2 x 2
)
head = nn.Linear(32 * 2 * 2, 10)
opt = optim.Adam(list(model.parameters()) + list(head.parameters()), lr=3e-3)
loss_fn = nn.CrossEntropyLoss()


def logits(x):
    return head(model(x).reshape(x.shape[0], -1))


start = time.perf_counter()
for epoch in range(8):
    perm = torch.randperm(len(train))
    for i in range(0, len(train), 32):
        idx = perm[i:i + 32]
        opt.zero_grad()
        loss = loss_fn(logits(x_train[idx]), y_train[idx])
        loss.backward()
        opt.step()
    with torch.no_grad():
        acc = (logits(x_test).argmax(1) == y_test).float().mean().item()
    print(f"epoch {epoch}  loss {loss.item():.4f}  test accuracy {acc:.3f}")
print(f"trained in {time.perf_counter() - start:.1f} s; test accuracy {acc:.1%}")
if acc <= 0.95:
    raise SystemExit("cnn_digits: test accuracy did not exceed 95%")
