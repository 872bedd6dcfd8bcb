"""``fgrad.nn``: neural-network helpers. The functional ones (``relu softmax ...``, as
``jax.nn``, plus ``torch.nn.functional``'s ``linear mse_loss nll_loss cross_entropy``) live
in ``fgrad.nn.functional`` and are re-exported here; the PyTorch-style modules
(``Module Parameter Linear Sequential ReLU ... BatchNorm2d LSTM MultiheadAttention``) live
in one file per kind (``modules.py`` holds ``Module`` itself); ``fgrad.nn.init`` and
``fgrad.nn.utils`` are PyTorch's.

>>> import fgrad.numpy as fnp, fgrad.nn as nn
>>> nn.relu(fnp.asarray([-1.0, 1.0])).tolist()
[0.0, 1.0]
>>> nn.Linear(3, 1)
Linear(in_features=3, out_features=1, bias=True)
"""
from . import functional  # noqa: F401
from .functional import *  # noqa: F401,F403
from . import modules  # noqa: F401,E402
from .modules import Parameter, Module  # noqa: E402
# -- the PyTorch layers, losses, init and utils (one block) --
from .container import (Sequential, ModuleList, ModuleDict, ParameterList,  # noqa: E402
                        ParameterDict)
from .linear_layers import Identity, Linear, Flatten, Unflatten  # noqa: E402
from .activation import (ReLU, Tanh, Sigmoid, GELU, SiLU, ELU, LeakyReLU, Softplus,  # noqa: E402
                         Softmax, LogSoftmax, ReLU6, SELU, CELU, Hardtanh, Hardsigmoid,
                         Hardswish, Hardshrink, Softshrink, Tanhshrink, Softsign, LogSigmoid,
                         Mish, GLU, Threshold, Softmin, PReLU)
from .distance import CosineSimilarity, PairwiseDistance  # noqa: E402
from .padding import (ZeroPad1d, ZeroPad2d, ZeroPad3d, ConstantPad1d,  # noqa: E402,F401
                      ConstantPad2d, ConstantPad3d, ReflectionPad1d, ReflectionPad2d,
                      ReflectionPad3d, ReplicationPad1d, ReplicationPad2d, ReplicationPad3d,
                      CircularPad1d, CircularPad2d, CircularPad3d)
from .loss import (MSELoss, CrossEntropyLoss, NLLLoss, L1Loss, SmoothL1Loss,  # noqa: E402
                   HuberLoss, BCELoss, BCEWithLogitsLoss, KLDivLoss)
from .dropout_layers import Dropout, Dropout1d, Dropout2d, Dropout3d  # noqa: E402
from .normalization import BatchNorm1d, BatchNorm2d, LayerNorm, GroupNorm  # noqa: E402
from .sparse import Embedding  # noqa: E402
from .rnn import RNNBase, RNN, LSTM, GRU  # noqa: E402
from .attention import MultiheadAttention  # noqa: E402
from . import init, utils  # noqa: E402,F401
from . import parallel  # noqa: F401,E402  (DistributedDataParallel)
# Convolution and pooling layers (torch.nn names): one block.
from .conv import (Conv1d, Conv2d, Conv3d, ConvTranspose1d, ConvTranspose2d,  # noqa: E402,F401
                   ConvTranspose3d)
from .pooling import (MaxPool1d, MaxPool2d, MaxPool3d, AvgPool1d, AvgPool2d,  # noqa: E402,F401
                      AvgPool3d, AdaptiveAvgPool1d, AdaptiveAvgPool2d, AdaptiveMaxPool1d,
                      AdaptiveMaxPool2d)
# RMSNorm, the recurrent cells and the Transformer (encoder, decoder, both).
from .normalization import RMSNorm, InstanceNorm1d, InstanceNorm2d, InstanceNorm3d  # noqa: E402,F401
from .rnn import RNNCellBase, RNNCell, LSTMCell, GRUCell  # noqa: E402,F401
from .transformer import (TransformerEncoderLayer, TransformerEncoder,  # noqa: E402,F401
                          TransformerDecoderLayer, TransformerDecoder, Transformer)
