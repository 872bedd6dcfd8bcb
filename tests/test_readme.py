"""The README's promises: its two commands, and a support table that matches the registry."""
import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _support_table_module():
    spec = importlib.util.spec_from_file_location("support_table", ROOT / "tools" / "support_table.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_starts_with_the_two_commands():
    head = (ROOT / "README.md").read_text().split("\n## ")[0]
    assert "make demo" in head and "make test" in head


def test_support_table_matches_the_registry():
    module = _support_table_module()
    text = (ROOT / "README.md").read_text()
    assert module.readme_with_table(text) == text, \
        "README.md's support table is stale: run `python tools/support_table.py --write`"


def test_readme_python_examples_run():
    """Every ```python block of the README runs as written."""
    text = (ROOT / "README.md").read_text()
    blocks = text.split("```python\n")[1:]
    assert len(blocks) >= 2
    for block in blocks:
        exec(compile(block.split("```")[0], "README.md", "exec"), {})
