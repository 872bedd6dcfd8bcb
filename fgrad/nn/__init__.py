"""``fgrad.nn``: neural-network helpers. The functional ones (``relu softmax ...``, as
``jax.nn``, plus ``torch.nn.functional``'s ``linear mse_loss nll_loss cross_entropy``) live
in ``fgrad.nn.functional`` and are re-exported here; the PyTorch-style modules
(``Module Parameter Linear Sequential ReLU Tanh Sigmoid MSELoss CrossEntropyLoss ...``)
live in ``fgrad.nn.modules``.

>>> import fgrad.numpy as fnp, fgrad.nn as nn
>>> nn.relu(fnp.asarray([-1.0, 1.0])).tolist()
[0.0, 1.0]
>>> nn.Linear(3, 1)
Linear(in_features=3, out_features=1, bias=True)
"""
from . import functional  # noqa: F401
from .functional import *  # noqa: F401,F403
from . import modules  # noqa: F401,E402
from .modules import (Parameter, Module, Linear, Sequential, ModuleList, Identity,  # noqa: E402
                      ReLU, Tanh, Sigmoid, MSELoss, CrossEntropyLoss)
# Convolution and pooling layers (torch.nn names): one block.
from .conv import (Conv1d, Conv2d, Conv3d, ConvTranspose1d, ConvTranspose2d,  # noqa: E402,F401
                   ConvTranspose3d)
from .pooling import (MaxPool1d, MaxPool2d, MaxPool3d, AvgPool1d, AvgPool2d,  # noqa: E402,F401
                      AvgPool3d, AdaptiveAvgPool1d, AdaptiveAvgPool2d, AdaptiveMaxPool1d,
                      AdaptiveMaxPool2d)
