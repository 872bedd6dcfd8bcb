"""``fgrad.tree``: the short names of ``fgrad.tree_util``, as ``jax.tree``.

>>> import fgrad
>>> fgrad.tree.map(lambda x: x * 2, {'a': 1, 'b': (2, 3)})
{'a': 2, 'b': (4, 6)}
>>> fgrad.tree.reduce(lambda a, b: a + b, [1, 2, 3])
6
"""
from __future__ import annotations

import functools
from typing import Any, Callable

from . import tree_util as _tu
from .tree_util import PyTreeDef

__all__ = ["map", "leaves", "structure", "flatten", "unflatten", "reduce", "all", "transpose",
           "map_with_path", "flatten_with_path", "leaves_with_path"]

_NO_INITIAL = object()


def map(f: Callable, tree: Any, *rest: Any, is_leaf: Callable | None = None) -> Any:  # noqa: A001
    """``f`` applied leaf-wise over ``tree`` and the same-structured trees ``rest``.

    >>> map(lambda x, y: x + y, [1, 2], [10, 20])
    [11, 22]
    """
    return _tu.tree_map(f, tree, *rest, is_leaf=is_leaf)


def leaves(tree: Any, is_leaf: Callable | None = None) -> list:
    """The leaves, left to right (dicts by sorted key).

    >>> leaves({'b': 1, 'a': [2, None]})
    [2, 1]
    """
    return _tu.tree_leaves(tree, is_leaf)


def structure(tree: Any, is_leaf: Callable | None = None) -> PyTreeDef:
    """The structure (``PyTreeDef``) of ``tree``.

    >>> structure((1, [2]))
    PyTreeDef(tuple[*, PyTreeDef(list[*])])
    """
    return _tu.tree_structure(tree, is_leaf)


def flatten(tree: Any, is_leaf: Callable | None = None) -> tuple[list, PyTreeDef]:
    """``(leaves, treedef)``.

    >>> flatten({'a': 1, 'b': 2})[0]
    [1, 2]
    """
    return _tu.tree_flatten(tree, is_leaf)


def unflatten(treedef: PyTreeDef, leaves: Any) -> Any:  # noqa: F811
    """The tree of structure ``treedef`` holding ``leaves``.

    >>> unflatten(structure((1, 2)), [3, 4])
    (3, 4)
    """
    return _tu.tree_unflatten(treedef, leaves)


def reduce(function: Callable, tree: Any, initializer: Any = _NO_INITIAL,
           is_leaf: Callable | None = None) -> Any:
    """``functools.reduce`` over the leaves.

    >>> reduce(max, {'a': 3, 'b': [5, 1]}, 0)
    5
    """
    ls = _tu.tree_leaves(tree, is_leaf)
    if initializer is _NO_INITIAL:
        return functools.reduce(function, ls)
    return functools.reduce(function, ls, initializer)


def all(tree: Any, *, is_leaf: Callable | None = None) -> bool:  # noqa: A001
    """Whether every leaf is truthy (``True`` for a tree without leaves).

    >>> all([True, (1, None)]), all({'a': 0})
    (True, False)
    """
    return builtins_all(_tu.tree_leaves(tree, is_leaf))


def transpose(outer_treedef: PyTreeDef, inner_treedef: PyTreeDef | None,
              pytree_to_transpose: Any) -> Any:
    """Turn a tree of structure ``outer`` of trees of structure ``inner`` into a tree of
    structure ``inner`` of trees of structure ``outer`` (``inner`` None: inferred).

    >>> transpose(structure([0, 0]), structure((0, 0)), [(1, 2), (3, 4)])
    ([1, 3], [2, 4])
    """
    inners = _tu.flatten_up_to(outer_treedef, pytree_to_transpose)
    if inner_treedef is None:
        if not inners:
            raise ValueError("tree.transpose: cannot infer inner_treedef from an empty tree")
        inner_treedef = _tu.tree_structure(inners[0])
    columns = [_tu.flatten_up_to(inner_treedef, t) for t in inners]
    n = inner_treedef.num_leaves
    per_leaf = [_tu.tree_unflatten(outer_treedef, [c[i] for c in columns]) for i in range(n)]
    return _tu.tree_unflatten(inner_treedef, per_leaf)


def map_with_path(f: Callable, tree: Any, *rest: Any, is_leaf: Callable | None = None) -> Any:
    """``map`` whose ``f`` gets each leaf's key path first: ``f(path, x, *xs)``.

    >>> from fgrad.tree_util import keystr
    >>> map_with_path(lambda p, x: keystr(p), [1, {'k': 2}])
    ['[0]', {'k': "[1]['k']"}]
    """
    return _tu.tree_map_with_path(f, tree, *rest, is_leaf=is_leaf)


def flatten_with_path(tree: Any, is_leaf: Callable | None = None) -> tuple[list, PyTreeDef]:
    """``([(key_path, leaf), ...], treedef)``.

    >>> flatten_with_path((5,))[0]
    [((SequenceKey(idx=0),), 5)]
    """
    return _tu.tree_flatten_with_path(tree, is_leaf)


def leaves_with_path(tree: Any, is_leaf: Callable | None = None) -> list:
    """``[(key_path, leaf), ...]``.

    >>> leaves_with_path({'a': 1})
    [((DictKey(key='a'),), 1)]
    """
    return _tu.tree_leaves_with_path(tree, is_leaf)


import builtins as _builtins  # noqa: E402  (``all`` above shadows the builtin)

builtins_all = _builtins.all
