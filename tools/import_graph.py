"""The layer drawing of the ``fgrad`` package: floors, import loops, imports that run back up,
and files over the line budget.

    python tools/import_graph.py            # the drawing
    python tools/import_graph.py --check    # exit status 1 when a limit is broken

An edge ``a -> b`` is an import of module ``b`` by module ``a`` at module level (run when ``a``
is imported). Floors come from those edges: a module's floor is one above the highest floor it
imports (loops are collapsed into one node first). An import inside a function runs later; it
"runs back up" when it names a module on the importer's floor or above (at module level it
would close a loop) -- the usual way to dodge a cycle.
"""
from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "fgrad"
MAX_LINES = 1000
MAX_LOOPS = 1
MAX_BACK_UP = 3
# the PyTorch-like layer: the facade package and the public PyTorch module paths on it
FACADE_PREFIXES = ("fgrad.facade", "fgrad.nn", "fgrad.optim", "fgrad.autograd", "fgrad.linalg",
                   "fgrad.cuda", "fgrad.utils", "fgrad.func", "fgrad.distributed",
                   "fgrad.profiler", "fgrad.accelerator", "fgrad.serialization")
CORE_PREFIXES = ("fgrad.transforms", "fgrad.primitives", "fgrad.numpy", "fgrad.devices",
                 "fgrad._array", "fgrad._methods", "fgrad.tree_util", "fgrad._dtypes",
                 "fgrad._axes", "fgrad.errors", "fgrad.lax", "fgrad.scipy", "fgrad.random",
                 "fgrad.tree", "fgrad.debug", "fgrad.flatten_util", "fgrad.test_util")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def is_package(mod: str, modules: dict) -> bool:
    return modules[mod].name == "__init__.py"


def resolve(mod: str, node: ast.ImportFrom | ast.Import, modules: dict) -> list[str]:
    """The fgrad modules one import statement names."""
    out = []
    if isinstance(node, ast.Import):
        for a in node.names:
            if a.name.startswith("fgrad"):
                name = a.name
                while name and name not in modules:
                    name = name.rpartition(".")[0]
                if name:
                    out.append(name)
        return out
    if node.level:
        base = mod.split(".") if is_package(mod, modules) else mod.split(".")[:-1]
        base = base[:len(base) - node.level + 1]
        target = ".".join(base + ([node.module] if node.module else []))
    else:
        target = node.module or ""
    if not target.startswith("fgrad"):
        return out
    for a in node.names:
        sub = f"{target}.{a.name}"
        if sub in modules:
            out.append(sub)
        elif target in modules:
            out.append(target)
    return out


def graph():
    modules = {module_name(p): p for p in sorted(ROOT.rglob("*.py"))}
    top, inner = {m: set() for m in modules}, {m: set() for m in modules}
    for mod, path in modules.items():
        tree = ast.parse(path.read_text(), str(path))

        def visit(node, in_function):
            for child in ast.iter_child_nodes(node):
                if isinstance(child, (ast.Import, ast.ImportFrom)):
                    for t in resolve(mod, child, modules):
                        if t != mod:
                            (inner if in_function else top)[mod].add(t)
                elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                    visit(child, True)
                elif isinstance(child, ast.If) and _type_checking(child):
                    continue
                else:
                    visit(child, in_function)
        visit(tree, False)
    return modules, top, inner


def _type_checking(node: ast.If) -> bool:
    t = node.test
    return isinstance(t, ast.Name) and t.id == "TYPE_CHECKING" or \
        isinstance(t, ast.Attribute) and t.attr == "TYPE_CHECKING"


def loops(top: dict) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []
    sys.setrecursionlimit(10000)

    def strong(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(top[v]):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            out.append(sorted(comp))
    for v in sorted(top):
        if v not in index:
            strong(v)
    return [c for c in out if len(c) > 1]


def floors(top: dict, comps: list[list[str]]) -> dict[str, int]:
    rep = {m: m for m in top}
    for c in comps:
        for m in c:
            rep[m] = c[0]
    floor: dict[str, int] = {}

    def of(r, seen=()):
        if r in floor:
            return floor[r]
        members = [m for m in top if rep[m] == r]
        below = {rep[t] for m in members for t in top[m]} - {r}
        floor[r] = 1 + max((of(b) for b in below), default=-1)
        return floor[r]
    return {m: of(rep[m]) for m in top}


# Core internals the facade may use (documented in ARCHITECTURE.md); anything else it
# takes from the core must be public.
DOCUMENTED_INTERNALS = {
    ("fgrad.transforms.reverse", "_sequence"),      # the counter that orders recorded nodes
    ("fgrad.transforms.core", "_state"),            # the transform stack (is one active?)
    ("fgrad.numpy._indexing", "_index"),            # x[idx] with NumPy's index rules
    ("fgrad.numpy._indexing", "_update"),           # x.at[idx].set/add/... with a mode
    ("fgrad.numpy", "_update"),
    ("fgrad.primitives.reductions", "_kept_shape"),   # the shape of a keepdims reduction
    ("fgrad.primitives.shape", "_normalize_shape"),   # a shape argument as ints
    ("fgrad.primitives.convolution", "_conv_vjp_lhs"),  # conv_transpose (nn)
}


def private_core_names(modules: dict) -> list:
    """(importer, core module, name) for each underscore name a facade-layer module takes
    from the core, by ``from core import _name`` or ``fnp._name``."""
    out = []
    for mod, path in modules.items():
        if not mod.startswith(FACADE_PREFIXES):
            continue
        tree = ast.parse(path.read_text(), str(path))
        aliases = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                for t in resolve(mod, node, modules):
                    if not t.startswith(CORE_PREFIXES) and t != "fgrad.numpy":
                        continue
                    for a in node.names:
                        if f"{t}.{a.name}" in modules or t.endswith("." + a.name):
                            aliases[a.asname or a.name] = t if t.endswith("." + a.name) \
                                else f"{t}.{a.name}"
                        elif a.name.startswith("_") and not a.name.startswith("__"):
                            out.append((mod, t, a.name))
            elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and \
                    node.attr.startswith("_") and not node.attr.startswith("__") and \
                    node.value.id in aliases:
                out.append((mod, aliases[node.value.id], node.attr))
    return sorted(set(out))


def report():
    modules, top, inner = graph()
    comps = loops(top)
    floor = floors(top, comps)
    back_up = sorted((m, t) for m in inner for t in inner[m]
                     if t not in top[m] and floor[t] >= floor[m] and
                     not m.startswith(t + ".") and not t.startswith(m + "."))
    long = sorted((m, n) for m, p in modules.items()
                  if (n := len(p.read_text().splitlines())) > MAX_LINES)
    facade = [m for m in modules if m.startswith(FACADE_PREFIXES)]
    core = [m for m in modules if m.startswith(CORE_PREFIXES)]
    core_to_facade = sorted((m, t) for m in core for t in top[m] | inner[m] if t in facade)
    facade_loops = [c for c in comps if any(m in facade for m in c)]
    internals = [x for x in private_core_names(modules) if x[1:] not in DOCUMENTED_INTERNALS]
    return dict(modules=modules, top=top, floor=floor, loops=comps, back_up=back_up, long=long,
                core_to_facade=core_to_facade, facade_loops=facade_loops, internals=internals)


def problems(r) -> list[str]:
    out = []
    if len(r["loops"]) > MAX_LOOPS:
        out.append(f"{len(r['loops'])} import loops (at most {MAX_LOOPS})")
    if r["facade_loops"]:
        out.append(f"import loops in the PyTorch-like layer: {r['facade_loops']}")
    if len(r["back_up"]) > MAX_BACK_UP:
        out.append(f"{len(r['back_up'])} imports run back up (at most {MAX_BACK_UP})")
    if r["core_to_facade"]:
        out.append(f"the core imports the facade: {r['core_to_facade']}")
    for m, n in r["long"]:
        out.append(f"{m}: {n} lines (at most {MAX_LINES})")
    for m, t, n in r["internals"]:
        out.append(f"{m} uses the core's undocumented {t}.{n}")
    return out


def main(argv) -> int:
    r = report()
    by_floor: dict[int, list[str]] = {}
    for m, f in r["floor"].items():
        by_floor.setdefault(f, []).append(m)
    for f in sorted(by_floor, reverse=True):
        print(f"floor {f:2d}: " + "  ".join(n.removeprefix("fgrad.") or "fgrad"
                                             for n in sorted(by_floor[f])))
    print(f"\n{len(by_floor)} floors, {len(r['modules'])} modules")
    print(f"import loops ({len(r['loops'])}):")
    for c in r["loops"]:
        print("  " + " <-> ".join(c))
    print(f"imports inside functions that run back up ({len(r['back_up'])}):")
    for m, t in r["back_up"]:
        print(f"  {m} -> {t}")
    print(f"files over {MAX_LINES} lines ({len(r['long'])}):")
    for m, n in r["long"]:
        print(f"  {m}: {n}")
    bad = problems(r)
    if bad:
        print("\nlimits broken:\n  " + "\n  ".join(bad))
    return 1 if bad and "--check" in argv else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
