"""Every script in ``examples/`` runs to completion (exit status 0) and prints something.

The tutorials of ``examples/tutorials/`` are run, and their output compared with
PyTorch's, by ``test_tutorials.py``; this file covers the top-level scripts, found by
glob so that a new example is tested without being listed here.
"""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = sorted((ROOT / "examples").glob("*.py"))


def test_examples_are_found():
    names = {s.name for s in SCRIPTS}
    assert {"quickstart.py", "nn_regression.py"} <= names


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.stem for s in SCRIPTS])
def test_example_runs(script):
    env = dict(os.environ, CUDA_VISIBLE_DEVICES="", PYTHONPATH=str(ROOT),
               PYTHONIOENCODING="utf-8", MPLBACKEND="Agg")
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          encoding="utf-8", env=env, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, \
        f"{script.name} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}"
    assert proc.stdout.strip(), f"{script.name} printed nothing"
