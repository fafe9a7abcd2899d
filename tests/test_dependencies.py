"""Every module the builder imports is a declared, pinned dependency, and the project installs
whole with a fresh venv's own pip (issue 16: an older pip left lxml_html_clean out, and every
HTML page then failed as "no article text")."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DEPTRY = Path(sys.executable).parent / "deptry"


def run_deptry(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(DEPTRY), "--no-ansi", "."], cwd=project, capture_output=True, text=True, timeout=300)


def test_every_import_of_the_builder_is_a_declared_dependency():
    result = run_deptry(REPO)
    assert result.returncode == 0, result.stdout + result.stderr


def test_deptry_fails_on_an_undeclared_import(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(REPO / "builder", project / "builder", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", project / "pyproject.toml")
    (project / "builder" / "extra.py").write_text("import a_package_nobody_declared\n", encoding="utf-8")
    result = run_deptry(project)
    assert result.returncode == 1
    assert "builder/extra.py:1:8: DEP001 'a_package_nobody_declared' imported but missing from the dependency definitions" in result.stderr + result.stdout


def test_every_dependency_is_pinned():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = project["dependencies"] + [r for group in project["optional-dependencies"].values() for r in group]
    assert requirements and all(re.fullmatch(r"[A-Za-z0-9_.\-]+(\[[a-z,]+\])?==[0-9][0-9A-Za-z.]*", r) for r in requirements)


@pytest.mark.install
def test_a_fresh_venv_with_its_own_pip_installs_a_project_that_cleans_html_and_text(tmp_path):
    """`python -m venv` + that venv's own (old) pip, no upgrade, then one HTML page and one text
    dump through `briefings clean`."""
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, source / name)
    shutil.copytree(REPO / "builder", source / "builder", ignore=shutil.ignore_patterns("__pycache__"))
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    install = subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(source)],
                             capture_output=True, text=True, timeout=1800)
    assert install.returncode == 0, install.stdout + install.stderr
    project = tmp_path / "project"
    shutil.copytree(REPO / "raw", project / "raw")
    shutil.copytree(REPO / "registry", project / "registry")
    briefings = env_dir / "bin" / "briefings"
    html = subprocess.run([str(briefings), "clean", str(REPO / "tests" / "cases" / "extraction" / "diet-ru.html")],
                          cwd=project, capture_output=True, text=True, timeout=600)
    assert html.returncode == 0, html.stderr
    assert html.stdout.startswith("---\ntitle: ") and len(html.stdout.split("\n---\n", 1)[1]) > 1000
    text = subprocess.run([str(briefings), "clean", "raw/mali-wagner-leverage.txt"],
                          cwd=project, capture_output=True, text=True, timeout=600)
    assert text.returncode == 0, text.stderr
    assert "title: Is Mali flirting with Russian mercenaries" in text.stdout
