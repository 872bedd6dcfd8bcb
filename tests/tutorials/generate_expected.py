"""Record what PyTorch prints for every tutorial script: ``tests/tutorials/expected/<name>.txt``.

    python tests/tutorials/generate_expected.py [NAME ...]

Each script of ``examples/tutorials/`` runs in its own process through
``examples/tutorials/_runner.py --backend torch`` (``import fgrad as torch``
bound to PyTorch, random values normalised; see that folder's README.md), with
CUDA hidden so that the text is the CPU text. A script whose cell raises under
PyTorch is an error in the script: nothing is written for it.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TUTORIALS = ROOT / "examples" / "tutorials"
EXPECTED = Path(__file__).resolve().parent / "expected"
RUNNER = TUTORIALS / "_runner.py"


def scripts() -> list[Path]:
    """The tutorial scripts, in order (``NN_topic.py``)."""
    return sorted(p for p in TUTORIALS.glob("[0-9][0-9]_*.py"))


def run_script(script: Path, backend: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run one script through the runner; stdout is its normalised output."""
    env = dict(os.environ, CUDA_VISIBLE_DEVICES="", PYTHONHASHSEED="0",
               PYTHONIOENCODING="utf-8", PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, str(RUNNER), "--backend", backend, str(script)],
                          capture_output=True, text=True, encoding="utf-8", env=env,
                          cwd=ROOT, timeout=timeout)


def main(names: list[str]) -> int:
    EXPECTED.mkdir(exist_ok=True)
    failed = 0
    for script in scripts():
        if names and script.stem not in names:
            continue
        proc = run_script(script, "torch")
        if proc.returncode != 0 or "\n!! " in "\n" + proc.stdout:
            print(f"FAILED under PyTorch: {script.name}\n{proc.stdout}\n{proc.stderr}")
            failed += 1
            continue
        (EXPECTED / f"{script.stem}.txt").write_text(proc.stdout, encoding="utf-8")
        print(f"wrote expected/{script.stem}.txt ({proc.stdout.count(chr(10))} lines)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
