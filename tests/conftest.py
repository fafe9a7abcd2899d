"""Shared fixtures: a throwaway copy of the repository's inputs to run the builder in."""

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def make_repo_copy(root: Path) -> Path:
    """A working folder with raw/, registry/ and an empty docs/, as a fresh clone would have."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO / "raw", root / "raw")
    shutil.copytree(REPO / "registry", root / "registry")
    (root / "docs").mkdir()
    return root


@pytest.fixture
def repo_copy(tmp_path, monkeypatch):
    root = make_repo_copy(tmp_path / "repo")
    monkeypatch.chdir(root)
    return root


@pytest.fixture
def two_notes(repo_copy):
    """Write two short briefings (2024-01-01 and -02) with the same body: what `actors suggest`
    needs to see a name recur."""

    def write(body: str) -> None:
        folder = Path("docs/briefings/2024")
        folder.mkdir(parents=True)
        for day in (1, 2):
            (folder / f"2024-01-0{day}-note-{day}.md").write_text(
                f"---\ntitle: Note {day}\ndate: 2024-01-0{day}\n---\n\n{body}", encoding="utf-8")

    return write


@pytest.fixture(scope="session")
def ingested_samples(tmp_path_factory):
    """A copy of the repository's inputs with raw/ ingested once: (root, briefings by raw path)."""
    from builder.archive.files import load_archive
    from builder.cli import main

    root = make_repo_copy(tmp_path_factory.mktemp("samples") / "repo")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        assert main(["ingest", "raw"]) == 0
        loaded, problems = load_archive(Path("docs"))
    assert problems == []
    return root, {b.meta.raw: b for b in loaded}
