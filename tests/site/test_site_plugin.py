"""The plugin's build-time economies, in-process: Material's navigation rendered once per set of
links (builder.site.navcache) writes the same pages as rendering it on every page, and the
pages of ours let go of their Markdown and HTML once MkDocs no longer needs them."""

from __future__ import annotations

import filecmp
from pathlib import Path

import pytest
from mkdocs.commands import build as mkdocs_build
from mkdocs.config import load_config

from builder.site import navcache
from sitebuild import FIXTURES, make_site_project

pytestmark = pytest.mark.site

LEVERAGE = "briefings/2021/2021-10-06-mali-wagner-leverage.md"


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    root = make_site_project(tmp_path / "project", docs=FIXTURES / "docs", registry=FIXTURES / "actors.yml")
    monkeypatch.chdir(root)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    return root


def build(root: Path, site: str) -> None:
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(root / site))
    config.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocs_build.build(config)
    finally:
        config.plugins.on_shutdown()


def test_cached_navigation_writes_the_same_pages(project, monkeypatch):
    keys: dict[str, object] = {}
    real_key = navcache.key

    def recording_key(page, targets, in_nav):
        keys[page.file.src_uri] = real_key(page, targets, in_nav)
        return keys[page.file.src_uri]

    monkeypatch.setattr(navcache, "key", recording_key)
    build(project, "cached")
    # Briefings (and actor pages) share a navigation; pages in the nav have none cached.
    assert keys[LEVERAGE] is not None and keys[LEVERAGE] == keys["briefings/2023/2023-03-14-jnim-expands-south.md"]
    assert keys["about.md"] is None and keys["actors/index.md"] is None
    assert keys["actors/mali/index.md"] is not None and keys["actors/mali/index.md"] != keys[LEVERAGE]

    monkeypatch.setattr(navcache, "key", lambda page, targets, in_nav: None)  # Material's partial on every page
    build(project, "uncached")
    cached, uncached = project / "cached", project / "uncached"
    names = sorted(p.relative_to(uncached).as_posix() for p in uncached.rglob("*.html"))
    assert len(names) > 30
    _, mismatch, errors = filecmp.cmpfiles(cached, uncached, names, shallow=False)
    assert (mismatch, errors) == ([], [])


def test_pages_of_ours_let_go_of_their_text_once_written(project, monkeypatch):
    pages = {}
    real_build_page = mkdocs_build._build_page

    def recording_build_page(page, *args, **kwargs):
        pages[page.file.src_uri] = page
        return real_build_page(page, *args, **kwargs)

    monkeypatch.setattr(mkdocs_build, "_build_page", recording_build_page)
    build(project, "site")
    briefing, actor, about = pages[LEVERAGE], pages["actors/mali/index.md"], pages["about.md"]
    assert (briefing.markdown, briefing.content) == ("", None)
    assert (actor.markdown, actor.content) == ("", None)
    assert briefing.title == "Is Mali flirting with Russian mercenaries to get Washington&#x27;s attention?"  # page.meta
    assert about.markdown and about.content  # a hand-written page is left as MkDocs has it
    written = (project / "site" / "briefings/2021/2021-10-06-mali-wagner-leverage/index.html").read_text(encoding="utf-8")
    assert "Wagner" in written and 'class="ba-related"' in written
