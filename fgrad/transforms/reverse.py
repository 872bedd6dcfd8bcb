"""Reverse mode: a tracer records VJP nodes; a backward pass walks them.

The backward pass is iterative (no recursion limit), visits nodes in reverse
topological order, accumulates cotangents per node output, and frees each
node's residuals as soon as its rule has run (unless asked to retain them).
The facade's ``Tensor.backward()`` drives the same ``backward_pass``.
"""
from __future__ import annotations

from heapq import heappop, heappush
from itertools import count

from .core import (bind, canonicalize, PrimalTracer, ShapedArray, Trace, Zero, aval_of, full_lower, full_raise, instantiate,
                   is_differentiable_dtype, new_main)
from .custom import CustomRule, custom_call


_sequence = count()


class Node:
    """One recorded primitive application (or a leaf: ``prim is None``)."""

    __slots__ = ("prim", "params", "parents", "inputs", "ans", "n_out", "seq", "needs",
                 "__weakref__")

    def __init__(self, prim, params, parents, inputs, ans, n_out=1):
        self.needs = None           # per input: does it need a cotangent (set by make_node)
        self.prim = prim
        self.params = params
        self.parents = parents      # per input: (Node, output index) or None
        self.inputs = inputs        # per input: the value, or its ShapedArray if not saved
        self.ans = ans              # the output(s), or ShapedArray(s) if not saved
        self.n_out = n_out
        # Creation order: a node is always created after the nodes it consumes, so
        # processing in decreasing ``seq`` is a reverse topological order.
        self.seq = next(_sequence)

    @classmethod
    def leaf(cls):
        return cls(None, None, (), (), None)

    @property
    def is_leaf(self):
        return self.prim is None

    def run_vjp(self, cts):
        """Input cotangents from output cotangents ``cts`` (a list, one per output)."""
        prim = self.prim
        if self.inputs is None:
            raise RuntimeError(
                f"{prim.name}: its saved values were freed by an earlier backward pass; "
                "pass retain_graph=True to the first backward() to run it again")
        needs = self.needs or tuple([p is not None for p in self.parents])
        if prim.multiple_results:
            if getattr(prim, "missing_cts_as_none", False):
                ct = [None if c is None else instantiate(c) for c in cts]
            else:
                ct = [instantiate(c) if c is not None else
                      instantiate(Zero(a) if type(a) is ShapedArray else Zero.like(a))
                      for c, a in zip(cts, self.ans)]
        else:
            ct = cts[0]
        return prim.vjp(ct, needs, self.ans, *self.inputs, **self.params)

    def free(self):
        """Drop the residuals; running this node's rule again raises."""
        self.inputs = self.ans = None


def make_node(prim, params, parents, primals, ans, node_cls=Node):
    """A Node keeping only the residuals ``prim.vjp_saves`` asks for."""
    needs, keep_inputs, keep_ans = _residuals(prim, parents)
    if keep_inputs is True:
        inputs = tuple(primals)
    elif keep_inputs is False:
        inputs = tuple([aval_of(x) for x in primals])
    else:
        inputs = tuple([x if keep else aval_of(x) for x, keep in zip(primals, keep_inputs)])
    if prim.multiple_results:
        kept = tuple(ans) if keep_ans else tuple([aval_of(a) for a in ans])
        node = node_cls(prim, params, parents, inputs, kept, len(ans))
    else:
        node = node_cls(prim, params, parents, inputs, ans if keep_ans else aval_of(ans), 1)
    node.needs = needs
    return node


def _residuals(prim, parents):
    """(needs, per input: keep its value? -- True or False when the same for all --, keep
    the answer?) for a node of ``prim`` whose inputs with a parent need a cotangent;
    cached per primitive and needs pattern."""
    needs = tuple([p is not None for p in parents])
    try:
        cache = prim._residuals_cache
    except AttributeError:
        cache = prim._residuals_cache = {}
    plan = cache.get(needs)
    saves, uses = prim.vjp_saves, prim.vjp_uses
    if plan is None or plan[2] is not saves or plan[3] is not uses:
        if uses is not None:   # keep only what the rules of the inputs needing a gradient read
            keep = frozenset().union(*[u for u, n in zip(uses, needs) if n])
            keep_inputs = tuple([i in keep for i in range(len(needs))])
            keep_ans = "ans" in keep
        else:
            keep_inputs = (saves == "inputs" or saves == "both",) * len(needs)
            keep_ans = saves == "ans" or saves == "both"
        if all(keep_inputs) or not any(keep_inputs):
            keep_inputs = all(keep_inputs)
        plan = cache[needs] = (keep_inputs, keep_ans, saves, uses, needs)
    return plan[4], plan[0], plan[1]     # the cached needs: one shared tuple per pattern


def backward_pass(seeds, retain=False, on_node=None):
    """Propagate cotangents from ``seeds`` [(node, out_index, ct)] to the leaves.

    Nodes are taken from a heap in decreasing creation order (as PyTorch's
    engine does), so each node runs once, after every node that consumes it,
    without a separate topological sort. Returns {id(leaf): (leaf, ct)}.
    ``on_node(node, cts)`` may replace a node's output cotangents before its
    rule runs (the facade's hooks use it).
    """
    cts: dict = {}
    heap: list = []
    for node, i, ct in seeds:
        slot = cts.get(node)
        if slot is None:
            slot = cts[node] = [None] * node.n_out
            heappush(heap, (-node.seq, node))
        slot[i] = ct if slot[i] is None else slot[i] + ct
    leaves = {}
    while heap:
        node = heappop(heap)[1]
        node_cts = cts.pop(node)
        if on_node is not None:
            node_cts = on_node(node, node_cts)
        if node.prim is None:
            leaves[id(node)] = (node, node_cts[0])
            continue
        in_cts = node.run_vjp(node_cts)
        del node_cts
        if not retain:
            node.free()
        for parent, c in zip(node.parents, in_cts):
            if parent is None or c is None or type(c) is Zero:
                continue
            pnode, j = parent
            slot = cts.get(pnode)
            if slot is None:
                slot = cts[pnode] = [None] * pnode.n_out
                heappush(heap, (-pnode.seq, pnode))
            slot[j] = c if slot[j] is None else slot[j] + c
    return leaves


class ReverseTracer(PrimalTracer):
    __slots__ = ("node", "index")

    def __init__(self, trace, primal, node, index=0):
        self._trace = trace
        self.primal = primal
        self.node = node
        self.index = index

    def full_lower(self):
        if self.node is None:
            return full_lower(self.primal)
        return self


class ReverseTrace(Trace):
    transform_name = "grad"

    def pure(self, val):
        return ReverseTracer(self, val, None)

    lift = pure

    takes_constants = True

    def process_primitive(self, prim, tracers, params):
        primals = []
        parents = []
        recorded = False
        for t in tracers:
            if type(t) is not ReverseTracer:         # a constant (Array or scalar)
                primals.append(t)
                parents.append(None)
                continue
            primals.append(t.primal)
            node = t.node
            if node is None:
                parents.append(None)
            else:
                parents.append((node, t.index))
                recorded = True
        if recorded and prim.vjp_split is not None:
            return self._split(prim, primals, parents, params)
        ans = bind(prim, *primals, **params)
        if not prim.multiple_results:
            if not recorded or prim.nondiff or ans.dtype.kind not in "fc":
                return [ReverseTracer(self, ans, None)]
            return [ReverseTracer(self, ans, make_node(prim, params, tuple(parents), primals, ans))]
        if not recorded or prim.nondiff:
            return [self.pure(o) for o in ans]
        node = make_node(prim, params, tuple(parents), primals, ans)
        return [ReverseTracer(self, o, node if o.dtype.kind in "fc" else None, i)
                for i, o in enumerate(ans)]


    def process_custom_jvp_call(self, fun, jvp, tracers):
        primals = [t.primal for t in tracers]
        outs = custom_call("jvp", primals, fun, jvp)
        if all(t.node is None for t in tracers):
            return [self.pure(o) for o in outs]
        rule = CustomRule("custom_jvp_call",
                          lambda cts, needs, ans, *ps: transpose_jvp_rule(jvp, ps, needs, cts),
                          "CustomJvpBackward")
        return self._record(rule, tracers, primals, outs)

    def process_custom_vjp_call(self, fun, fwd, bwd, forward_mode_ok, tracers):
        primals = [t.primal for t in tracers]
        if all(t.node is None for t in tracers):
            outs = custom_call("vjp", primals, fun, fwd, bwd, forward_mode_ok)
            return [self.pure(o) for o in outs]
        outs, res = fwd(*primals)

        def vjp(cts, needs, ans, *ps):
            return [c if need else None for c, need in zip(bwd(res, cts), needs)]
        rule = CustomRule("custom_vjp_call", vjp, "CustomVjpBackward")
        return self._record(rule, tracers, primals, outs)

    def _split(self, prim, primals, parents, params):
        """A primitive whose forward pass keeps the residuals its backward pass reads."""
        outs, backward = prim.vjp_split(primals, [p is not None for p in parents], **params)
        rule = CustomRule(prim.name, lambda cts, needs, ans, *ps: backward(cts),
                          prim.grad_fn_name)
        rule.vjp_saves = "none"         # the residuals live in ``backward``
        node = make_node(rule, rule.params, tuple(parents), primals, list(outs))
        return [ReverseTracer(self, o, node if o.dtype.kind in "fc" else None, i)
                for i, o in enumerate(outs)]

    def _record(self, rule, tracers, primals, outs):
        outs = [canonicalize(o) for o in outs]
        parents = tuple((t.node, t.index) if t.node is not None else None for t in tracers)
        node = make_node(rule, rule.params, parents, primals, outs)
        return [ReverseTracer(self, o, node if o.dtype.kind in "fc" else None, i)
                for i, o in enumerate(outs)]


def transpose_jvp_rule(jvp, primals, needs, cts):
    """Input cotangents of the linear map ``t -> jvp(primals, t)[1]`` applied to ``cts``
    (reverse mode of a ``custom_jvp`` function, as JAX transposes its rule)."""
    def tangent_map(*ts):
        outs, touts = jvp(list(primals), list(ts))
        return [instantiate(Zero.like(o)) if t is None or type(t) is Zero else t
                for o, t in zip(outs, touts)]
    zeros = [instantiate(Zero.like(p)) for p in primals]
    _, leaves, out_refs = vjp_flat(tangent_map, zeros, transform="custom_jvp")
    seeds = [(node, i, instantiate(c)) for (node, i), c in zip(out_refs, cts)
             if node is not None and c is not None]
    got = backward_pass(seeds) if seeds else {}
    return [got.get(id(leaf), (None, None))[1] if need and leaf is not None else None
            for leaf, need in zip(leaves, needs)]


def vjp_flat(f, primals, transform="vjp"):
    """Trace ``f`` at ``primals`` recording nodes; returns (outs, leaves, out_tracers)."""
    with new_main(ReverseTrace, transform=transform) as main:
        trace = main.trace
        leaves = [Node.leaf() if is_differentiable_dtype(aval_of(p).dtype) else None
                  for p in primals]
        tracers = [ReverseTracer(trace, p, n) for p, n in zip(primals, leaves)]
        outs = f(*tracers)
        outs = [full_raise(trace, o) for o in outs]
    return [o.primal for o in outs], leaves, [(o.node, o.index) for o in outs]
