"""Conformance of ``fgrad.numpy`` with the NumPy / ``jax.numpy`` names research code uses.

``tools/numpy_coverage.py`` holds the fixed list of names, one small call each, made
the same way on fgrad and on NumPy. Here every name of ``SUPPORTED`` must exist, run and
agree with NumPy: a supported name that disappears or changes fails the test. The
coverage table (names present, names missing) is printed (``pytest -s``) and written
to ``numpy_coverage.md`` in the test's temporary directory.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _coverage_module():
    spec = importlib.util.spec_from_file_location("numpy_coverage",
                                                  ROOT / "tools" / "numpy_coverage.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


COV = _coverage_module()

# Names fgrad.numpy supports: removing one from fgrad fails ``test_supported_name``.
SUPPORTED = sorted(set(COV.CALLS) - {"convolve", "correlate"})


def test_the_list_is_the_common_names():
    assert len(COV.CALLS) >= 250
    assert len(SUPPORTED) >= 250


@pytest.mark.parametrize("name", SUPPORTED)
def test_supported_name(name):
    status, detail = COV.check(name)
    assert status == "present", f"fgrad.numpy.{name}: {status} {detail}"


def test_coverage_table(tmp_path, capsys):
    results = COV.coverage()
    text = COV.table(results)
    (tmp_path / "numpy_coverage.md").write_text(text + "\n")
    with capsys.disabled():
        print("\n" + text.splitlines()[0])
    present = {n for n, (s, _) in results.items() if s == "present"}
    assert set(SUPPORTED) <= present, sorted(set(SUPPORTED) - present)
    assert "| missing |" in text and "| present |" in text
