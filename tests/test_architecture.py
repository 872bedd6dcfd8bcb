"""The package's shape (issue 11): layers without loops, the core blind to the facade, files
under the line budget, public names defined by name. ``tools/import_graph.py`` draws it."""
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import import_graph  # noqa: E402

REPORT = import_graph.report()


def test_at_most_one_import_loop_and_none_in_the_facade():
    assert len(REPORT["loops"]) <= import_graph.MAX_LOOPS, REPORT["loops"]
    assert REPORT["facade_loops"] == []


def test_the_core_never_imports_the_facade():
    assert REPORT["core_to_facade"] == []


def test_the_core_names_no_wrapper_layer_in_its_code():
    """transforms, primitives and numpy meet wrapper types (the facade's Tensor) only through
    fgrad/transforms/wrappers.py: no identifier in their code names the facade or Tensor
    (comments and docstrings may mention them as examples)."""
    import tokenize
    bad = []
    for package in ("transforms", "primitives", "numpy"):
        for p in sorted((ROOT / "fgrad" / package).rglob("*.py")):
            with open(p, "rb") as f:
                for tok in tokenize.tokenize(f.readline):
                    name = tok.string.lower()
                    if tok.type == tokenize.NAME and ("tensor" == name or "facade" in name
                                                      or "torch" in name):
                        bad.append(f"{p.relative_to(ROOT)}:{tok.start[0]}: {tok.string}")
    assert bad == []


# The goal is import_graph.MAX_BACK_UP (3); the count may only go down.
KNOWN_BACK_UP = 0


def test_imports_that_run_back_up_do_not_grow():
    assert len(REPORT["back_up"]) <= KNOWN_BACK_UP, REPORT["back_up"]


def test_the_facade_uses_only_public_or_documented_core_names():
    assert REPORT["internals"] == []


def test_no_source_file_over_the_line_budget():
    assert REPORT["long"] == []


def test_public_names_are_not_injected_through_globals():
    bad = []
    for p in (ROOT / "fgrad").rglob("*.py"):
        for i, line in enumerate(p.read_text().splitlines(), 1):
            if re.search(r"globals\(\)\.update\(|globals\(\)\[[^\]]+\]\s*=", line):
                bad.append(f"{p.relative_to(ROOT)}:{i}: {line.strip()}")
    assert bad == []


def test_greppable_definitions():
    text = (ROOT / "fgrad" / "numpy" / "_elementwise.py").read_text()
    assert re.search(r"^sin = ", text, re.M)
    text = (ROOT / "fgrad" / "facade" / "torch_functions.py").read_text()
    assert re.search(r"^sin = ", text, re.M)


def test_the_checker_sees_a_loop_and_a_back_up_import(tmp_path, monkeypatch):
    """The checker itself: a two-file loop and an import hidden in a function are found."""
    pkg = tmp_path / "fgrad"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "sub" / "a.py").write_text("from . import b\n")
    (pkg / "sub" / "b.py").write_text("from . import a\n")
    (pkg / "low.py").write_text("def f():\n    from .high import g\n")
    (pkg / "high.py").write_text("from . import low\n")
    monkeypatch.setattr(import_graph, "ROOT", pkg)
    r = import_graph.report()
    assert r["loops"] == [["fgrad.sub.a", "fgrad.sub.b"]]
    assert r["back_up"] == [("fgrad.low", "fgrad.high")]


def test_tensor_methods_are_declared_in_the_class_body():
    """No method is patched onto a tensor class at import: every torch function that is a
    method (``ops.METHODS``) is declared in ``Tensor``'s body (facade/tensor.py)."""
    from fgrad.facade import ops
    from fgrad.facade.tensor import Tensor
    from fgrad.facade.tensor_base import TensorBase
    missing = [n for n in ops.METHODS if n not in Tensor.__dict__ and n not in TensorBase.__dict__]
    assert missing == []
    patched = []
    for p in (ROOT / "fgrad").rglob("*.py"):
        for i, line in enumerate(p.read_text().splitlines(), 1):
            if re.search(r"setattr\((Tensor|TensorBase|Parameter)\b|^\s*(Tensor|TensorBase)\.\w+ = ",
                         line):
                patched.append(f"{p.relative_to(ROOT)}:{i}: {line.strip()}")
    assert patched == []
