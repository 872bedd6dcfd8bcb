"""``fgrad.tree_util``: flatten / unflatten / map over the standard containers and user nodes."""
from collections import OrderedDict, namedtuple

import pytest
from hypothesis import given, settings, strategies as st

from fgrad.tree_util import (register_pytree_node, tree_flatten, tree_leaves, tree_map,
                             tree_structure, tree_unflatten)

Pair = namedtuple("Pair", ["a", "b"])


class Node:
    def __init__(self, kids, tag):
        self.kids, self.tag = kids, tag

    def __eq__(self, other):
        return type(other) is Node and self.kids == other.kids and self.tag == other.tag


register_pytree_node(Node, lambda n: (n.kids, n.tag), lambda tag, kids: Node(list(kids), tag))

leaves = st.integers(-5, 5) | st.floats(-1, 1, allow_nan=False) | st.text(max_size=2)
trees = st.recursive(
    leaves | st.none(),
    lambda kids: (st.lists(kids, max_size=3) | st.lists(kids, max_size=3).map(tuple)
                  | st.dictionaries(st.text(max_size=2), kids, max_size=3)
                  | st.tuples(kids, kids).map(lambda t: Pair(*t))
                  | st.lists(kids, max_size=2).map(lambda k: Node(k, "t"))),
    max_leaves=8)


@settings(max_examples=40, deadline=None)
@given(trees)
def test_roundtrip(tree):
    ls, td = tree_flatten(tree)
    assert tree_unflatten(td, ls) == tree
    assert tree_leaves(tree) == ls
    assert td.num_leaves == len(ls)
    assert tree_structure(tree) == td
    assert None not in ls          # None is an empty node, not a leaf


def test_order_and_structure():
    tree = {"b": (1, [2, None]), "a": Pair(3, {"z": 4, "y": 5}), "c": Node([6], "x")}
    ls, td = tree_flatten(tree)
    assert ls == [3, 5, 4, 1, 2, 6]                  # dict keys sorted, as JAX
    back = tree_unflatten(td, [x * 10 for x in ls])
    assert back == {"b": (10, [20, None]), "a": Pair(30, {"z": 40, "y": 50}),
                    "c": Node([60], "x")}
    assert isinstance(back["a"], Pair)
    od = OrderedDict([("z", 1), ("a", 2)])
    assert tree_leaves(od) == [1, 2]                 # OrderedDict keeps insertion order
    assert type(tree_unflatten(tree_structure(od), [5, 6])) is OrderedDict


def test_tree_map_multiple_trees_and_is_leaf():
    assert tree_map(lambda x, y: x + y, (1, [2]), (10, [20])) == (11, [22])
    assert tree_map(lambda x: x * 2, {"a": 1, "b": None}) == {"a": 2, "b": None}
    out = tree_map(lambda p: p.a + p.b, [Pair(1, 2), Pair(3, 4)],
                   is_leaf=lambda x: isinstance(x, Pair))
    assert out == [3, 7]
    with pytest.raises(ValueError, match="structure"):
        tree_map(lambda x, y: x, (1, 2), [1, 2])
    with pytest.raises(ValueError, match="structure"):
        tree_map(lambda x, y: x, (1, 2), (1, 2, 3))
    with pytest.raises(ValueError):
        tree_map(lambda x, y: x, {"a": 1}, {"b": 1})


def test_treedef_equality_and_repr():
    assert tree_structure((1, 2)) == tree_structure((3, 4))
    assert tree_structure((1, 2)) != tree_structure([1, 2])
    assert tree_structure({"a": 1}) != tree_structure({"b": 1})
    assert hash(tree_structure((1, [2]))) == hash(tree_structure((5, [6])))
    assert "tuple" in repr(tree_structure((1, 2)))


def test_transforms_leave_no_reference_cycles():
    """Results and intermediates are freed by reference counting as soon as they die: no
    call leaves cyclic garbage behind (a cycle would keep large arrays alive until the
    garbage collector runs, and make every next call fault fresh memory)."""
    import gc

    import numpy as np

    import fgrad
    import fgrad.numpy as fnp

    x = fnp.asarray(np.linspace(0.1, 0.9, 4))
    params = {"w": x, "b": [fnp.asarray(0.5), fnp.asarray(1.5)]}
    f = lambda p: fnp.sum(fnp.sin(p["w"]) * p["b"][0] + p["b"][1])
    g = lambda x: fnp.sum(fnp.sin(x) * 2.0)
    jitted = fgrad.jit(fgrad.value_and_grad(f))
    cases = [
        lambda: fgrad.grad(f)(params),
        lambda: fgrad.value_and_grad(g)(x),
        lambda: fgrad.vmap(fgrad.grad(g))(fnp.stack([x, x])),
        lambda: fgrad.jacfwd(fgrad.jacrev(g))(x),
        lambda: fgrad.jvp(g, (x,), (x,)),
        lambda: fgrad.vjp(f, params)[1](fnp.asarray(1.0)),
        lambda: jitted(params),
        lambda: fgrad.tree_util.tree_map(lambda a, b: a + b, params, params),
    ]
    for case in cases:
        case()
        gc.collect()
        gc.disable()
        try:
            for _ in range(3):
                case()
            assert gc.collect() == 0
        finally:
            gc.enable()
