"""The seed tutorials print, under fgrad, exactly what they print under PyTorch.

Each script of ``examples/tutorials/`` runs in a subprocess through
``_runner.py --backend fgrad`` and its output is compared with PyTorch's,
recorded in ``tests/tutorials/expected/`` by ``tests/tutorials/generate_expected.py``
(``torch.`` printed as ``fgrad.``; random values normalised by the runner).
A failure names the first differing line and the cell it is in, then shows a
diff and the tracebacks of cells that raised.
"""
import difflib
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "tutorials"))
from generate_expected import EXPECTED, TUTORIALS, run_script, scripts  # noqa: E402

sys.path.insert(0, str(TUTORIALS))
from _runner import split_cells  # noqa: E402

SCRIPTS = scripts()


def to_fgrad(text: str) -> str:
    """PyTorch's text as fgrad prints it: ``torch.float64`` -> ``fgrad.float64`` etc."""
    return re.sub(r"\btorch\.", "fgrad.", text)


def first_difference(expected: list[str], got: list[str]) -> str:
    cell = "(before the first cell)"
    for i in range(max(len(expected), len(got))):
        e = expected[i] if i < len(expected) else "<end of output>"
        g = got[i] if i < len(got) else "<end of output>"
        if e.startswith("# %%"):
            cell = e
        if e != g:
            return (f"first difference at output line {i + 1}, in cell {cell!r}:\n"
                    f"  torch: {e!r}\n  fgrad: {g!r}")
    return "no difference"


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.stem for s in SCRIPTS])
def test_tutorial_prints_what_pytorch_prints(script):
    expected_file = EXPECTED / f"{script.stem}.txt"
    assert expected_file.exists(), \
        f"no expected output: run python tests/tutorials/generate_expected.py {script.stem}"
    expected = to_fgrad(expected_file.read_text(encoding="utf-8"))
    proc = run_script(script, "fgrad")
    # cell headers are the scripts' own comments (which say ``torch.``): normalise them alike
    got = "".join(to_fgrad(l) if l.startswith("# %%") else l
                  for l in proc.stdout.splitlines(keepends=True))
    if got == expected and proc.returncode == 0:
        return
    e_lines, g_lines = expected.splitlines(), got.splitlines()
    diff = list(difflib.unified_diff(e_lines, g_lines, "torch (expected)", "fgrad", lineterm="", n=1))
    failed_cells = [l for l in g_lines if l.startswith("!! ")]
    message = [f"{script.name}: {first_difference(e_lines, g_lines)}",
               f"{len(failed_cells)} cell(s) raised under fgrad:"] + failed_cells
    message += ["", "diff (first 80 lines):"] + diff[:80]
    if proc.returncode != 0:
        message += ["", f"runner exit status {proc.returncode}"]
    if proc.stderr:
        message += ["", "stderr (last 40 lines):"] + proc.stderr.splitlines()[-40:]
    pytest.fail("\n".join(message), pytrace=False)


def test_every_expected_file_has_its_script():
    stems = {s.stem for s in SCRIPTS}
    recorded = {p.stem for p in EXPECTED.glob("*.txt")}
    assert recorded == stems


def test_functional_and_imperative_regressions_agree_under_pytorch():
    """The two linear-regression versions print the same training lines (recorded from PyTorch)."""
    imperative = (EXPECTED / "06_linear_regression_imperative.txt").read_text(encoding="utf-8")
    functional = (EXPECTED / "07_linear_regression_functional.txt").read_text(encoding="utf-8")
    assert functional.startswith(imperative)


def test_runner_splits_cells_and_keeps_line_numbers():
    src = "import x\n# %% one\na = 1\n\n# %% two\nb = 2\n"
    cells = split_cells(src)
    assert [(h, line) for h, line, _ in cells] == [("", 0), ("# %% one", 1), ("# %% two", 4)]
    assert cells[2][2] == "# %% two\nb = 2\n"
