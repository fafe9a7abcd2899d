"""The same archive from other generators of the MkDocs family (issue 18).

- ProperDocs, the maintained fork of MkDocs 1.x, runs the repository's mkdocs.yml with the
  `briefings` plugin unchanged and writes the same pages as MkDocs.
- Zensical, Material's successor, runs no third-party plugin: it builds the plain docs tree
  of `briefings export` with zensical.yml. Every generated page and every briefing is there,
  with the header and working actor links; its own search index holds every briefing, and
  Pagefind indexes its output as a post-build step.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urljoin

import pytest
import yaml

from builder.site.export import export
from builder.site.load import load_site
from builder import urls
from sitebuild import FIXTURES, REPO, make_site_project

pytestmark = pytest.mark.site
BIN = Path(sys.executable).parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"}
_GENERATOR = re.compile(r'<meta name="generator" content="[^"]*">')
_HREF = re.compile(r'href="([^"#?]*)')


def html_files(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in sorted(site.rglob("*.html"))}


def test_properdocs_builds_the_same_site_as_mkdocs(tmp_path):
    project = make_site_project(tmp_path / "project", docs=FIXTURES / "docs", registry=FIXTURES / "actors.yml")
    for command, site in (([str(BIN / "mkdocs"), "build"], "by-mkdocs"), ([str(BIN / "properdocs"), "build", "-f", "mkdocs.yml"], "by-properdocs")):
        result = subprocess.run([*command, "--strict", "-d", site], cwd=project, env=ENV, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stdout + result.stderr
    mkdocs_pages, properdocs_pages = html_files(project / "by-mkdocs"), html_files(project / "by-properdocs")
    assert len(mkdocs_pages) > 30 and sorted(properdocs_pages) == sorted(mkdocs_pages)
    for path, page in mkdocs_pages.items():  # byte for byte, but for the generator's name
        assert _GENERATOR.sub("", properdocs_pages[path]) == _GENERATOR.sub("", page), path


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory) -> tuple[Path, object]:
    """The repository's sample archive exported and built by Zensical; and the site model."""
    root = tmp_path_factory.mktemp("zensical")
    export(root / "export", docs_dir=REPO / "docs", registry_path=REPO / "registry", assets_dir=REPO / "site_overrides/assets")
    config = yaml.safe_load((REPO / "zensical.yml").read_text(encoding="utf-8"))
    config.update(docs_dir="export", site_dir="site")  # relative to the config (Zensical 0.0.73 panics on absolute ones)
    (root / "zensical.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    result = subprocess.run([str(BIN / "zensical"), "build", "--strict", "-f", "zensical.yml"], cwd=root, env=ENV,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "site", load_site(REPO / "docs", REPO / "registry")


def built(site: Path, src: str) -> Path:
    return site / (urls.page_url(src) + "index.html" if src.endswith(".md") else src)


def test_zensical_builds_every_page_of_the_archive(zensical_site):
    site, model = zensical_site
    sources = [page.path for page in model.pages] + [b.path for b in model.briefings]
    assert any(s.startswith("actors/") for s in sources) and any(s.startswith("regions/") for s in sources)
    assert any(s.startswith("archive/") for s in sources) and len(model.briefings) >= 2
    missing = [src for src in sources if not built(site, src).is_file()]
    assert missing == []


def test_zensical_briefings_have_their_header_and_working_actor_links(zensical_site):
    site, model = zensical_site
    for briefing in model.briefings:
        page = built(site, briefing.path)
        text = page.read_text(encoding="utf-8")
        assert 'class="ba-briefing-header"' in text
        page_url = urls.page_url(briefing.path) + "index.html"
        actor_links = {unquote(urljoin(page_url, href)) for href in _HREF.findall(text) if "actors/" in href}
        assert len(actor_links) >= 3, briefing.path
        for target in actor_links:
            assert (site / target / "index.html").is_file() or (site / target).is_file(), (briefing.path, target)
        linked_in_text = text.split('class="ba-briefing-header"', 1)[1].split("</header>", 1)[1]
        assert "/actors/" in linked_in_text, "the first mentions in the text are linked"


def test_zensical_search_and_pagefind_find_every_briefing(zensical_site):
    site, model = zensical_site
    index = json.loads((site / "search.json").read_text(encoding="utf-8"))
    titles = {item["title"] for item in index["items"]}
    for briefing in model.briefings:
        assert briefing.meta.title in titles
    # Pagefind as a post-build step over Zensical's output, with the briefings' filters.
    result = subprocess.run([sys.executable, "-m", "builder", "pagefind", "--site", str(site),
                             "--docs", str(REPO / "docs"), "--registry", str(REPO / "registry")],
                            env=ENV, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"pagefind: {len(model.briefings)} briefings indexed" in result.stderr
    assert (site / "pagefind" / "pagefind.js").is_file() and any((site / "pagefind" / "filter").iterdir())
    page = built(site, model.briefings[0].path).read_text(encoding="utf-8")
    assert "data-pagefind-body" in page and 'data-pagefind-filter="actor"' in page
    assert "assets/pagefind/pagefind-material.js" in built(site, "index.md").read_text(encoding="utf-8")
