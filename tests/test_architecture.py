"""The code's shape (issue 18): wings that import one way, MkDocs only in builder/mkdocs/,
no import cycle, no module over 400 lines. The import rules are the [tool.importlinter]
contracts of pyproject.toml, checked by import-linter (`lint-imports`)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MAX_MODULE_LINES = 400


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    # lint-imports reads pyproject.toml in the working directory and imports the package from sys.path.
    return subprocess.run(
        [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"],
        cwd=root, capture_output=True, text=True, env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
    )


def test_the_import_contracts_hold():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 3 kept, 0 broken." in result.stdout


@pytest.mark.parametrize("module, line, contract", [
    ("builder/site/graph.py", "import mkdocs", "Only builder.mkdocs imports MkDocs or Material"),
    ("builder/archive/model.py", "from builder.site import graph", "Wings import one way"),
    ("builder/site/feeds.py", "from builder.site import pages", "No import cycle"),
])
def test_the_contracts_catch_a_wrong_import(tmp_path, module, line, contract):
    shutil.copytree(ROOT / "builder", tmp_path / "builder", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    (tmp_path / module).write_text((ROOT / module).read_text(encoding="utf-8") + f"\n{line}  # noqa\n", encoding="utf-8")
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    assert f"{contract}" in result.stdout and "BROKEN" in result.stdout


def test_no_module_is_longer_than_400_lines():
    long = {str(p.relative_to(ROOT)): n for p in sorted((ROOT / "builder").rglob("*.py"))
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES}
    assert long == {}
