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


# The goal is import_graph.MAX_BACK_UP (3); these remain (transforms.api <-> custom/jit/
# staging, Tensor's methods that create tensors). The count may only go down.
KNOWN_BACK_UP = 10


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
