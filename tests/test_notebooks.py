"""Every notebook in ``examples/notebooks/`` runs top to bottom in a fresh kernel.

The notebooks are real ``.ipynb`` files executed with nbclient; a cell that raises fails
the test with the cell's source and the traceback. matplotlib, scikit-learn, tqdm and
nbclient are test/example extras (``pip install '.[examples]'``), never runtime
dependencies: without them the notebooks are skipped with that reason.
"""
import os
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat", reason="notebooks need the 'examples' extra")
nbclient = pytest.importorskip("nbclient", reason="notebooks need the 'examples' extra")
pytest.importorskip("ipykernel", reason="notebooks need the 'examples' extra")
pytest.importorskip("sklearn", reason="the notebooks' data come from scikit-learn")
pytest.importorskip("matplotlib", reason="the notebooks plot with matplotlib")

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "examples" / "notebooks").glob("*.ipynb"))


def test_notebooks_are_found():
    assert {"functional_mlp.ipynb", "cnn_digits_pytorch_style.ipynb"} <= {n.name for n in NOTEBOOKS}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[n.stem for n in NOTEBOOKS])
def test_notebook_runs(path, monkeypatch):
    # the kernel imports this checkout's fgrad, whatever is installed
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(
        [str(ROOT)] + ([os.environ["PYTHONPATH"]] if os.environ.get("PYTHONPATH") else [])))
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "")
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=240, kernel_name="python3",
                                     resources={"metadata": {"path": str(path.parent)}})
    try:
        client.execute()
    except nbclient.exceptions.CellExecutionError as e:
        pytest.fail(f"{path.name}: a cell failed\n{e}")
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    # the notebook shows something: printed text and at least one figure
    assert any(o.output_type == "stream" for o in outputs)
    assert any("image/png" in o.get("data", {}) for o in outputs)
