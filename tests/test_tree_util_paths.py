"""tree_util's key paths and class registration, against jax.tree_util."""
import collections
import dataclasses

import numpy as np
import pytest

import fgrad
import fgrad.numpy as fnp
from fgrad import tree_util as tu

P = collections.namedtuple("P", "x y")
TREE = {"b": P(3, [4, None]), "a": [1, (2,)], "c": collections.OrderedDict([("z", 5), ("y", 6)])}


def _as_text(pairs):
    return [(tu.keystr(p), leaf) for p, leaf in pairs]


def test_flatten_with_path_matches_leaves_and_jax():
    pairs, treedef = tu.tree_flatten_with_path(TREE)
    assert [leaf for _, leaf in pairs] == tu.tree_leaves(TREE)
    assert treedef == tu.tree_structure(TREE)
    assert _as_text(pairs) == [("['a'][0]", 1), ("['a'][1][0]", 2), ("['b'].x", 3),
                               ("['b'].y[0]", 4), ("['c']['z']", 5), ("['c']['y']", 6)]
    jtu = pytest.importorskip("jax.tree_util")
    jpairs, _ = jtu.tree_flatten_with_path(TREE)
    assert _as_text(pairs) == [(jtu.keystr(p), leaf) for p, leaf in jpairs]
    assert [repr(k) for p, _ in pairs for k in p] == [repr(k) for p, _ in jpairs for k in p]


def test_map_and_leaves_with_path():
    out = tu.tree_map_with_path(lambda p, x, y: (tu.keystr(p), x + y), {"u": 1, "v": [2]},
                                {"u": 10, "v": [20]})
    assert out == {"u": ("['u']", 11), "v": [("['v'][0]", 22)]}
    assert tu.tree_leaves_with_path([7]) == [((tu.SequenceKey(0),), 7)]
    assert tu.keystr((tu.DictKey("a"), tu.SequenceKey(0), tu.GetAttrKey("w")), simple=True,
                     separator="/") == "a/0/w"


def test_register_pytree_node_class_and_flat_index_keys():
    @tu.register_pytree_node_class
    class Box:
        def __init__(self, lo, hi, name):
            self.lo, self.hi, self.name = lo, hi, name

        def tree_flatten(self):
            return (self.lo, self.hi), self.name

        @classmethod
        def tree_unflatten(cls, name, children):
            return cls(*children, name)

    b = tu.tree_map(lambda v: v * 2, Box(1, 2, "b"))
    assert (b.lo, b.hi, b.name) == (2, 4, "b")
    assert _as_text(tu.tree_flatten_with_path(Box(1, 2, "b"))[0]) == \
        [("[<flat index 0>]", 1), ("[<flat index 1>]", 2)]
    g = fgrad.grad(lambda bx: fnp.sum(bx.lo * bx.hi))(Box(fnp.asarray(3.0), fnp.asarray(4.0), "n"))
    assert float(g.lo) == 4.0 and float(g.hi) == 3.0 and g.name == "n"


def test_register_dataclass_static_fields():
    @tu.register_dataclass
    @dataclasses.dataclass
    class Layer:
        w: object
        b: object
        act: str = dataclasses.field(default="tanh", metadata=dict(static=True))

    layer = Layer(fnp.asarray([1.0, 2.0]), fnp.asarray(0.5))
    pairs, treedef = tu.tree_flatten_with_path(layer)
    assert [tu.keystr(p) for p, _ in pairs] == [".w", ".b"]
    assert tu.tree_unflatten(treedef, [1, 2]) == Layer(1, 2)
    assert tu.tree_structure(Layer(1, 2, "relu")) != treedef
    out = fgrad.jit(lambda l: l.w * l.b)(layer)          # a pytree argument of jit
    np.testing.assert_allclose(np.asarray(out), [0.5, 1.0])

    class Plain:
        def __init__(self, x, k):
            self.x, self.k = x, k
    tu.register_dataclass(Plain, data_fields=["x"], meta_fields=["k"])
    assert tu.tree_leaves(Plain(1, "k")) == [1]
    with pytest.raises(TypeError):
        tu.register_dataclass(type("NotDC", (), {}))
