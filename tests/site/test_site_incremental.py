"""Rebuilds under `mkdocs serve --dirty`: only what changed is rendered, and the result is
the site a clean build makes of the same files (builder.site.incremental, the plugin's TrackedFile)."""

from __future__ import annotations

import filecmp
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from sitebuild import FIXTURES, make_site_project, run_mkdocs_build

pytestmark = pytest.mark.site

# One process, like `mkdocs serve --dirty`: the plugin instance (and its cache) lives across
# builds. After each build it prints the HTML files that build wrote.
SERVE_LIKE = textwrap.dedent("""
    import os, sys
    from pathlib import Path
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    site = Path(sys.argv[1])
    def written_since(t):
        return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if p.stat().st_mtime_ns > t)
    config = load_config("mkdocs.yml", site_dir=str(site))
    config.plugins.on_startup(command="serve", dirty=True)
    build(config, dirty=True)
    for line in sys.stdin:  # one edit per line: "path<TAB>text to write", then build again
        path, text = line.rstrip("\\n").split("\\t", 1)
        Path(path).write_text(text.replace("\\\\n", "\\n"), encoding="utf-8")
        os.utime(path, ns=(os.stat(path).st_mtime_ns + 10**9,) * 2)  # newer than any output
        before = max(p.stat().st_mtime_ns for p in site.rglob("*"))
        config = load_config("mkdocs.yml", site_dir=str(site))
        build(config, dirty=True)
        print("WROTE", " ".join(written_since(before)), flush=True)
""")

BRIEFING = "docs/briefings/2021/2021-10-06-mali-wagner-leverage.md"


def serve_dirty(root: Path, edits: list[tuple[str, str]]) -> list[set[str]]:
    """Build dirty, apply each edit and build again in the same process; the pages each rebuild wrote."""
    stdin = "".join(f"{path}\t{text.replace(chr(10), chr(92) + 'n')}\n" for path, text in edits)
    result = subprocess.run(
        [sys.executable, "-c", SERVE_LIKE, str(root / "site-dirty")], input=stdin, cwd=root,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return [set(line.split()[1:]) for line in result.stdout.splitlines() if line.startswith("WROTE")]


def assert_same_html(dirty: Path, clean: Path) -> None:
    """Every HTML page of the dirty rebuilds is byte-identical to the clean build's."""
    pages = sorted(p.relative_to(clean).as_posix() for p in clean.rglob("*.html"))
    assert pages
    _, mismatch, errors = filecmp.cmpfiles(dirty, clean, pages, shallow=False)
    assert (mismatch, errors) == ([], [])


@pytest.fixture
def project(tmp_path) -> Path:
    return make_site_project(tmp_path / "project", docs=FIXTURES / "docs", registry=FIXTURES / "actors.yml")


def test_text_edit_rebuilds_that_briefing_only(project):
    text = (project / BRIEFING).read_text(encoding="utf-8")
    [wrote] = serve_dirty(project, [(BRIEFING, text.rstrip("\n") + "\n\nA new paragraph about Mali.\n")])
    assert wrote == {"briefings/2021/2021-10-06-mali-wagner-leverage/index.html", "404.html"}
    assert run_mkdocs_build(project).returncode == 0
    assert_same_html(project / "site-dirty", project / "site")
    # Material's search keeps the previous index and swaps in the one rebuilt page's entries.
    dirty, clean = (json.loads((project / site / "search/search_index.json").read_text()) for site in ("site-dirty", "site"))
    assert sorted(map(json.dumps, dirty["docs"])) == sorted(map(json.dumps, clean["docs"]))


def test_title_and_registry_edits_rebuild_the_pages_that_show_them(project):
    text = (project / BRIEFING).read_text(encoding="utf-8")
    retitled = text.replace("title: Is Mali flirting", "title: Is Bamako flirting", 1)
    registry = (project / "actors.yml").read_text(encoding="utf-8")
    renamed = registry.replace("    name: Burkina Faso\n", "    name: Burkina\n", 1)
    assert retitled != text and renamed != registry
    title, rename = serve_dirty(project, [(BRIEFING, retitled), ("actors.yml", renamed)])
    # The title shows on its page, the archive, its actors' pages, the home page and the
    # related lists of briefings sharing its actors; not on an unrelated actor's page.
    assert "briefings/2021/2021-10-06-mali-wagner-leverage/index.html" in title
    assert {"archive/2021/index.html", "actors/mali/index.html", "index.html"} <= title
    assert any(page.startswith("briefings/2023/") for page in title)
    assert "actors/burkina-faso/index.html" not in title
    assert "actors/burkina-faso/index.html" in rename
    assert run_mkdocs_build(project).returncode == 0
    assert_same_html(project / "site-dirty", project / "site")
