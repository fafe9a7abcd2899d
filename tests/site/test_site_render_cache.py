"""The persistent render cache (builder.site.render_cache): a second build reuses rendered
pages and writes the same site, byte for byte, as a build without the cache."""

from __future__ import annotations

import filecmp
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from sitebuild import FIXTURES, make_site_project

pytestmark = pytest.mark.site

BRIEFING = "docs/briefings/2021/2021-10-06-mali-wagner-leverage.md"


def build(root: Path, site: str, *, strict: bool = True) -> tuple[int, int, str]:
    """(pages reused, pages rendered, log) of one `mkdocs build` into root/site."""
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict" if strict else "--no-strict", "-d", site],
        cwd=root, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    counts = re.search(r"render cache: (\d+) pages reused, (\d+) rendered", result.stderr)
    return (int(counts.group(1)), int(counts.group(2)), result.stderr) if counts else (0, 0, result.stderr)


def same_files(a: Path, b: Path) -> None:
    names = sorted(p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file())
    _, mismatch, errors = filecmp.cmpfiles(a, b, names, shallow=False)
    assert (mismatch, errors) == ([], [])


@pytest.fixture
def project(tmp_path) -> Path:
    return make_site_project(tmp_path / "project", docs=FIXTURES / "docs", registry=FIXTURES / "actors.yml")


def test_second_build_reuses_every_page_and_writes_the_same_site(project):
    reused, rendered, _ = build(project, "first")
    assert reused == 0 and rendered > 0
    assert (project / ".cache" / "render" / "render.sqlite3").is_file()
    assert build(project, "second")[:2] == (rendered, 0)
    same_files(project / "first", project / "second")

    # An edited briefing is rendered again, the rest reused; the same site as without a cache.
    path = project / BRIEFING
    path.write_text(path.read_text(encoding="utf-8") + "\nA new paragraph.\n", encoding="utf-8")
    assert build(project, "third")[:2] == (rendered - 1, 1)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("      raw_dir: raw\n", "      raw_dir: raw\n      render_cache: ''\n"))
    assert build(project, "uncached")[:2] == (0, 0)
    same_files(project / "third", project / "uncached")


def test_a_page_that_warned_is_rendered_and_warns_again(project):
    path = project / BRIEFING
    path.write_text(path.read_text(encoding="utf-8") + "\nSee [the other one](missing.md).\n", encoding="utf-8")
    for site in ("first", "second"):
        _, _, log = build(project, site, strict=False)
        assert "missing.md" in log


def test_entries_are_written_in_one_transaction_that_a_failed_build_drops(tmp_path):
    from builder.site.render_cache import RenderCache

    first = RenderCache(tmp_path, "salt")
    first.put(first.key("a"), {"html": "<p>a</p>"})
    assert first.get(first.key("a")) == {"html": "<p>a</p>"}  # the build itself sees its entries
    assert RenderCache(tmp_path, "salt").get(first.key("a")) is None  # nobody else, until the commit
    first.commit(prune=True)
    assert RenderCache(tmp_path, "salt").get(first.key("a")) == {"html": "<p>a</p>"}

    failed = RenderCache(tmp_path, "salt")
    failed.put(failed.key("b"), {"html": "<p>b</p>"})
    failed.rollback()
    killed = RenderCache(tmp_path, "salt")
    killed.put(killed.key("c"), {"html": "<p>c</p>"})
    killed.close()  # as when the process dies mid-build: no commit
    after = RenderCache(tmp_path, "salt")
    assert after.get(after.key("a")) == {"html": "<p>a</p>"}
    assert after.get(after.key("b")) is None and after.get(after.key("c")) is None

    # A full build's commit prunes what it did not use; a dirty build's keeps it.
    after.put(after.key("d"), {"html": "<p>d</p>"})
    after.commit(prune=False)
    pruning = RenderCache(tmp_path, "salt")
    pruning.get(pruning.key("d"))
    pruning.commit(prune=True)
    last = RenderCache(tmp_path, "salt")
    assert last.get(last.key("d")) == {"html": "<p>d</p>"} and last.get(last.key("a")) is None


def test_links_resolve_as_urljoin_does():
    from urllib.parse import urljoin, urlsplit

    from builder.site.render_cache import resolve_link

    pages = ["", "about/", "briefings/2021/2021-10-06-mali/", "actors/mali/index.html", "index.html", "a/b.html"]
    targets = ["../../../actors/mali/", "../", "..", ".", "./", "x/", "x", "../x/y/../z/", "../../../../../../x/",
               "/abs/path/", "img/photo.png", "?q=1", "x/?q=1", "a//b/", "./../x", "..\\x", "%C3%A9/", "../.", "x/.."]
    for page in pages:
        for target in targets:
            expected = urlsplit(urljoin("http://site/" + page, target)).path[1:]
            assert resolve_link(page, target) == expected, (page, target)
