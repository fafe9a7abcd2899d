"""The plugin in-process: Material's navigation rendered once per set of links
(builder.mkdocs.navcache) writes the same pages as rendering it on every page, and the plugin
leaves MkDocs' page objects whole for the plugins and hooks that run after it."""

from __future__ import annotations

import filecmp
import json
from pathlib import Path

import pytest
from mkdocs.commands import build as mkdocs_build
from mkdocs.config import load_config

from builder.mkdocs import navcache
from sitebuild import FIXTURES, make_site_project

pytestmark = pytest.mark.site

LEVERAGE = "briefings/2021/2021-10-06-mali-wagner-leverage.md"
# The fixture archive's pages of ours: 5 briefings, 11 actor pages (of 13 actors: 2 are named in no
# briefing), the home, actors index, registry, region, archive and network pages.
OUR_PAGES = 30


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    root = make_site_project(tmp_path / "project", docs=FIXTURES / "docs", registry=FIXTURES / "actors.yml")
    monkeypatch.chdir(root)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    return root


def build(root: Path, site: str, *, dirty: bool = False) -> None:
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(root / site))
    config.plugins.on_startup(command="build", dirty=dirty)
    try:
        mkdocs_build.build(config, dirty=dirty)
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


LATER_HOOK = """
import json
seen = {}

def on_post_page(output, *, page, config):
    seen[page.file.src_uri] = [len(page.markdown or ""), len(page.content or ""), page.title]
    return output

def on_post_build(*, config):
    with open("seen.json", "w", encoding="utf-8") as out:
        json.dump(seen, out, sort_keys=True)
"""


def test_later_hooks_see_each_page_whole(project):
    # Any plugin or hook after ours may read page.markdown and page.content (issue 18).
    (project / "later_hook.py").write_text(LATER_HOOK, encoding="utf-8")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\nhooks:\n  - later_hook.py\n", encoding="utf-8")
    build(project, "site")
    seen = json.loads((project / "seen.json").read_text(encoding="utf-8"))
    for src in (LEVERAGE, "actors/mali/index.md", "about.md"):
        markdown, content, _ = seen[src]
        assert markdown > 0 and content > 0, src
    assert seen[LEVERAGE][2] == "Is Mali flirting with Russian mercenaries to get Washington&#x27;s attention?"  # page.meta
    assert len(seen) > OUR_PAGES
