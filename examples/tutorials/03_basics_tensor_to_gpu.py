"""Seed 002: "PyTorch基础教程:从张量操作到GPU加速" (gitcode).

Every snippet of the page, with ``import fgrad as torch``; the page's comments
say what each line prints, the prints are here.
"""
# %% 2.1 创建张量
import fgrad as torch

# 从Python列表创建
x = torch.tensor([1, 2, 3, 4])
# 创建特定形状的张量
zeros = torch.zeros(3, 4)  # 3行4列的全0张量
ones = torch.ones(2, 3)  # 2行3列的全1张量
rand = torch.rand(2, 2)  # 2×2的均匀分布随机数
# 创建特定范围的张量
range_tensor = torch.arange(0, 10, step=1)  # 0到9的序列
print(x)
print(zeros)
print(ones)
print(rand)
print(range_tensor)

# %% 2.2 张量属性
x = torch.randn(3, 4, 5)
print(x.shape)  # 张量形状:torch.Size([3, 4, 5])
print(x.dtype)  # 数据类型:torch.float32
print(x.device)  # 存储设备:cpu或cuda

# %% 2.3 张量索引与切片
x = torch.tensor([[1, 2, 3], [4, 5, 6], [7, 8, 9]])
# 获取单个元素
print(x[0, 0])  # 输出1
# 切片操作
print(x[:, 0])  # 第一列:[1, 4, 7]
# 布尔索引
mask = x > 5
print(x[mask])  # 输出大于5的元素
print(mask)

# %% 3.1 基本算术运算
a = torch.tensor([1, 2, 3])
b = torch.tensor([4, 5, 6])
# 逐元素加法
print(a + b)  # 输出[5, 7, 9]
# 逐元素乘法
print(a * b)  # 输出[4, 10, 18]

# %% 3.2 矩阵运算
a = torch.tensor([[1, 2], [3, 4]])
b = torch.tensor([[5, 6], [7, 8]])
# 矩阵乘法
print(a @ b)  # 使用@运算符
print(torch.matmul(a, b))  # 使用matmul函数
# 矩阵转置
print(a.t())

# %% 3.3 归约运算
x = torch.tensor([[1, 2, 3], [4, 5, 6]])
# 求和
print(x.sum())  # 所有元素和
print(x.sum(dim=0))  # 沿行求和
print(x.sum(dim=1))  # 沿列求和
# 最大值
print(x.max(dim=0))  # 返回值和索引
values, indices = x.max(dim=0)
print(values, indices)

# %% 四、与NumPy的互操作
import numpy as np

# NumPy数组转PyTorch张量
np_array = np.array([1, 2, 3])
tensor = torch.from_numpy(np_array)
print(tensor)
# PyTorch张量转NumPy数组
tensor = torch.tensor([4, 5, 6])
np_array = tensor.numpy()
print(np_array, np_array.dtype)

# %% 注意:CPU上的张量与NumPy数组共享内存,修改一个会影响另一个
np_array = np.array([1, 2, 3])
tensor = torch.from_numpy(np_array)
np_array[0] = 100
print(tensor)
tensor[1] = 200
print(np_array)
tensor = torch.tensor([4, 5, 6])
np_array = tensor.numpy()
tensor.add_(1)
print(np_array)

# %% 五、GPU加速
# 检查GPU是否可用
print(torch.cuda.is_available())
# 将张量移动到GPU
if torch.cuda.is_available():
    device = torch.device("cuda")
    x = torch.tensor([1, 2, 3], device=device)
    # 执行GPU运算
    y = x * 2  # 在GPU上执行
    print(y)

# %% 六、计算图与自动微分
# 创建需要计算梯度的张量
x = torch.tensor(2.0, requires_grad=True)
y = torch.tensor(3.0, requires_grad=True)
# 构建计算图
z = x**2 + y**3
# 计算梯度
z.backward()
# 查看梯度
print(x.grad)  # dz/dx = 4
print(y.grad)  # dz/dy = 27

# %% 注意:PyTorch默认会累积梯度,需要在每次反向传播前清零
x.grad.zero_()  # 清零梯度
print(x.grad)
z = x**2 + y**3
z.backward()
print(x.grad, y.grad)
