"""fgrad.tree, the key-path functions of fgrad.tree_util, fgrad.flatten_util.ravel_pytree and
fgrad.jacobian, against jax.tree / jax.tree_util / jax.flatten_util."""
from collections import OrderedDict, namedtuple

import numpy as np
import pytest

import fgrad
import fgrad.numpy as fnp
from fgrad.flatten_util import ravel_pytree
from fgrad.tree_util import keystr

jax = pytest.importorskip("jax")
import jax.flatten_util  # noqa: E402
jax.config.update("jax_enable_x64", True)

Point = namedtuple("Point", "x y")
TREES = [
    {"b": (1, 2), "a": [3, None, {"z": 4, "c": 5}]},
    [Point(1, (2, 3)), OrderedDict([("q", 6), ("p", 7)])],
    (1,), 5, [], {"k": Point(x=[1], y=2)},
]


@pytest.mark.parametrize("tree", TREES)
def test_names_agree_with_jax(tree):
    assert fgrad.tree.leaves(tree) == jax.tree.leaves(tree)
    assert fgrad.tree.map(lambda v: v * 10, tree) == jax.tree.map(lambda v: v * 10, tree)
    leaves, td = fgrad.tree.flatten(tree)
    assert fgrad.tree.unflatten(td, leaves) == tree
    assert fgrad.tree.structure(tree) == td
    assert fgrad.tree.reduce(lambda a, b: a + b, tree, 0) == jax.tree.reduce(
        lambda a, b: a + b, tree, 0)
    assert fgrad.tree.all(tree) == jax.tree.all(tree)
    mine = [(keystr(p), v) for p, v in fgrad.tree.leaves_with_path(tree)]
    ref = [(jax.tree_util.keystr(p), v) for p, v in jax.tree_util.tree_leaves_with_path(tree)]
    assert mine == ref
    assert fgrad.tree.map_with_path(lambda p, v: keystr(p), tree) == \
        jax.tree_util.tree_map_with_path(lambda p, v: jax.tree_util.keystr(p), tree)
    assert [keystr(p) for p, _ in fgrad.tree.flatten_with_path(tree)[0]] == [r for r, _ in ref]


def test_map_several_trees_reduce_all_transpose():
    a, b = {"x": 1, "y": (2, 3)}, {"x": 10, "y": (20, 30)}
    assert fgrad.tree.map(lambda u, v: u + v, a, b) == {"x": 11, "y": (22, 33)}
    assert fgrad.tree.map_with_path(lambda p, u, v: (keystr(p), u * v), a, b)["y"][1] == \
        ("['y'][1]", 90)
    with pytest.raises(ValueError, match="structure"):
        fgrad.tree.map(lambda u, v: u, a, {"x": 1, "y": [2, 3]})
    assert fgrad.tree.reduce(max, [3, (9, 1)]) == 9
    assert fgrad.tree.all([True, {"a": 1}]) and not fgrad.tree.all([True, 0])
    outer = fgrad.tree.structure([0, 0, 0])
    inner = fgrad.tree.structure({"a": 0, "b": 0})
    tree = [{"a": 1, "b": 2}, {"a": 3, "b": 4}, {"a": 5, "b": 6}]
    want = jax.tree_util.tree_transpose(jax.tree.structure([0, 0, 0]),
                                        jax.tree.structure({"a": 0, "b": 0}), tree)
    assert fgrad.tree.transpose(outer, inner, tree) == want
    assert fgrad.tree.transpose(outer, None, tree) == want


def test_ravel_pytree():
    tree = {"w": np.arange(6.0).reshape(2, 3), "b": np.float32(2.0), "n": [np.ones(2, np.float32)]}
    flat, unravel = ravel_pytree(tree)
    jflat, junravel = jax.flatten_util.ravel_pytree(tree)
    np.testing.assert_array_equal(np.asarray(flat), np.asarray(jflat))
    assert flat.dtype == jflat.dtype
    back = unravel(flat * 2)
    jback = junravel(jflat * 2)
    assert fgrad.tree.structure(back) == fgrad.tree.structure(tree)
    for m, r in zip(fgrad.tree.leaves(back), jax.tree.leaves(jback)):
        assert m.dtype == r.dtype and m.shape == r.shape
        np.testing.assert_array_equal(np.asarray(m), np.asarray(r))
    # differentiable both ways
    g = fgrad.grad(lambda v: fnp.sum(unravel(v)["w"] ** 2))(flat)
    np.testing.assert_array_equal(np.asarray(g), np.asarray(
        jax.grad(lambda v: (junravel(v)["w"] ** 2).sum())(jflat)))
    g2 = fgrad.grad(lambda t: fnp.sum(ravel_pytree(t)[0] ** 2))(
        {"a": fnp.asarray([1.0, 2.0]), "b": fnp.asarray(3.0)})
    assert g2["a"].tolist() == [2.0, 4.0] and float(g2["b"]) == 6.0
    with pytest.raises(ValueError, match="expected an array of shape"):
        unravel(fnp.zeros(3))
    empty, un = ravel_pytree([])
    assert empty.shape == (0,) and un(empty) == []


def test_jacobian_is_jacrev():
    assert fgrad.jacobian is fgrad.jacrev
    f = lambda x: fnp.sin(x) * x[0]
    x = np.array([0.3, 1.2])
    np.testing.assert_allclose(np.asarray(fgrad.jacobian(f)(fnp.asarray(x))),
                               np.asarray(jax.jacobian(lambda v: jax.numpy.sin(v) * v[0])(x)))
