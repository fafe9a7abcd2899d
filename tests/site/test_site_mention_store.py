"""The persistent store of actor mentions (builder.site.mention_store): a second build reuses
the mentions and writes the same site, byte for byte, as a build without the store."""

from __future__ import annotations

import filecmp
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from sitebuild import FIXTURES, make_site_project

pytestmark = pytest.mark.site

BRIEFING = "docs/briefings/2021/2021-10-06-mali-wagner-leverage.md"


def build(root: Path, site: str, *, strict: bool = True) -> str:
    """The log of one `mkdocs build` into root/site."""
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict" if strict else "--no-strict", "-d", site],
        cwd=root, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stderr


def stored_mentions(root: Path) -> int:
    with sqlite3.connect(root / ".cache" / "render" / "render.sqlite3") as db:
        return db.execute("SELECT count(*) FROM mentions").fetchone()[0]


def same_files(a: Path, b: Path) -> None:
    names = sorted(p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file())
    _, mismatch, errors = filecmp.cmpfiles(a, b, names, shallow=False)
    assert (mismatch, errors) == ([], [])


@pytest.fixture
def project(tmp_path) -> Path:
    return make_site_project(tmp_path / "project", docs=FIXTURES / "docs", registry=FIXTURES / "actors.yml")


def test_a_second_build_reuses_the_mentions_and_writes_the_same_site(project):
    build(project, "first")
    assert stored_mentions(project) == 5  # one entry per briefing of the fixture archive
    build(project, "second")
    same_files(project / "first", project / "second")

    # An edited briefing is matched again; the same site as without a store.
    path = project / BRIEFING
    path.write_text(path.read_text(encoding="utf-8") + "\nA new paragraph on Wagner.\n", encoding="utf-8")
    build(project, "third")
    assert stored_mentions(project) == 5  # the old entry of the edited briefing is pruned
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("      raw_dir: raw\n", "      raw_dir: raw\n      render_cache: ''\n"))
    build(project, "uncached")
    same_files(project / "third", project / "uncached")


def test_a_page_that_warned_is_rendered_and_warns_again(project):
    path = project / BRIEFING
    path.write_text(path.read_text(encoding="utf-8") + "\nSee [the other one](missing.md).\n", encoding="utf-8")
    for site in ("first", "second"):
        assert "missing.md" in build(project, site, strict=False)


def test_entries_are_written_in_one_transaction_that_a_failed_build_drops(tmp_path):
    from builder.site.mention_store import MentionStore

    first = MentionStore(tmp_path, "salt")
    first.put(first.key("a"), {"html": "<p>a</p>"})
    assert first.get(first.key("a")) == {"html": "<p>a</p>"}  # the build itself sees its entries
    assert MentionStore(tmp_path, "salt").get(first.key("a")) is None  # nobody else, until the commit
    first.commit(prune=True)
    assert MentionStore(tmp_path, "salt").get(first.key("a")) == {"html": "<p>a</p>"}

    failed = MentionStore(tmp_path, "salt")
    failed.put(failed.key("b"), {"html": "<p>b</p>"})
    failed.rollback()
    killed = MentionStore(tmp_path, "salt")
    killed.put(killed.key("c"), {"html": "<p>c</p>"})
    killed.close()  # as when the process dies mid-build: no commit
    after = MentionStore(tmp_path, "salt")
    assert after.get(after.key("a")) == {"html": "<p>a</p>"}
    assert after.get(after.key("b")) is None and after.get(after.key("c")) is None

    # A full build's commit prunes what it did not use; a dirty build's keeps it.
    after.put(after.key("d"), {"html": "<p>d</p>"})
    after.commit(prune=False)
    pruning = MentionStore(tmp_path, "salt")
    pruning.get(pruning.key("d"))
    pruning.commit(prune=True)
    last = MentionStore(tmp_path, "salt")
    assert last.get(last.key("d")) == {"html": "<p>d</p>"} and last.get(last.key("a")) is None
