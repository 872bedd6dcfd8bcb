"""Pytrees: nested tuples, lists, dicts, namedtuples and None, plus registered nodes.

>>> from fgrad.tree_util import tree_flatten, tree_unflatten, tree_map
>>> leaves, treedef = tree_flatten({'b': (1, 2), 'a': [3]})
>>> leaves
[3, 1, 2]
>>> tree_unflatten(treedef, [x * 10 for x in leaves])
{'a': [30], 'b': (10, 20)}
>>> tree_map(lambda x: x + 1, (1, [2, None]))
(2, [3, None])
"""
from __future__ import annotations

from collections import OrderedDict
from typing import Any, Callable, NamedTuple

_registry: dict[type, tuple[Callable, Callable]] = {}


def register_pytree_node(nodetype: type, flatten_func: Callable, unflatten_func: Callable) -> None:
    """Make ``nodetype`` a pytree node.

    ``flatten_func(x) -> (children, aux_data)``;
    ``unflatten_func(aux_data, children) -> x``.
    """
    _registry[nodetype] = (flatten_func, unflatten_func)


register_pytree_node(tuple, lambda t: (t, None), lambda _, c: tuple(c))
register_pytree_node(list, lambda l: (l, None), lambda _, c: list(c))
register_pytree_node(type(None), lambda n: ((), None), lambda _, c: None)


def _dict_flatten(d):
    keys = sorted(d)
    return [d[k] for k in keys], (type(d), keys)


def _dict_unflatten(aux, children):
    cls, keys = aux
    return cls(zip(keys, children)) if cls is not dict else dict(zip(keys, children))


register_pytree_node(dict, _dict_flatten, _dict_unflatten)
register_pytree_node(OrderedDict, lambda d: (list(d.values()), (OrderedDict, list(d))),
                     lambda aux, c: OrderedDict(zip(aux[1], c)))


def _is_namedtuple(x) -> bool:
    return isinstance(x, tuple) and hasattr(type(x), "_fields") and type(x) is not tuple


def _node_funcs(x):
    t = type(x)
    funcs = _registry.get(t)
    if funcs is not None:
        return funcs
    if _is_namedtuple(x):
        return (lambda n: (tuple(n), None)), (lambda _, c, t=t: t(*c))
    return None


class PyTreeDef:
    """The structure of a pytree, without its leaves."""

    __slots__ = ("node_type", "aux", "children", "num_leaves", "_cached_key", "_cached_hash")

    def __init__(self, node_type, aux, children):
        self.node_type = node_type      # None for a leaf
        self.aux = aux
        self.children = children
        self.num_leaves = 1 if node_type is None else sum(c.num_leaves for c in children)
        self._cached_key = None         # a structure never changes: computed once (jit's cache key)
        self._cached_hash = None

    def _key(self):
        k = self._cached_key
        if k is None:
            k = self._cached_key = (self.node_type, _hashable(self.aux),
                                    tuple(c._key() for c in self.children))
        return k

    def __eq__(self, other):
        return isinstance(other, PyTreeDef) and (self is other or self._key() == other._key())

    def __hash__(self):
        h = self._cached_hash
        if h is None:
            h = self._cached_hash = hash(self._key())
        return h

    def __repr__(self):
        if self.node_type is None:
            return "*"
        inner = ", ".join(map(repr, self.children))
        return f"PyTreeDef({self.node_type.__name__}[{inner}])"

    def unflatten(self, leaves):
        return tree_unflatten(self, leaves)


def _hashable(aux):
    if isinstance(aux, list):
        return tuple(_hashable(a) for a in aux)
    if isinstance(aux, tuple):
        return tuple(_hashable(a) for a in aux)
    try:
        hash(aux)
        return aux
    except TypeError:
        return repr(aux)


_LEAF = PyTreeDef(None, None, ())


# The recursions below are module-level functions taking their accumulators as
# arguments: a nested ``def rec`` that calls itself is a reference cycle (function ->
# closure cell -> function) that would keep every leaf alive until the garbage
# collector runs -- large arrays included.

def tree_flatten(tree: Any, is_leaf: Callable | None = None) -> tuple[list, PyTreeDef]:
    """Leaves of ``tree`` (left to right; dicts by sorted key) and its structure."""
    leaves: list = []
    return leaves, _flatten(tree, is_leaf, leaves)


def _flatten(x, is_leaf, leaves):
    if is_leaf is not None and is_leaf(x):
        leaves.append(x)
        return _LEAF
    t = type(x)
    if (t is tuple or t is list) and is_leaf is None:
        for c in x:      # a flat sequence of leaves (the transforms' argument tuples)
            if type(c) in _registry or isinstance(c, tuple):
                break
        else:
            leaves.extend(x)
            return _flat_def(t, len(x))
    funcs = _node_funcs(x)
    if funcs is None:
        leaves.append(x)
        return _LEAF
    children, aux = funcs[0](x)
    return PyTreeDef(type(x), aux, tuple([_flatten(c, is_leaf, leaves) for c in children]))


_FLAT_DEFS: dict = {}


def _flat_def(node_type, n):
    """The one PyTreeDef of a tuple (or list) of ``n`` leaves."""
    td = _FLAT_DEFS.get((node_type, n))
    if td is None:
        td = _FLAT_DEFS[(node_type, n)] = PyTreeDef(node_type, None, (_LEAF,) * n)
    return td


def tree_unflatten(treedef: PyTreeDef, leaves) -> Any:
    """The pytree of structure ``treedef`` holding ``leaves``."""
    if treedef.node_type is None:
        return next(iter(leaves))
    return _unflatten(treedef, iter(leaves))


def _unflatten(td, it):
    if td.node_type is None:
        return next(it)
    children = [_unflatten(c, it) for c in td.children]
    funcs = _registry.get(td.node_type)
    if funcs is None:   # a namedtuple
        return td.node_type(*children)
    return funcs[1](td.aux, children)


def tree_leaves(tree: Any, is_leaf: Callable | None = None) -> list:
    return tree_flatten(tree, is_leaf)[0]


def tree_structure(tree: Any, is_leaf: Callable | None = None) -> PyTreeDef:
    return tree_flatten(tree, is_leaf)[1]


def tree_map(f: Callable, tree: Any, *rest: Any, is_leaf: Callable | None = None) -> Any:
    """Apply ``f`` leaf-wise over ``tree`` (and trees of the same structure in ``rest``)."""
    leaves, treedef = tree_flatten(tree, is_leaf)
    others = [_flatten_up_to(treedef, r) for r in rest]
    return tree_unflatten(treedef, [f(*xs) for xs in zip(leaves, *others)])


def _flatten_up_to(treedef: PyTreeDef, tree) -> list:
    """The subtrees of ``tree`` at the leaf positions of ``treedef``."""
    out: list = []
    _collect_up_to(treedef, tree, out)
    return out


def _collect_up_to(td, x, out):
    if td.node_type is None:
        out.append(x)
        return
    funcs = _node_funcs(x)
    if funcs is None or (type(x) is not td.node_type):
        raise ValueError(f"pytree structure mismatch: expected {td.node_type.__name__}, "
                         f"got {type(x).__name__}")
    children, aux = funcs[0](x)
    if len(children) != len(td.children) or _hashable(aux) != _hashable(td.aux):
        raise ValueError(f"pytree structure mismatch: {td} vs {tree_structure(x)}")
    for c, t in zip(children, td.children):
        _collect_up_to(t, c, out)


flatten_up_to = _flatten_up_to

__all__ = ["register_pytree_node", "tree_flatten", "tree_unflatten", "tree_leaves",
           "tree_structure", "tree_map", "PyTreeDef"]


# =============================================================================
# Key paths (JAX's ``tree_flatten_with_path`` family). Kept in one block so that a
# merge with another branch adding the same names keeps a single copy.
# =============================================================================
class SequenceKey(NamedTuple):
    """The position of a child of a tuple or list: prints as ``[idx]``."""
    idx: int

    def __str__(self):
        return f"[{self.idx!r}]"


class DictKey(NamedTuple):
    """The key of a child of a dict: prints as ``['key']``."""
    key: Any

    def __str__(self):
        return f"[{self.key!r}]"


class GetAttrKey(NamedTuple):
    """The field of a child of a namedtuple: prints as ``.name``."""
    name: str

    def __str__(self):
        return f".{self.name}"


class FlattenedIndexKey(NamedTuple):
    """The position of a child of another registered node: prints as ``[<flat index i>]``."""
    key: int

    def __str__(self):
        return f"[<flat index {self.key}>]"


def keystr(keys: tuple) -> str:
    """A key path as text, as ``jax.tree_util.keystr``.

    >>> keystr((DictKey('a'), SequenceKey(0)))
    "['a'][0]"
    """
    return "".join(str(k) for k in keys)


def _child_keys(x, n):
    t = type(x)
    if t is tuple or t is list:
        return [SequenceKey(i) for i in range(n)]
    if t is dict:
        return [DictKey(k) for k in sorted(x)]
    if t is OrderedDict:
        return [DictKey(k) for k in x]
    if _is_namedtuple(x) and t not in _registry:
        return [GetAttrKey(f) for f in type(x)._fields]
    return [FlattenedIndexKey(i) for i in range(n)]


def tree_flatten_with_path(tree: Any, is_leaf: Callable | None = None) -> tuple[list, PyTreeDef]:
    """``([(key_path, leaf), ...], treedef)``: each leaf with the keys leading to it.

    >>> tree_flatten_with_path({'a': [1, 2]})[0]
    [((DictKey(key='a'), SequenceKey(idx=0)), 1), ((DictKey(key='a'), SequenceKey(idx=1)), 2)]
    """
    out: list = []
    _paths(tree, is_leaf, (), out)
    return out, tree_structure(tree, is_leaf)


def _paths(x, is_leaf, path, out):
    if is_leaf is not None and is_leaf(x):
        out.append((path, x))
        return
    funcs = _node_funcs(x)
    if funcs is None:
        out.append((path, x))
        return
    children, _ = funcs[0](x)
    children = list(children)
    for k, c in zip(_child_keys(x, len(children)), children):
        _paths(c, is_leaf, path + (k,), out)


def tree_leaves_with_path(tree: Any, is_leaf: Callable | None = None) -> list:
    """``[(key_path, leaf), ...]`` (the first half of ``tree_flatten_with_path``)."""
    return tree_flatten_with_path(tree, is_leaf)[0]


def tree_map_with_path(f: Callable, tree: Any, *rest: Any, is_leaf: Callable | None = None) -> Any:
    """``tree_map`` whose ``f`` also gets each leaf's key path first: ``f(path, x, *xs)``.

    >>> tree_map_with_path(lambda p, x: keystr(p), {'a': (1, 2)})
    {'a': ("['a'][0]", "['a'][1]")}
    """
    pairs, treedef = tree_flatten_with_path(tree, is_leaf)
    others = [_flatten_up_to(treedef, r) for r in rest]
    return tree_unflatten(treedef, [f(p, x, *xs) for (p, x), *xs in
                                    zip(pairs, *others)] if others else
                          [f(p, x) for p, x in pairs])


__all__ += ["SequenceKey", "DictKey", "GetAttrKey", "FlattenedIndexKey", "keystr",
            "tree_flatten_with_path", "tree_leaves_with_path", "tree_map_with_path"]
