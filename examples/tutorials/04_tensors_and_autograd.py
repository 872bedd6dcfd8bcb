"""Seed 003: "PyTorch 张量操作与自动微分" (tensors, broadcasting, devices, autograd, linear regression).

Every snippet of the page, with ``import fgrad as torch``. Departures, each
marked where it happens: IPython's ``%timeit`` becomes ``timeit.timeit``
(timings are not printed, they change from run to run); the matplotlib plots
are replaced by the arrays they would plot; ``model``/``MyModel`` (undefined
on the page) become a linear function of ``w`` and ``b``.
"""
# %% 一、验证安装
import fgrad as torch

print(f"PyTorch 版本: {torch.__version__}")
print(f"CUDA 可用: {torch.cuda.is_available()}")
if torch.cuda.is_available():
    print(f"GPU 型号: {torch.cuda.get_device_name(0)}")

# %% 2.1 创建张量
import fgrad as torch
import numpy as np

a = torch.tensor([[1, 2], [3, 4]])
print(f"从列表创建:\n{a}")

b = torch.from_numpy(np.array([[5, 6], [7, 8]]))
print(f"从 NumPy 创建:\n{b}")

zeros = torch.zeros(2, 3)
ones = torch.ones(2, 3)
eye = torch.eye(3)
rand = torch.randn(2, 4)
print(f"全零:\n{zeros}")
print(f"随机:\n{rand}")

x = torch.tensor([1, 2, 3], dtype=torch.float32,
                 device='cuda' if torch.cuda.is_available() else 'cpu')
print(f"指定设备和类型: {x}")
print(ones, eye, sep="\n")

# %% 2.2 张量属性
x = torch.randn(3, 4, 5)
print(f"形状: {x.shape}")
print(f"维度数: {x.ndim}")
print(f"数据类型: {x.dtype}")
print(f"元素总数: {x.numel()}")
print(f"设备: {x.device}")

# %% 2.3 索引与切片(和 NumPy 一样)
x = torch.randn(4, 4)
print(f"原始:\n{x}")

print(f"第一行: {x[0]}")
print(f"第二列: {x[:, 1]}")
print(f"子矩阵: {x[1:3, 1:3]}")

indices = torch.tensor([0, 2, 3])
print(f"花式索引: {x[indices]}")

print(f"大于0的值: {x[x > 0]}")

# %% 2.4 张量运算
a = torch.tensor([[1, 2], [3, 4]], dtype=torch.float32)
b = torch.tensor([[5, 6], [7, 8]], dtype=torch.float32)

print(f"加法: \n{a + b}")
print(f"乘法(逐元素): \n{a * b}")

print(f"矩阵乘法: \n{torch.mm(a, b)}")
print(f"矩阵乘法(@运算符): \n{a @ b}")

print(f"求和: {a.sum()}")
print(f"均值: {a.mean()}")
print(f"标准差: {a.std()}")
print(f"最大值: {a.max()}")
print(f"转置: \n{a.T}")

c = torch.randn(2, 3, 4)
print(f"原始形状: {c.shape}")
print(f"展平: {c.view(-1).shape}")
print(f"重塑: {c.view(6, 4).shape}")

# %% 2.5 广播机制
a = torch.tensor([[1, 2, 3], [4, 5, 6]])
b = torch.tensor([10, 20, 30])

print(a + b)

# %% 2.6 CPU 与 GPU 切换
import timeit

device = torch.device('cuda' if torch.cuda.is_available() else 'cpu')
print(f"使用设备: {device}")

x = torch.randn(1000, 1000)
y = torch.randn(1000, 1000)

# %timeit x @ y   (timings are not printed: they differ from run to run)
timeit.timeit(lambda: x @ y, number=2)

x_gpu = x.to(device)
y_gpu = y.to(device)
# %timeit x_gpu @ y_gpu
timeit.timeit(lambda: x_gpu @ y_gpu, number=2)
print((x_gpu @ y_gpu).shape, (x_gpu @ y_gpu).device)

# %% 3.1 基本原理
x = torch.tensor([2.0], requires_grad=True)

y = x ** 2 + 3 * x + 1

y.backward()

print(f"梯度 dy/dx: {x.grad}")
print(y)

# %% 3.3 复杂例子:线性回归
import fgrad as torch

torch.manual_seed(42)
X = torch.linspace(-1, 1, 100).reshape(-1, 1)
true_w, true_b = 2.0, 1.0
y = true_w * X + true_b + torch.randn_like(X) * 0.1

w = torch.randn(1, requires_grad=True)
b = torch.zeros(1, requires_grad=True)

learning_rate = 0.1
losses = []

for epoch in range(100):
    y_pred = X @ w + b

    loss = ((y_pred - y) ** 2).mean()

    loss.backward()

    with torch.no_grad():
        w -= learning_rate * w.grad
        b -= learning_rate * b.grad

    w.grad.zero_()
    b.grad.zero_()

    losses.append(loss.item())

print(f"真实参数: w={true_w}, b={true_b}")
print(f"学习结果: w={w.item():.4f}, b={b.item():.4f}")

# The page plots these; the arrays are printed instead (matplotlib is not needed).
print(f"losses: first={losses[0]:.4f} last={losses[-1]:.4f} n={len(losses)}")
print(X.numpy().shape, y.numpy().shape, (X @ w + b).detach().numpy().shape)
print((X @ w + b).detach().numpy()[:3].round(4).ravel())

# %% 3.4 梯度清零:为什么每次都要做?
lr = learning_rate
# 错误: w is a leaf that requires grad, so it cannot be updated in place outside no_grad
loss = ((X @ w + b - y) ** 2).mean()
loss.backward()
try:
    w -= lr * w.grad
except RuntimeError as e:
    print("RuntimeError:", e)
# 错误: without zeroing, the second backward adds to the first gradient
g1 = w.grad.clone()
loss = ((X @ w + b - y) ** 2).mean()
loss.backward()
print(torch.allclose(w.grad, 2 * g1))

# 正确
w.grad.zero_()
b.grad.zero_()
loss = ((X @ w + b - y) ** 2).mean()
loss.backward()
with torch.no_grad():
    w -= lr * w.grad
    w.grad.zero_()
print(w.grad, w.requires_grad, w.is_leaf)

# %% 3.5 禁用梯度追踪
def model(inputs):  # the page's model is not defined there; a linear one
    return inputs @ w + b


X_test = torch.linspace(0, 1, 5).reshape(-1, 1)
with torch.no_grad():
    y_pred = model(X_test)
print(y_pred.requires_grad, y_pred.grad_fn)

torch.set_grad_enabled(False)
print(model(X_test).requires_grad)
torch.set_grad_enabled(True)
print(model(X_test).requires_grad)

# %% 4.1 随机种子
torch.manual_seed(42)
torch.cuda.manual_seed(42)
np.random.seed(42)
first = torch.rand(3)
torch.manual_seed(42)
print(torch.equal(first, torch.rand(3)), first.shape, first.dtype)

# %% 4.2 Tensor 与 NumPy 互转
tensor = torch.ones(3, 4)
numpy_arr = tensor.numpy()
print(numpy_arr.dtype, numpy_arr.shape)

numpy_arr = np.ones((3, 4))
tensor = torch.from_numpy(numpy_arr)
print(tensor)

tensor_clone = torch.tensor(numpy_arr)
# 注意:CPU 上的 Tensor 和 NumPy 数组共享内存,修改一个会影响另一个
numpy_arr[0, 0] = 5
print(tensor[0], tensor_clone[0])

# %% 4.3 设备无关的代码
device = torch.device('cuda' if torch.cuda.is_available() else 'cpu')
# model = MyModel().to(device)   (MyModel is not defined on the page)
data = torch.randn(4, 3)
labels = torch.tensor([0, 1, 1, 0])
data = data.to(device)
labels = labels.to(device)
print(device, data.device, labels.device, labels)
