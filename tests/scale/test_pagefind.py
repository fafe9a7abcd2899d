"""The briefings-pagefind plugin on a generated 60-briefing site (no Node, no browser)."""

from __future__ import annotations

import gzip
import json
import re
import subprocess

import pytest

from builder.archive.registry_load import load_registry
from builder.archive.files import load_archive
from builder.mkdocs.pagefind import PagefindPlugin
from builder.site.search_index import mark_briefing, pagefind_executable, relative_root, search_data
from scalesite import SMALL_SITE_BRIEFINGS

pytestmark = pytest.mark.scale


def decoded(path) -> bytes:
    """Pagefind's index files: gzip around a `pagefind_dcd` + CBOR payload."""
    data = gzip.decompress(path.read_bytes())
    assert data.startswith(b"pagefind_dcd")
    return data


@pytest.fixture(scope="module")
def site(small_pagefind_site):
    return small_pagefind_site


@pytest.fixture(scope="module")
def briefings(site):
    docs = site.parent / "docs"
    registry = load_registry(site.parent / "registry")
    loaded, problems = load_archive(docs)
    assert problems == []
    return registry, loaded


def page_html(site, briefing) -> str:
    return (site / briefing.path.removesuffix(".md") / "index.html").read_text(encoding="utf-8")


def test_index_holds_exactly_the_briefings(site):
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["version"] == "1.5.2"
    (language,) = entry["languages"].values()
    assert language["page_count"] == SMALL_SITE_BRIEFINGS  # actor, region, archive pages are not indexed
    assert len(list((site / "pagefind" / "fragment").iterdir())) == SMALL_SITE_BRIEFINGS
    assert any((site / "pagefind" / "index").iterdir())
    for name in ("pagefind.js", "pagefind-ui.js", "pagefind-ui.css"):
        assert (site / "pagefind" / name).is_file()
    assert (site / "assets" / "pagefind" / "pagefind-material.js").is_file()
    assert (site / "assets" / "pagefind" / "pagefind-material.css").is_file()


def test_filters_are_actor_region_and_year(site, briefings):
    registry, loaded = briefings
    filters = {}
    for path in (site / "pagefind" / "filter").iterdir():
        data = decoded(path)
        name = re.match(rb"pagefind_dcd\x82[\x60-\x77](\w+)", data).group(1).decode()
        filters[name] = data
    assert set(filters) == {"actor", "region", "year"}
    some = loaded[0]
    assert registry.get(some.meta.actors[0]).name.encode() in filters["actor"]
    assert some.meta.date[:4].encode() in filters["year"]
    assert some.meta.region.encode() in filters["region"]


def test_briefing_pages_carry_body_filters_and_meta(site, briefings):
    registry, loaded = briefings
    for briefing in loaded[:10]:
        text = page_html(site, briefing)
        assert '<article class="md-content__inner md-typeset" data-pagefind-body>' in text
        block = re.search(r'<div hidden data-pagefind-ignore="index" class="ba-search-data">(.*?)</div>', text).group(1)
        actors = re.findall(r'<span data-pagefind-filter="actor">([^<]*)</span>', block)
        assert set(registry.get(a).name for a in briefing.meta.actors) <= set(actors)
        assert f'<span data-pagefind-filter="year">{briefing.meta.date[:4]}</span>' in block
        assert f'<span data-pagefind-meta="date">{briefing.meta.date}</span>' in block
        assert "data-pagefind-sort" not in block  # every first query would download it
        assert '<dl class="ba-facts" data-pagefind-ignore' in text
        assert text.count("data-pagefind-body") == 1


def test_other_pages_are_not_indexed_but_can_search(site):
    for url in ("index.html", "actors/index.html", "archive/index.html", "about/index.html"):
        text = (site / url).read_text(encoding="utf-8")
        assert "data-pagefind-body" not in text
        assert "assets/pagefind/pagefind-material.js" in text and 'data-bundle="' in text
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'data-bundle="pagefind/"' in home
    assert 'href="assets/pagefind/pagefind-material.css"' in home
    assert not (site / "search" / "search_index.json").exists()  # Material's search is off


def test_indexing_again_gives_the_same_pages_and_words(site):
    """Pagefind 1.5.2 writes filter values in hash-map order (so filter file names vary between
    runs); the word index and the page fragments are byte-identical."""
    command = [*pagefind_executable(), "--site", str(site), "--output-subdir", "pagefind-again", "--silent"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    for part in ("index", "fragment"):
        first = {p.name: p.read_bytes() for p in (site / "pagefind" / part).iterdir()}
        again = {p.name: p.read_bytes() for p in (site / "pagefind-again" / part).iterdir()}
        assert first == again
    sizes = lambda d: sorted(len(decoded(p)) for p in (site / d / "filter").iterdir())  # noqa: E731
    assert sizes("pagefind") == sizes("pagefind-again")


# ---------------------------------------------------------------- units


def test_relative_root():
    assert relative_root("") == ""
    assert relative_root("about/") == "../"
    assert relative_root("briefings/2020/2020-01-01-x/") == "../../../"
    assert relative_root("briefings/2020/x.html") == "../../"


def test_search_data_escapes_values_and_skips_missing_ones():
    block = search_data({"actors": [{"name": "Tom & <Jerry>"}], "region": {"name": "Africa"}, "date": "2021-10-06"})
    assert '<span data-pagefind-filter="actor">Tom &amp; &lt;Jerry&gt;</span>' in block
    assert '<span data-pagefind-filter="year">2021</span>' in block
    empty = search_data({"actors": [], "region": None, "date": None, "source": None})
    assert "data-pagefind-filter" not in empty and "data-pagefind-meta" not in empty


def test_mark_briefing_leaves_other_html_alone():
    assert mark_briefing("<html><body><p>no article</p></body></html>", {"date": "2020-01-01"}).count("pagefind") == 0
    page = ('<article class="md-content__inner md-typeset"><h1>T</h1><dl class="ba-facts"><dt>Date</dt></dl><p>x</p>'
            '<section class="ba-related" data-pagefind-ignore="all"><h2>Related briefings</h2></section></article>')
    marked = mark_briefing(page, {"date": "2020-01-01", "actors": []})
    assert marked.startswith('<article class="md-content__inner md-typeset" data-pagefind-body>')
    assert '<dl class="ba-facts" data-pagefind-ignore>' in marked
    assert marked.endswith('<p>x</p><section class="ba-related" data-pagefind-ignore="all"><h2>Related briefings</h2></section></article>')


def test_search_material_makes_the_plugin_inert():
    plugin = PagefindPlugin()
    errors, _ = plugin.load_config({"search": "material"})
    assert errors == []
    assert not plugin.enabled
    assert plugin.on_post_page("<html><head></head><body></body></html>", page=None, config=None) == \
        "<html><head></head><body></body></html>"
    errors, _ = PagefindPlugin().load_config({"search": "lunr"})
    assert errors


def test_hooks_module_is_the_plugin_with_its_defaults():
    """builder/mkdocs/pagefind_hooks.py: the same plugin for configs without the entry point."""
    from types import SimpleNamespace

    from builder.mkdocs import pagefind_hooks

    assert pagefind_hooks._errors == [] and pagefind_hooks._plugin.enabled
    page = SimpleNamespace(meta={"briefing": {"date": "2020-05-01", "actors": [{"name": "Mali"}]}}, url="briefings/2020/x/",
                           file=SimpleNamespace(dest_path="briefings/2020/x/index.html"))
    html_page = ('<html lang="en"><head></head><body><article class="md-content__inner md-typeset"><h1>T</h1>'
                 "</article></body></html>")
    out = pagefind_hooks.on_post_page(html_page, page=page, config=None)
    assert "data-pagefind-body" in out and '<span data-pagefind-filter="actor">Mali</span>' in out
    assert 'data-bundle="../../../pagefind/"' in out
