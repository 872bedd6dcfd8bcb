"""Seed 004: "Pytorch学习笔记——tensor的各类操作及求梯度" (CSDN notes).

The page lists calls rather than programs; each is run and printed here, with
``import fgrad as torch``. Where the page names a function that PyTorch does
not have (``torch.uniform``, ``torch.non_zero``, ``output=``, ``badbmm``), the
real PyTorch spelling is used, and the page's spelling is shown to be absent.
"""
# %% 创建tensor
import fgrad as torch
import numpy as np

e = torch.empty(2, 3)            # 未初始化: only its shape and dtype are meaningful
print(e.shape, e.dtype)
print(torch.rand(2, 3))          # 均匀分布
print(torch.randn(2, 3))         # 标准分布
print(torch.normal(0.0, 1.0, size=(2, 2)))                  # 正态分布
print(torch.normal(torch.zeros(3), torch.tensor([1.0, 2.0, 3.0])))
print(hasattr(torch, "uniform"))  # the page's torch.uniform() does not exist; in-place uniform_:
u = torch.empty(2, 3).uniform_(-1, 1)
print(u.shape, bool(((u >= -1) & (u <= 1)).all()))
print(torch.randperm(5))         # 随机排列
print(torch.zeros(2, 3))
print(torch.ones(2, 3))
print(torch.eye(3))
print(torch.arange(0, 10, 2))    # 等差数列
print(torch.linspace(0, 1, 5))   # 等差数列
print(torch.tensor([[1.5, 2], [3, 4]]))
x = torch.randn(2, 3)
print(torch.randn_like(x))
print(torch.randint(0, 10, (2, 4)))

# %% 获取tensor的形状
x = torch.ones(5, 3)
print(x.size())
print(x.shape)
print(x.size(0), x.shape[1])

# %% 加法
x = torch.ones(5, 3)
y = torch.tensor([1.0, 2.0, 3.0]).expand(5, 3).clone()
z = x + y
print(z)
z = torch.empty(5, 3)
torch.add(x, y, out=z)           # the page writes output=z; PyTorch's keyword is out=
print(z)
y.add_(x)
print(y)

# %% 索引: 索引出来的结果与原数据共享内存
x = torch.arange(12, dtype=torch.float32).reshape(3, 4)
y = x[0, :]
y += 1
print(y)
print(x[0, :])  # 源tensor也被改了
print(torch.index_select(x, dim=0, index=torch.tensor([0, 1])))  # 选取第0行和第1行
mask = x > 5
print(torch.masked_select(x, mask))
print(hasattr(torch, "non_zero"), torch.nonzero(torch.tensor([[0, 1], [2, 0]])))
print(torch.gather(x, 1, torch.tensor([[0], [2], [3]])))
print(torch.gather(x, 0, torch.tensor([[2, 1, 0, 0]])))

# %% 改变形状: view 共享内存, clone().view() 不共享
x = torch.arange(6.0)
y = x.view(2, 3)
y[0, 0] = 100
print(x)
z = x.clone().view(3, 2)
z[0, 0] = -1
print(x)
print(z)
print(x.view(-1, 2).shape, x.view(3, -1).size())
s = torch.tensor([2.5])
print(s.item(), type(s.item()).__name__)
print(torch.tensor(7).item())

# %% 线性代数
A = torch.tensor([[2.0, 1.0, 0.0], [1.0, 3.0, 1.0], [0.0, 1.0, 4.0]])
print(A.trace())                 # 对角线元素之和
print(A.diag())                  # 对角线元素
print(A.triu())                  # 上三角
print(A.tril())                  # 下三角
print(A.triu(1), A.tril(-1), sep="\n")
B = torch.arange(9.0).reshape(3, 3)
print(A.mm(B))                   # 矩阵乘法
batch1 = torch.arange(24.0).reshape(2, 3, 4)
batch2 = torch.ones(2, 4, 2)
print(batch1.bmm(batch2))        # batch的矩阵乘法
M = torch.ones(3, 2)
m1 = torch.arange(6.0).reshape(3, 2)
m2 = torch.arange(4.0).reshape(2, 2)
print(M.addmm(m1, m2))           # M + m1 @ m2
print(M.addmm(m1, m2, beta=0.5, alpha=2))
print(torch.zeros(3, 2).addbmm(torch.ones(2, 3, 4), torch.ones(2, 4, 2)))
v = torch.tensor([1.0, 2.0])
print(torch.zeros(3).addmv(m1, v))
print(torch.zeros(2, 3).addr(v, torch.tensor([1.0, 0.0, -1.0])))
print(hasattr(torch.zeros(1), "badbmm"))  # the page's x.badbmm() is baddbmm:
print(torch.zeros(2, 3, 2).baddbmm(batch1, batch2))
print(A.t())                     # 转置
print(A.T)
a = torch.tensor([1.0, 2.0, 3.0])
b = torch.tensor([4.0, 5.0, 6.0])
print(a.dot(b))                  # 内积
print(a.cross(b, dim=0))         # 外积 (the cross product)
print(torch.outer(a, b))
print(A.inverse())               # 求逆矩阵
print(torch.allclose(A @ A.inverse(), torch.eye(3), atol=1e-6))
U, S, V = A.svd()                # 奇异值分解 (singular vectors' signs are LAPACK's choice)
print(S)
print(torch.allclose(U @ torch.diag(S) @ V.t(), A, atol=1e-5))
print(U.shape, V.shape)

# %% 广播机制
x = torch.arange(1, 3).view(1, 2)
y = torch.arange(1, 4).view(3, 1)
print(x)
print(y)
print(x + y)

# %% 运算中的内存问题: y = x + y 新开内存, y[:] = y + x / out= / += / add_ 不新开
x = torch.tensor([1, 2])
y = torch.tensor([3, 4])
id_before = id(y)
y = y + x
print(id(y) == id_before)
y = torch.tensor([3, 4])
id_before = id(y)
y[:] = y + x
print(id(y) == id_before, y)
torch.add(x, y, out=y)
print(id(y) == id_before, y)
y += x
print(id(y) == id_before, y)
y.add_(x)
print(id(y) == id_before, y)

# %% tensor和numpy相互转换: numpy() / from_numpy() 共享内存, torch.tensor() 拷贝
x = torch.ones(5)
y = x.numpy()
x += 1
print(x, y)
y += 1
print(x, y)
a = np.ones(5)
b = torch.from_numpy(a)
a += 1
print(a, b)
b += 1
print(a, b)
c = torch.tensor(a)
a += 1
print(a, c)

# %% tensor on GPU: to() moves between CPU and GPU
x = torch.tensor([1.0, 2.0])
if torch.cuda.is_available():
    device = torch.device("cuda")
    y = torch.ones_like(x, device=device)
    x = x.to(device)
    z = x + y
    print(z)
    print(z.to("cpu", torch.double))
print(x.to("cpu"), x.to(torch.float64), x.to("cpu", torch.int64))

# %% 自动求梯度: requires_grad, grad_fn, is_leaf
x = torch.ones(2, 2, requires_grad=True)
print(x)
print(x.grad_fn, x.is_leaf)
y = x + 2
print(y)
print(y.grad_fn.name(), y.is_leaf)
z = y * y * 3
out = z.mean()
print(z, out)
a = torch.randn(2, 2)
a = ((a * 3) / (a - 1))
print(a.requires_grad)
a.requires_grad_(True)
print(a.requires_grad)
b = (a * a).sum()
print(b.grad_fn.name())

# %% 求梯度: out 是标量, out.backward() 不需要参数; .grad 累加, x.grad.data.zero_()
out.backward()
print(x.grad)
out2 = x.sum()
out2.backward()
print(x.grad)  # 梯度累加
out3 = x.sum()
x.grad.data.zero_()
out3.backward()
print(x.grad)

# %% 非标量: y.backward(w) 等价于 l = torch.sum(y * w); l.backward()
x = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
y = 2 * x
z = y.view(2, 2)
print(z)
v = torch.tensor([[1.0, 0.1], [0.01, 0.001]], dtype=torch.float)
z.backward(v)
print(x.grad)
x2 = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
l = torch.sum((2 * x2).view(2, 2) * v)
l.backward()
print(x2.grad)

# %% 中断梯度追踪: no_grad
x = torch.tensor(1.0, requires_grad=True)
y1 = x ** 2
with torch.no_grad():
    y2 = x ** 3
y3 = y1 + y2
print(x.requires_grad)
print(y1, y1.requires_grad)
print(y2, y2.requires_grad)
print(y3, y3.requires_grad)
y3.backward()
print(x.grad)

# %% 修改 tensor.data: 不会被 autograd 记录
x = torch.ones(1, requires_grad=True)
print(x.data)
print(x.data.requires_grad)
y = 2 * x
x.data *= 100
y.backward()
print(x)
print(x.grad)
