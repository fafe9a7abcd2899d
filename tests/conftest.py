"""Shared fixtures: a throwaway copy of the repository's inputs to run the builder in."""

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def repo_copy(tmp_path, monkeypatch):
    """A working folder with raw/, actors.yml and an empty docs/, as a fresh clone would have."""
    root = tmp_path / "repo"
    root.mkdir()
    shutil.copytree(REPO / "raw", root / "raw")
    shutil.copy(REPO / "actors.yml", root / "actors.yml")
    (root / "docs").mkdir()
    monkeypatch.chdir(root)
    return root
