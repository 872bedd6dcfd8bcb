"""``fgrad.utils.data`` against ``torch.utils.data``: batches, lengths, ``drop_last``,
collate structures, splits, samplers and error words (where the RNG does not enter)."""
from __future__ import annotations

import collections

import numpy as np
import pytest

import fgrad
from fgrad.utils.data import (BatchSampler, ConcatDataset, DataLoader, Dataset,
                              IterableDataset, RandomSampler, SequentialSampler, Subset,
                              SubsetRandomSampler, TensorDataset, WeightedRandomSampler,
                              default_collate, random_split)
from tests._torch_compare import compare

torch = pytest.importorskip("torch")
tdata = torch.utils.data


def plain(x):
    """A comparable form of a batch: tensors as (dtype name, shape, values), containers
    kept with their type name."""
    if isinstance(x, (fgrad.Tensor, torch.Tensor)):
        arr = np.asarray(x.detach().cpu().numpy() if isinstance(x, torch.Tensor) else x.numpy())
        return ("T", str(x.dtype).split(".")[-1], tuple(x.shape), arr.tolist())
    if isinstance(x, dict):
        return (type(x).__name__, {k: plain(v) for k, v in x.items()})
    if isinstance(x, tuple) and hasattr(x, "_fields"):
        return (type(x).__name__, tuple(plain(v) for v in x))
    if isinstance(x, (list, tuple)):
        return (type(x).__name__, [plain(v) for v in x])
    return x


class Rows(Dataset):
    """A map-style dataset of (row, label) pairs over NumPy data (either library)."""

    def __init__(self, lib, n):
        self.lib, self.x = lib, np.arange(n * 3, dtype=np.float32).reshape(n, 3)

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return self.lib.from_numpy(self.x[i].copy()), int(i) % 4


class TorchRows(tdata.Dataset):
    __init__, __len__, __getitem__ = Rows.__init__, Rows.__len__, Rows.__getitem__


@pytest.mark.parametrize("n,bs,drop", [(10, 3, False), (10, 3, True), (9, 3, True), (5, 8, False),
                                       (5, 8, True), (1, 1, False)])
def test_sequential_batches_and_len_match_torch(n, bs, drop):
    f = DataLoader(Rows(fgrad, n), batch_size=bs, drop_last=drop)
    t = tdata.DataLoader(TorchRows(torch, n), batch_size=bs, drop_last=drop)
    assert len(f) == len(t)
    assert [plain(b) for b in f] == [plain(b) for b in t]


@pytest.mark.parametrize("n,bs,drop", [(10, 3, False), (10, 4, True), (7, 7, False)])
def test_tensor_dataset_fast_path_matches_torch_and_general_path(n, bs, drop):
    x = np.random.default_rng(0).standard_normal((n, 2, 3))
    y = np.arange(n)
    f = DataLoader(TensorDataset(fgrad.tensor(x), fgrad.tensor(y)), batch_size=bs,
                   drop_last=drop)
    t = tdata.DataLoader(tdata.TensorDataset(torch.tensor(x), torch.tensor(y)), batch_size=bs,
                         drop_last=drop)
    assert [plain(b) for b in f] == [plain(b) for b in t]
    general = DataLoader(TensorDataset(fgrad.tensor(x), fgrad.tensor(y)), batch_size=bs,
                         drop_last=drop, collate_fn=lambda b: default_collate(b))
    assert [plain(b) for b in general] == [plain(b) for b in f]


Point = collections.namedtuple("Point", "x y")


def _samples(lib):
    return {
        "tensors": [lib.tensor([1.0, 2.0]), lib.tensor([3.0, 4.0])],
        "floats": [1.5, 2.0, -3.0],
        "ints": [1, 2, 3],
        "bools": [True, False],
        "strings": ["a", "bc"],
        "numpy": [np.ones((2, 2), np.float32), np.zeros((2, 2), np.float32)],
        "numpy_scalars": [np.float64(1.0), np.float64(2.5)],
        "numpy_ints": [np.int32(1), np.int32(7)],
        "tuples": [(lib.tensor(1.0), 2, "x"), (lib.tensor(3.0), 4, "y")],
        "lists": [[1, 2.0], [3, 4.0]],
        "dicts": [{"a": lib.tensor([1]), "b": {"c": 1.0}}, {"a": lib.tensor([2]),
                                                            "b": {"c": 2.0}}],
        "namedtuples": [Point(1.0, lib.tensor(2)), Point(3.0, lib.tensor(4))],
        "ordered": [collections.OrderedDict(z=1, a=2.0), collections.OrderedDict(z=3, a=4.0)],
    }


@pytest.mark.parametrize("kind", list(_samples(fgrad)))
def test_default_collate_structures_match_torch(kind):
    f = default_collate(_samples(fgrad)[kind])
    t = tdata.default_collate(_samples(torch)[kind])
    assert plain(f) == plain(t)


def test_default_collate_errors_match_torch():
    compare("torch.utils.data.default_collate([[1, 2], [3]])")
    compare("torch.utils.data.default_collate([object(), object()])", error_prefix=88)


def test_batch_size_none_converts_samples_as_torch():
    data = [np.arange(3.0), np.arange(3.0) + 1]
    f = list(DataLoader(data, batch_size=None))
    t = list(tdata.DataLoader(data, batch_size=None))
    assert [plain(b) for b in f] == [plain(b) for b in t]
    assert len(DataLoader(data, batch_size=None)) == 2


def test_shuffle_is_a_permutation_reproducible_with_a_generator():
    ds = TensorDataset(fgrad.arange(20))
    order = lambda g: [v for (b,) in DataLoader(ds, batch_size=6, shuffle=True,
                                                 generator=g) for v in b.tolist()]
    a = order(fgrad.Generator().manual_seed(3))
    assert sorted(a) == list(range(20)) and a != list(range(20))
    assert a == order(fgrad.Generator().manual_seed(3))
    g = fgrad.Generator().manual_seed(3)
    loader = DataLoader(ds, batch_size=6, shuffle=True, generator=g)
    e1 = [v for (b,) in loader for v in b.tolist()]
    e2 = [v for (b,) in loader for v in b.tolist()]
    assert e1 == a and e2 != e1 and sorted(e2) == list(range(20))
    fgrad.manual_seed(5)
    b1 = [v for (b,) in DataLoader(ds, batch_size=6, shuffle=True) for v in b.tolist()]
    fgrad.manual_seed(5)
    b2 = [v for (b,) in DataLoader(ds, batch_size=6, shuffle=True) for v in b.tolist()]
    assert b1 == b2


def test_custom_sampler_and_batch_sampler_objects():
    ds = TensorDataset(fgrad.arange(10))

    class Evens:
        def __iter__(self):
            return iter(range(0, 10, 2))

        def __len__(self):
            return 5

    class Pairs:
        def __iter__(self):
            return iter([[9, 0], [3, 4], [5]])

        def __len__(self):
            return 3

    f = DataLoader(ds, batch_size=2, sampler=Evens())
    t = tdata.DataLoader(tdata.TensorDataset(torch.arange(10)), batch_size=2, sampler=Evens())
    assert len(f) == len(t) == 3
    assert [plain(b) for b in f] == [plain(b) for b in t]
    f = DataLoader(ds, batch_sampler=Pairs())
    t = tdata.DataLoader(tdata.TensorDataset(torch.arange(10)), batch_sampler=Pairs())
    assert len(f) == len(t) == 3
    assert [plain(b) for b in f] == [plain(b) for b in t]


@pytest.mark.parametrize("n,bs,drop", [(10, 3, False), (10, 3, True), (3, 5, False)])
def test_batch_sampler_matches_torch(n, bs, drop):
    assert list(BatchSampler(SequentialSampler(range(n)), bs, drop)) == \
        list(tdata.BatchSampler(tdata.SequentialSampler(range(n)), bs, drop))
    assert len(BatchSampler(range(n), bs, drop)) == len(tdata.BatchSampler(range(n), bs, drop))


def test_random_samplers_draw_valid_indices():
    g = fgrad.Generator().manual_seed(0)
    assert sorted(RandomSampler(range(7), generator=g)) == list(range(7))
    s = list(RandomSampler(range(4), num_samples=10, generator=g))
    assert len(s) == 10 and sorted(s[:4]) == [0, 1, 2, 3] and sorted(s[4:8]) == [0, 1, 2, 3]
    s = list(RandomSampler(range(3), replacement=True, num_samples=50, generator=g))
    assert len(s) == 50 and set(s) <= {0, 1, 2}
    assert sorted(SubsetRandomSampler([5, 1, 9], generator=g)) == [1, 5, 9]
    w = list(WeightedRandomSampler([0.0, 1.0, 0.0, 1.0], 20, generator=g))
    assert len(w) == 20 and set(w) <= {1, 3}


@pytest.mark.parametrize("lengths", [[3, 7], [0.5, 0.5], [0.3, 0.3, 0.4], [0.33, 0.33, 0.34],
                                     [0.1, 0.9], [1.0]])
def test_random_split_lengths_match_torch(lengths):
    f = random_split(range(10), lengths, generator=fgrad.Generator().manual_seed(0))
    t = tdata.random_split(range(10), lengths, generator=torch.Generator().manual_seed(0))
    assert [len(s) for s in f] == [len(s) for s in t]
    assert sorted(i for s in f for i in s) == list(range(10))


def test_random_split_errors_match_torch():
    compare("torch.utils.data.random_split(range(10), [3, 8])")
    compare("torch.utils.data.random_split(range(10), [1.5, -0.5])")


def test_concat_and_subset_match_torch():
    a, b = list(range(3)), list(range(10, 15))
    f, t = ConcatDataset([a, b]), tdata.ConcatDataset([a, b])
    assert len(f) == len(t) and f.cumulative_sizes == t.cumulative_sizes
    assert [f[i] for i in range(-8, 8)] == [t[i] for i in range(-8, 8)]
    s, ts = Subset(f, [7, 0, 4]), tdata.Subset(t, [7, 0, 4])
    assert [s[i] for i in range(3)] == [ts[i] for i in range(3)] and len(s) == 3
    ds = TensorDataset(fgrad.arange(4)) + TensorDataset(fgrad.arange(4) * 10)
    assert isinstance(ds, ConcatDataset) and ds[5][0].item() == 10


class Stream(IterableDataset):
    def __init__(self, lib, n):
        self.lib, self.n = lib, n

    def __iter__(self):
        return (self.lib.tensor(float(i)) for i in range(self.n))

    def __len__(self):
        return self.n


class TorchStream(tdata.IterableDataset):
    __init__, __iter__, __len__ = Stream.__init__, Stream.__iter__, Stream.__len__


@pytest.mark.parametrize("bs,drop", [(3, False), (3, True), (None, False)])
def test_iterable_dataset_matches_torch(bs, drop):
    f = DataLoader(Stream(fgrad, 8), batch_size=bs, drop_last=drop)
    t = tdata.DataLoader(TorchStream(torch, 8), batch_size=bs, drop_last=drop)
    assert len(f) == len(t)
    assert [plain(b) for b in f] == [plain(b) for b in t]


@pytest.mark.parametrize("args", [
    "sampler=torch.utils.data.SequentialSampler(range(4)), shuffle=True",
    "batch_sampler=[[0, 1]], batch_size=2",
    "batch_sampler=[[0, 1]], drop_last=True",
    "batch_size=None, drop_last=True",
    "num_workers=-1",
])
def test_option_errors_match_torch(args):
    compare(f"torch.utils.data.DataLoader(list(range(4)), {args})")


def test_sampler_argument_errors_match_torch():
    compare("torch.utils.data.BatchSampler(range(4), 0, False)")
    compare("torch.utils.data.BatchSampler(range(4), 2, 1)")
    compare("torch.utils.data.RandomSampler(range(4), num_samples=0)")


def test_num_workers_runs_in_process_with_the_same_batches():
    ds = Rows(fgrad, 7)
    a = [plain(b) for b in DataLoader(ds, batch_size=3, num_workers=2)]
    assert a == [plain(b) for b in DataLoader(ds, batch_size=3)]


def test_generator_state_round_trip():
    g = fgrad.Generator().manual_seed(11)
    state = g.get_state()
    a = fgrad.randn(4, generator=g)
    g.set_state(state)
    assert fgrad.equal(a, fgrad.randn(4, generator=g))
    assert g.initial_seed() == 11
