"""Unit tests of builder.site: linking, graph, charts, feeds, pages, sanitising, plugin wiring."""

from __future__ import annotations

import multiprocessing
import os
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from builder.archive.registry_load import load_registry
from builder.archive.matching import ActorMatcher
from builder.archive.model import Briefing, BriefingMeta
from builder import urls
from builder.site.charts import mentions_chart, periods
from builder.site.feeds import FeedEntry, atom_feed
from builder.site.graph import build_graph, newest_first
from builder.site.linking import link_first_mentions, mentioned_actor_ids, protected_spans
from builder.site.pages import PAGE_SIZE, generate_pages, md
from builder.site.sanitize import sanitize_html
from sitebuild import FIXTURES

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def registry():
    return load_registry(FIXTURES / "actors.yml")


@pytest.fixture(scope="module")
def matcher(registry):
    return ActorMatcher(registry)


def briefing(path: str, date: str | None, actors=(), title: str = "A briefing", **fields) -> Briefing:
    return Briefing(meta=BriefingMeta(title=title, date=date, actors=tuple(actors), **fields), body="Text.\n", path=path)


def href(actor_id: str) -> str:
    return f"../../actors/{actor_id}/index.md"


# ----------------------------------------------------------------------------- linking


def test_first_mention_of_each_actor_is_linked_once(matcher):
    text = "Mali and Russia signed a deal. Mali later hosted the Wagner Group; Russia denied it.\n"
    linked = link_first_mentions(text, matcher, href)
    assert linked == (
        "[Mali](../../actors/mali/index.md) and [Russia](../../actors/russia/index.md) signed a deal. "
        "Mali later hosted the [Wagner Group](../../actors/wagner-group/index.md); Russia denied it.\n"
    )


@pytest.mark.parametrize(
    "text",
    [
        "# Mali in crisis\n",
        "Mali in crisis\n==============\n",
        "```\nMali\n```\n",
        "~~~text\nMali\n~~~\n",
        "Use `Mali` here.\n",
        "See [the Mali file](https://example.com/mali).\n",
        "See ![Mali map](map.png).\n",
        "See [Mali][ref].\n\n[ref]: https://example.com\n",
        "Text.[^1]\n\n[^1]: Journal du Mali, 2023.\n    Mali again, continued.\n",
        "<div>\nMali\n</div>\n",
        'Inline <a href="x">Mali</a> link.\n',
        "Visit https://example.com/Mali/today for more.\n",
    ],
)
def test_no_link_in_headings_code_links_footnotes_or_html(matcher, text):
    assert link_first_mentions(text, matcher, href) == text


def test_first_mention_in_running_text_after_a_protected_one(matcher):
    text = "# Mali\n\nThe junta in Mali.\n\n[^1]: France.\n"
    assert link_first_mentions(text, matcher, href) == "# Mali\n\nThe junta in [Mali](../../actors/mali/index.md).\n\n[^1]: France.\n"
    assert mentioned_actor_ids(text, matcher) == ["mali"]


def test_ambiguous_alias_needs_context(matcher):
    assert mentioned_actor_ids("Richard Wagner wrote operas.", matcher) == []
    assert mentioned_actor_ids("Wagner mercenaries arrived.", matcher) == ["wagner-group"]


def test_href_none_leaves_the_actor_unlinked(matcher):
    assert link_first_mentions("Mali and France.", matcher, lambda a: None if a == "mali" else href(a)) == (
        "Mali and [France](../../actors/france/index.md)."
    )


def test_protected_spans_are_merged_and_sorted():
    spans = protected_spans("`a` `b` [x](y)\n# H\n")
    assert spans == sorted(spans)
    assert all(a[1] < b[0] for a, b in zip(spans, spans[1:]))


# ------------------------------------------------------------------------------- graph


def test_graph_orders_newest_first_and_counts_co_occurrence():
    items = [
        briefing("briefings/b.md", "2022-01-01", ["mali", "russia"]),
        briefing("briefings/a.md", "2023-01-01", ["mali", "france", "russia"]),
        briefing("briefings/u.md", None, ["mali"]),
        briefing("briefings/c.md", "2023-01-01", ["france"]),
    ]
    graph = build_graph(items)
    assert [b.path for b in graph.briefings] == ["briefings/a.md", "briefings/c.md", "briefings/b.md", "briefings/u.md"]
    assert graph.related_actors("mali") == [("russia", 2), ("france", 1)]
    assert [(b.path, n) for b, n in graph.related_briefings("briefings/a.md")] == [
        ("briefings/b.md", 2), ("briefings/c.md", 1), ("briefings/u.md", 1)
    ]


def test_actors_of_overrides_frontmatter():
    graph = build_graph([briefing("briefings/a.md", "2023-01-01", ["mali"])], {"briefings/a.md": ("mali", "jnim", "mali")})
    assert graph.actors_of["briefings/a.md"] == ("mali", "jnim")


def test_related_briefings_look_only_at_time_neighbours():
    """A popular actor in 3,000 briefings: candidates come from a window around the briefing in
    each seed actor's list, never from all 3,000 (no briefings x briefings); speed is measured in
    benchmarks/, this checks the bound that makes it fast."""
    from builder.site import graph as graph_module

    items = [briefing(f"briefings/{i:05d}.md", f"20{10 + i % 10}-{1 + i % 12:02d}-01", ["mali", f"x{i % 7}"]) for i in range(3000)]
    graph = build_graph(items)
    examined = []

    class CountingMasks(dict):  # every candidate scored reads its actor mask once
        def __getitem__(self, path):
            examined.append(path)
            return dict.__getitem__(self, path)

    object.__setattr__(graph, "_actor_mask", CountingMasks(graph._actor_mask))
    related = graph.related_briefings(items[1500].path)
    assert len(related) == 5 and all(shared >= 1 for _, shared in related)
    bound = graph_module.RELATED_SEEDS * (2 * graph_module.RELATED_WINDOW + 1)
    assert 0 < len(examined) <= bound


def test_related_briefings_count_every_shared_actor():
    # Shared actors are counted exactly (not only the seed actors), ties go to the closest date.
    items = [
        briefing("briefings/own.md", "2023-06-01", ["mali", "russia", "france", "jnim"]),
        briefing("briefings/three.md", "2020-01-01", ["mali", "russia", "france"]),
        briefing("briefings/two-near.md", "2023-05-30", ["mali", "jnim"]),
        briefing("briefings/two-far.md", "2021-01-01", ["russia", "france"]),
        briefing("briefings/none.md", "2023-06-01", ["niger"]),
    ]
    graph = build_graph(items)
    assert [(b.path, n) for b, n in graph.related_briefings("briefings/own.md")] == [
        ("briefings/three.md", 3), ("briefings/two-near.md", 2), ("briefings/two-far.md", 2)
    ]
    assert graph.related_briefings("briefings/none.md") == [] and graph.related_briefings("briefings/unknown.md") == []


# ------------------------------------------------------------------------------ charts


def test_chart_is_deterministic_and_fills_empty_months():
    dates = ["2023-03-14", "2023-01-02", "2023-01-30"]
    assert periods(dates) == [("2023-01", 2), ("2023-02", 0), ("2023-03", 1)]
    svg = mentions_chart(dates, label="Mentions of <Mali> & co")
    assert svg == mentions_chart(list(reversed(dates)), label="Mentions of <Mali> & co")
    root = ET.fromstring(svg)  # well-formed XML
    assert root.tag.endswith("svg") and "&lt;Mali&gt; &amp; co" in svg and "<Mali>" not in svg
    assert svg.count("<rect") == 2 and "<title>2023-01: 2</title>" in svg


def test_chart_groups_by_year_over_long_spans():
    assert periods(["2001-05-01", "2010-02-01"])[:2] == [("2001", 1), ("2002", 0)]
    assert mentions_chart([], label="x") == ""


# ------------------------------------------------------------------------------- feeds


def test_feed_escapes_and_skips_undated():
    hostile = briefing("briefings/a.md", "2023-01-01", ["mali"], title="<script>alert(1)</script> & Co", summary="a < b")
    entries = [FeedEntry(hostile, "https://x.org/a/", ("mali",)), FeedEntry(briefing("briefings/u.md", None), "https://x.org/u/")]
    text = atom_feed(entries, title="T", feed_url="https://x.org/feed.xml", page_url="https://x.org/")
    feed = ET.fromstring(text)
    [entry] = feed.findall(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text == "<script>alert(1)</script> & Co"
    assert "<script>" not in text
    assert feed.find(f"{ATOM}updated").text == "2023-01-01T00:00:00Z"
    assert entry.find(f"{ATOM}category").get("term") == "mali"


# ------------------------------------------------------------------------------- pages


def test_markdown_escaping():
    assert md("*bold* [x](javascript:y) <b>&") == r"\*bold\* \[x\]\(javascript:y\) &lt;b&gt;&amp;"
    assert md("- not a list") == r"\- not a list"
    assert md("1990. a year") == r"1990\. a year"
    assert md("two\nlines") == "two lines"


def test_long_lists_are_paginated(registry):
    items = [briefing(f"briefings/2023/{i:04d}.md", f"2023-01-{1 + i % 28:02d}", ["mali"], title=f"B{i}") for i in range(PAGE_SIZE * 2 + 3)]
    pages = {p.path: p.content for p in generate_pages(items, registry, site_url="https://x.org/")}
    assert "actors/mali/page/3/index.md" in pages and "actors/mali/page/4/index.md" not in pages
    assert "Page 1 of 3" in pages["actors/mali/index.md"]
    assert "[Older →](page/2/index.md)" in pages["actors/mali/index.md"]
    assert "[← Newer](../../index.md)" in pages["actors/mali/page/2/index.md"]
    assert pages["actors/mali/index.md"].count("<li><strong>2023-") == PAGE_SIZE
    assert "regions/africa/page/2/index.md" not in pages  # these briefings have no region
    feed = ET.fromstring(pages["actors/mali/feed.xml"])
    assert len(feed.findall(f"{ATOM}entry")) == 20


def test_only_actors_named_in_a_briefing_get_a_page_and_links(registry):
    pages = {p.path: p.content for p in generate_pages([briefing("briefings/2023/t.md", "2023-01-01", ["wagner-group"])],
                                                      registry, site_url="https://x.org/")}
    assert {p.split("/")[1] for p in pages if p.startswith("actors/") and p != "actors/index.md"} == {"wagner-group"}
    # Russia, Wagner's country, is named in no briefing here: plain text, no page.
    assert "- **Country:** Russia\n" in pages["actors/wagner-group/index.md"]
    two = briefing("briefings/2023/t.md", "2023-01-01", ["wagner-group", "russia"])
    pages = {p.path: p.content for p in generate_pages([two], registry, site_url="https://x.org/")}
    assert "- **Country:** [Russia](../russia/index.md)\n" in pages["actors/wagner-group/index.md"]
    assert "actors/russia/feed.xml" in pages and "actors/mali/feed.xml" not in pages


def test_registry_text_is_escaped_in_pages(registry):
    from dataclasses import replace

    from builder.archive.actors import Registry

    evil = replace(registry.by_id["ecowas"], name="<img src=x onerror=alert(1)>", description="[click](javascript:alert(1))")
    changed = Registry(actors=tuple(evil if a.id == "ecowas" else a for a in registry.actors), regions=registry.regions)
    pages = {p.path: p.content for p in generate_pages([briefing("briefings/2023/t.md", "2023-01-01", ["ecowas"])], changed,
                                                      site_url="https://x.org/")}
    page = pages["actors/ecowas/index.md"]
    assert "<img" not in page and "](javascript" not in page
    assert "&lt;img src=x onerror=alert\\(1\\)&gt;" in page
    # Listings are raw HTML blocks: escaped as HTML, one line per item.
    assert '<a href="ecowas/">&lt;img src=x onerror=alert(1)&gt;</a>' in pages["actors/index.md"]
    assert '<strong>&lt;img src=x onerror=alert(1)&gt;</strong></a> · Africa<br>[click](javascript:alert(1))</li>' in pages["registry/index.md"]


def test_briefing_text_is_escaped_in_html_listings(registry):
    evil = briefing("briefings/2023/x.md", "2023-01-02", ["mali"], title='<script>alert(1)</script> "q" &amp;',
                    source="<b>S</b>", summary="line one\n\n<iframe src=x>")
    pages = {p.path: p.content for p in generate_pages([evil], registry, site_url="https://x.org/")}
    for path in ("actors/mali/index.md", "index.md", "archive/2023/index.md", "regions/africa/index.md"):
        page = pages[path]
        assert "<script" not in page and "<iframe" not in page and "<b>" not in page, path
    item = '<a href="../../briefings/2023/x/">&lt;script&gt;alert(1)&lt;/script&gt; &quot;q&quot; &amp;amp;</a> · <em>&lt;b&gt;S&lt;/b&gt;</em>'
    assert item + "<br>line one &lt;iframe src=x&gt;</li>" in pages["actors/mali/index.md"]
    assert "\n\n<iframe" not in pages["index.md"]


def test_generated_pages_stay_small_at_10000_briefings(registry):
    """10,000 briefings: no generated page grows with the archive."""
    ids = [a.id for a in registry.actors]
    items = [
        briefing(f"briefings/{2000 + i % 24}/{i:05d}.md", f"{2000 + i % 24}-{1 + i % 12:02d}-{1 + i % 28:02d}",
                 [ids[i % len(ids)], ids[(i * 7) % len(ids)], "mali"], title=f"Briefing {i}", region="Africa", summary="S" * 200)
        for i in range(10_000)
    ]
    pages = generate_pages(items, registry, site_url="https://x.org/")
    # Every page stays small whatever N is: long lists are split into pages (speed: benchmarks/).
    sizes = {p.path: len(p.content) for p in pages if p.path.endswith(".md")}
    assert max(sizes.values()) < 40_000, max(sizes.items(), key=lambda item: item[1])
    # A year of ~420 briefings: pages of 50, months continuing over page breaks.
    by_path = {p.path: p.content for p in pages}
    assert "archive/2005/page/9/index.md" in by_path and "archive/2005/page/10/index.md" not in by_path
    assert "Page 2 of 9" in by_path["archive/2005/page/2/index.md"]
    year_items = sum(c.count("<li><strong>") for path, c in by_path.items() if path.startswith("archive/2005/"))
    assert year_items == sum(1 for b in items if b.meta.date.startswith("2005"))


def test_archive_index_links_each_month_to_the_page_where_it_starts(registry):
    items = [briefing(f"briefings/2020/{i:03d}.md", f"2020-{12 - i // 30:02d}-{1 + i % 28:02d}", ["mali"]) for i in range(120)]
    pages = {p.path: p.content for p in generate_pages(items, registry, site_url="https://x.org/")}
    # 30 a month, newest first: Dec 1-30 and Nov 31-50 on page 1, Nov on page 2 continued, ...
    assert "[November](2020/index.md#2020-11) (30)" in pages["archive/index.md"]
    assert "[October](2020/page/2/index.md#2020-10) (30)" in pages["archive/index.md"]
    assert "## November 2020 (continued) {#2020-11}" in pages["archive/2020/page/2/index.md"]
    assert "## October 2020 {#2020-10}" in pages["archive/2020/page/2/index.md"]
    assert "[← Newer](../../index.md)" in pages["archive/2020/page/2/index.md"]
    assert "[Older →](../3/index.md)" in pages["archive/2020/page/2/index.md"]


def test_urls():
    assert urls.page_url("briefings/2023/x.md") == "briefings/2023/x/"
    assert urls.page_url("actors/mali/index.md") == "actors/mali/"
    assert urls.page_url("index.md") == ""
    assert urls.link("briefings/2023/x.md", "actors/mali/index.md") == "../../actors/mali/index.md"
    assert urls.region_page("Middle East and North Africa") == "regions/middle-east-and-north-africa/index.md"
    assert urls.absolute_url("https://x.org/base/", "briefings/2023/x.md") == "https://x.org/base/briefings/2023/x/"


# --------------------------------------------------------------------------- sanitising


def test_sanitiser_keeps_footnotes_and_drops_scripts():
    html = (
        '<p onclick="x()">A<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup></p>'
        '<script>alert(1)</script><a href="javascript:alert(1)">x</a><img src="x" onerror="alert(1)">'
        '<div class="footnote"><ol><li id="fn:1"><p>N <a class="footnote-backref" href="#fnref:1">&#8617;</a></p></li></ol></div>'
        '<div class="admonition warning"><p class="admonition-title">Open</p></div><iframe src="https://evil"></iframe>'
    )
    clean = sanitize_html(html)
    for bad in ("onclick", "<script", "alert", "javascript:", "onerror", "<iframe"):
        assert bad not in clean
    assert sanitize_html('<img src="https://tracker.example/p.gif" alt="p"><img src="//x.org/a.png"><img src="../img/map.png" alt="map">') == (
        '<img alt="p"><img><img src="../img/map.png" alt="map">'
    )
    for good in ('id="fnref:1"', 'class="footnote-ref" href="#fn:1"', 'id="fn:1"', 'class="footnote-backref" href="#fnref:1"', 'class="admonition warning"'):
        assert good in clean


# ------------------------------------------------------------------------------ plugin


class FakeServer:
    """What on_serve uses of MkDocs' LiveReloadServer: its public watch and unwatch."""

    def __init__(self, watched=()):
        self.watched = list(watched)

    def watch(self, path):
        self.watched.append(path)

    def unwatch(self, path):
        self.watched.remove(path)


class DocsConfig:
    def __init__(self, docs_dir):
        self.docs_dir = str(docs_dir)


def watching_plugin(tmp_path, monkeypatch, **options):
    from builder.mkdocs.plugin import BriefingsPlugin

    (tmp_path / "registry").mkdir()
    (tmp_path / "registry" / "regions.yml").write_text("x", encoding="utf-8")
    (tmp_path / "raw").mkdir()
    (tmp_path / "docs").mkdir()
    monkeypatch.chdir(tmp_path)
    plugin = BriefingsPlugin()
    plugin.load_config(options)
    plugin.root = Path(tmp_path)
    return plugin


def wait_for(condition, seconds=10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def test_plugin_watches_registry_and_raw_by_polling_when_asked(tmp_path, monkeypatch):
    plugin = watching_plugin(tmp_path, monkeypatch, native_watch=False)
    docs = str(tmp_path / "docs")
    server = plugin.on_serve(FakeServer([docs]), config=DocsConfig(docs), builder=None)
    assert server.watched == [docs, "registry", str(tmp_path / "raw")]
    assert plugin.relay is None


def test_docs_and_raw_changes_reach_the_polled_marker_by_file_events(tmp_path, monkeypatch):
    plugin = watching_plugin(tmp_path, monkeypatch)
    docs = str(tmp_path / "docs")
    server = plugin.on_serve(FakeServer([docs]), config=DocsConfig(docs), builder=None)
    try:
        relay = plugin.relay
        assert relay is not None
        # MkDocs now polls the registry and the relay's one-file folder, not the big folders.
        assert server.watched == ["registry", relay.folder]
        for changed in (tmp_path / "raw" / "new.txt", tmp_path / "docs" / "briefing.md"):
            before = os.stat(relay.marker).st_mtime_ns
            changed.write_text("an edit", encoding="utf-8")
            assert wait_for(lambda: os.stat(relay.marker).st_mtime_ns > before), changed
        # Reading a watched file (as every build does) is no change: no rebuild loop.
        time.sleep(0.3)
        quiet = os.stat(relay.marker).st_mtime_ns
        (tmp_path / "docs" / "briefing.md").read_text(encoding="utf-8")
        time.sleep(0.5)
        assert os.stat(relay.marker).st_mtime_ns == quiet
    finally:
        plugin.on_shutdown()
    assert not os.path.exists(relay.folder)


def test_a_folder_the_os_cannot_watch_stays_polled(tmp_path, monkeypatch):
    from builder.mkdocs.watch import EventRelay

    plugin = watching_plugin(tmp_path, monkeypatch)
    raw = str(tmp_path / "raw")
    monkeypatch.setattr(EventRelay, "watch", lambda self, paths: [p for p in paths if p == raw])
    docs = str(tmp_path / "docs")
    server = plugin.on_serve(FakeServer([docs]), config=DocsConfig(docs), builder=None)
    try:
        assert server.watched == ["registry", plugin.relay.folder, raw]  # docs by events, raw polled
    finally:
        plugin.on_shutdown()
    monkeypatch.setattr(EventRelay, "watch", lambda self, paths: list(paths))  # nothing watchable
    server = plugin.on_serve(FakeServer([docs]), config=DocsConfig(docs), builder=None)
    assert plugin.relay is None and server.watched == [docs, "registry", raw]


# ------------------------------------------------------------------------ briefing page


def test_briefing_page_markdown(registry, matcher):
    from builder.site import briefing_page
    from builder.site.linking import first_mentions, linkable_mentions

    body = "Mali and France.\n\n[^1]: Mali again.\n"
    this = Briefing(meta=BriefingMeta(title="T", actors=("mali",), review=("date missing", "<b>x</b>")), body=body, path="briefings/undated/t.md")
    text = briefing_page.render_markdown(this, body, first_mentions(linkable_mentions(body, matcher)))
    assert text.startswith('!!! warning "Open review items"')
    assert "    - date missing\n    - &lt;b&gt;x&lt;/b&gt;\n" in text
    assert "[Mali](../../actors/mali/index.md) and [France](../../actors/france/index.md).\n\n[^1]: Mali again.\n" in text
    assert text.endswith("[^1]: Mali again.\n")  # related briefings are the theme's, not the Markdown's
    # An actor without a page (named in no briefing of the archive) stays plain text.
    only_mali = briefing_page.render_markdown(this, body, first_mentions(linkable_mentions(body, matcher)), {"mali"})
    assert "[Mali](../../actors/mali/index.md) and France.\n" in only_mali
    actors = [registry.get("mali"), registry.get("wagner-group")]
    header = briefing_page.header(this.meta, actors)
    assert header["actors"] == [
        {"name": "Mali", "type": "state", "url": "actors/mali/"},
        {"name": "Wagner Group", "type": "armed-group", "url": "actors/wagner-group/"},
    ]
    assert header["more_actors"] == []
    assert header["date"] is None and header["review"] == ["date missing", "<b>x</b>"]
    assert briefing_page.tags(this.meta, actors) == ["Mali", "Wagner Group"]


def test_sidecar_exclusions_hold_at_build_time(tmp_path):
    """An actor the editor excluded in the raw sidecar is not re-added by render-time matching."""
    import shutil

    from builder.site.load import load_site

    repo = Path(__file__).resolve().parents[2]
    shutil.copytree(repo / "docs" / "briefings", tmp_path / "docs" / "briefings")
    shutil.copytree(repo / "raw", tmp_path / "raw")
    shutil.copytree(repo / "registry", tmp_path / "registry")
    wagner = "briefings/2021/2021-10-06-is-mali-flirting-with-russian-mercenaries-to-get-washingtons-attention.md"

    def actors_of(site):
        return {m.actor_id for m in site.first_mentions[wagner]}

    assert "kidal" in actors_of(load_site(tmp_path / "docs", tmp_path / "registry"))
    with (tmp_path / "raw" / "mali-wagner-leverage.yml").open("a", encoding="utf-8") as sidecar:
        sidecar.write("exclude_actors: [kidal]\n")
    assert "kidal" not in actors_of(load_site(tmp_path / "docs", tmp_path / "registry"))


# ----------------------------------------------------------------------------- raw HTML


def test_raw_html_blocks_skip_markdown_and_come_back_unchanged():
    import markdown as python_markdown

    from builder.mkdocs import rawhtml

    text = ("# T\n\n<ul>\n<li><a href=\"x/\">A &amp; B</a> · 2</li>\n<li>c</li>\n</ul>\n\nText *em*.\n\n"
            '<figure class="ba-chart-figure"><svg><g></g></svg><figcaption>C</figcaption></figure>\n')
    stashed, blocks = rawhtml.stash(text)
    assert len(blocks) == 2 and "<li>" not in stashed and "<svg>" not in stashed
    html = rawhtml.unstash(python_markdown.markdown(stashed), blocks)
    assert html == python_markdown.markdown(text).replace("</ul>\n\n", "</ul>\n")  # up to a blank line
    # A page whose own text holds the token is left to Markdown entirely.
    assert rawhtml.stash("BAHTMLBLOCK0X\n\n<ul>\n<li>a</li>\n</ul>\n") == ("BAHTMLBLOCK0X\n\n<ul>\n<li>a</li>\n</ul>\n", [])


def test_only_our_review_notice_is_excluded_from_search():
    from builder.site.briefing_page import exclude_from_search

    page = ('<div class="admonition warning">\n<p class="admonition-title">Open review items</p>\n</div>\n'
            '<h2 id="related-briefings">Related briefings</h2>\n<p>the body</p>\n')
    marked = exclude_from_search(page)
    assert marked.startswith('<div class="admonition warning" data-search-exclude>')
    assert marked.count("data-search-exclude") == 1  # the body's own heading of that name stays searchable
    body_warning = '<p>lede</p>\n<div class="admonition warning">\n<p class="admonition-title">Open review items</p>'
    assert exclude_from_search(body_warning) == body_warning  # only a notice that opens the page


def test_related_briefings_for_the_template_and_a_free_anchor():
    from builder.site import briefing_page

    other = briefing("briefings/2023/o.md", "2023-01-01", ["mali"], title="Other <b>[draft]</b>")
    items = briefing_page.related("briefings/undated/t.md", [(other, 1)])
    # raw text (the template escapes it); the link is final and relative to the page
    assert items == [{"date": "2023-01-01", "title": "Other <b>[draft]</b>", "href": "../../2023/o/", "shared": 1}]
    assert briefing_page.related_anchor(set()) == "related-briefings"
    assert briefing_page.related_anchor({"related-briefings", "related-briefings_1"}) == "related-briefings_2"


def test_compiled_templates_are_reused_across_environments_until_their_source_changes():
    import jinja2

    from builder.mkdocs.plugin import TemplateBytecode

    cache = TemplateBytecode()
    sources = {"page.html": "Hello {{ name }}"}

    def render() -> tuple[str, int]:
        env = jinja2.Environment(loader=jinja2.DictLoader(sources), bytecode_cache=cache)  # a rebuild's new env
        compiled = []
        env.compile = lambda *args, **kwargs: compiled.append(1) or jinja2.Environment.compile(env, *args, **kwargs)
        return env.get_template("page.html").render(name="Mali"), len(compiled)

    assert render() == ("Hello Mali", 1)
    assert render() == ("Hello Mali", 0)  # from the cache: no compilation
    sources["page.html"] = "Bonjour {{ name }}"  # an edited override
    assert render() == ("Bonjour Mali", 1)


def test_idle_collector_freezes_after_a_build_and_collects_when_idle():
    import gc
    import weakref

    from builder.mkdocs.plugin import IdleCollector

    class Node:
        pass

    collector = IdleCollector(delay=0.1)
    was_enabled = gc.isenabled()
    gc.disable()  # only the collector's own collection may reclaim the cycle below
    try:
        collector.build_ended()
        assert gc.get_freeze_count() > 0
        node = Node()
        node.me = node  # a cycle that dies after the freeze: refcounting alone never frees it
        ref = weakref.ref(node)
        del node
        assert ref() is not None
        assert wait_for(lambda: ref() is None, seconds=5)  # the idle collection reclaimed it
        collector.build_ended()
        collector.build_starts()  # a new build cancels the pending collection
        assert collector._timer is None
    finally:
        collector.stop()
        if was_enabled:
            gc.enable()
    assert gc.get_freeze_count() == 0


def test_matching_on_several_processes_gives_the_same_mentions(matcher, monkeypatch):
    from builder import forkpool
    from builder.site import incremental
    from builder.site.linking import first_mentions, linkable_mentions, mention_counts

    bodies = [f"Mali and France {i}. Then [Mali](x) again, and France.\n" for i in range(40)] + ["", "Nothing here.\n"]
    expected = [(first_mentions(linkable_mentions(body, matcher)), mention_counts(linkable_mentions(body, matcher))) for body in bodies]
    assert expected[0][1] == {"mali": 1, "france": 2}  # "[Mali](x)" is a link already: not running text
    forked = []
    real_context = forkpool.multiprocessing.get_context
    monkeypatch.setattr(forkpool.multiprocessing, "get_context", lambda method: forked.append(method) or real_context(method))
    monkeypatch.setattr(incremental, "PARALLEL_FROM", 10)
    monkeypatch.setattr(incremental.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(forkpool.threading, "active_count", lambda: 1)  # `mkdocs build`: this thread only
    assert incremental.match_mentions(matcher, bodies) == expected
    assert forked == ["fork"] and not multiprocessing.active_children()
    # Other threads running (`mkdocs serve`'s server): no fork, matched in this process.
    monkeypatch.setattr(forkpool.threading, "active_count", lambda: 3)
    assert incremental.match_mentions(matcher, bodies) == expected
    assert forked == ["fork"]


def test_actor_pages_made_on_several_processes_are_the_same_pages(registry, monkeypatch):
    from builder import forkpool
    from builder.site import pages as site_pages

    ids = [a.id for a in registry.actors]
    items = [briefing(f"briefings/2023/{i:04d}.md", f"2023-01-{1 + i % 28:02d}", [ids[i % len(ids)], "mali"],
                      title=f"B{i}", region="Africa") for i in range(300)]
    expected = generate_pages(items, registry, site_url="https://x.org/")
    forked = []
    real_context = forkpool.multiprocessing.get_context
    monkeypatch.setattr(forkpool.multiprocessing, "get_context", lambda method: forked.append(method) or real_context(method))
    monkeypatch.setattr(site_pages, "PARALLEL_ACTORS_FROM", 2)
    assert generate_pages(items, registry, site_url="https://x.org/", workers=2) == expected
    assert forked == ["fork"] and not multiprocessing.active_children() and len(registry.actors) >= 2


# ----------------------------------------------------------------- actors index, registry


def test_registry_pages_split_by_size_and_types_continue_over_page_breaks(registry, monkeypatch):
    from builder.site import actor_lists

    monkeypatch.setattr(actor_lists, "REGISTRY_PAGE_SIZE", 4)
    pages = {p.path: p.content for p in generate_pages([briefing("briefings/2023/t.md", "2023-01-01", ["mali"])], registry,
                                                      site_url="https://x.org/")}
    registry_pages = sorted(p for p in pages if p.startswith("registry/"))
    assert registry_pages == ["registry/index.md", "registry/page/2/index.md", "registry/page/3/index.md", "registry/page/4/index.md"]
    listed = [line for p in registry_pages for line in pages[p].splitlines() if line.startswith("<li>")]
    assert len(listed) == len(registry.actors)  # every actor once, whether named or not
    first, second = pages["registry/index.md"], pages["registry/page/2/index.md"]
    assert "## States (5) {#state}" in first and "## States (continued) {#state}" in second
    # The first page links each type to the page where it starts; pages link to each other.
    assert "[Armed groups](page/2/index.md#armed-group) (2)" in first and "[States](index.md#state) (5)" in first
    assert "Page 2 of 4 · [← Previous](../../index.md) · [Next →](../3/index.md)" in second
    assert [line for line in listed if "<a href" in line] == ['<li><a href="../actors/mali/"><strong>Mali</strong></a> · Africa<br>'
                                                              "Landlocked state in West Africa, ruled by a military junta since 2020.</li>"]


def test_actors_index_groups_by_type_then_region_for_the_filter(registry):
    items = [briefing("briefings/2023/a.md", "2023-01-01", ["mali", "russia", "abdoulaye-diop", "wagner-group"]),
             briefing("briefings/2023/b.md", "2023-01-02", ["mali"])]
    index = {p.path: p.content for p in generate_pages(items, registry, site_url="https://x.org/")}["actors/index.md"]
    assert index.index("## States (2) {#state}") < index.index("## Armed groups (1) {#armed-group}") < index.index("## People (1) {#person}")
    states = index.split("## States", 1)[1].split("##", 1)[0]
    assert '<div class="ba-actor-groups" data-ba-type="state" data-ba-label="States">' in states
    assert states.index('data-ba-region="africa" data-ba-label="Africa"><h3>Africa <small>1</small></h3>') < states.index('data-ba-region="eurasia"')
    assert '<li><a href="mali/">Mali</a> · 2</li>' in states
    assert 'data-ba-region="none" data-ba-label="No region"><h3>No region <small>1</small></h3>' in index  # Diop has no region
    assert "Niger River" not in index and "4 actors named in the briefings" in index and "lists all 13 actors" in index


def test_actors_index_groups_skip_markdown_and_come_back_unchanged(registry):
    import markdown as python_markdown

    from builder.mkdocs import rawhtml

    text = {p.path: p.content for p in generate_pages([briefing("briefings/2023/a.md", "2023-01-01", ["mali", "jnim"])], registry,
                                                      site_url="https://x.org/")}["actors/index.md"].split("---\n", 2)[2]
    stashed, blocks = rawhtml.stash(text)
    assert len(blocks) == 2 and all(b.startswith('<div class="ba-actor-groups"') and b.endswith("</div>") for b in blocks)
    assert "<section" not in stashed and "<li>" not in stashed
    html = rawhtml.unstash(python_markdown.markdown(stashed), blocks)
    assert html.count("<section") == 2 and '<li><a href="mali/">Mali</a> · 1</li>' in html


def test_header_ranks_actors_by_mentions_then_type_then_first_mention(registry, matcher):
    from builder.site import briefing_page
    from builder.site.linking import first_mentions, linkable_mentions, mention_counts

    body = "Bamako? No: France, Mali, JNIM and Assimi Goïta. Mali again, and JNIM again. Niger River.\n"
    found = linkable_mentions(body, matcher)
    ids = ["operation-barkhane", "niger-river", "assimi-goita", "jnim", "france", "mali"]
    actors = [registry.get(i) for i in ids]  # the frontmatter's order, Barkhane not named in the text
    ranked = briefing_page.ranked_actors(actors, mention_counts(found), first_mentions(found))
    # Mali and JNIM twice (the state first); then once: France (state), Goïta (person), the river
    # (place); Barkhane, never named, last.
    assert [a.id for a in ranked] == ["mali", "jnim", "france", "assimi-goita", "niger-river", "operation-barkhane"]
    # Same count and type: the first mentioned first.
    same = briefing_page.ranked_actors([registry.get("mali"), registry.get("france")], {"mali": 1, "france": 1},
                                       first_mentions(linkable_mentions("France, then Mali.", matcher)))
    assert [a.id for a in same] == ["france", "mali"]


def test_header_shows_twelve_actors_and_the_rest_as_more(registry):
    from dataclasses import replace

    from builder.site import briefing_page

    many = [replace(registry.get("mali"), id=f"a{i:02d}", name=f"A{i:02d}") for i in range(20)]
    counts = {a.id: 20 - i for i, a in enumerate(many)}
    header = briefing_page.header(BriefingMeta(title="T"), many, counts)
    assert [a["name"] for a in header["actors"]] == [f"A{i:02d}" for i in range(12)]
    assert [a["name"] for a in header["more_actors"]] == [f"A{i:02d}" for i in range(12, 20)]
    assert header["more_actors"][0] == {"name": "A12", "type": "state", "url": "actors/a12/"}


def test_home_and_region_pages_show_the_state_map_with_links_to_actor_pages():
    import markdown as python_markdown
    from lxml import etree

    from builder.mkdocs import rawhtml
    from sitebuild import REPO

    registry = load_registry(REPO / "registry")  # the real states, with their ISO codes
    items = [briefing("briefings/2023/a.md", "2023-01-01", ["mali", "france"]), briefing("briefings/2023/b.md", "2023-02-01", ["mali"])]
    pages = {p.path: p.content for p in generate_pages(items, registry, site_url="https://x.org/")}
    svg = "{http://www.w3.org/2000/svg}"

    def state_links(path: str) -> dict[str, str]:
        (block,) = (line for line in pages[path].splitlines() if line.startswith('<figure class="ba-map-figure">'))
        return {a.get("href"): a.get("aria-label") for a in etree.fromstring(block).iter(f"{svg}a")}

    assert state_links("index.md") == {"actors/mali/": "Mali: 2 briefings", "actors/france/": "France: 1 briefing"}
    assert {"actors/mali/index.md", "actors/france/index.md"} <= set(pages)  # the links' targets exist
    # A region page: only its own states are linked, from two levels down.
    assert state_links(urls.region_page("Africa")) == {"../../actors/mali/": "Mali: 2 briefings"}
    assert state_links(urls.region_page("Europe")) == {"../../actors/france/": "France: 1 briefing"}
    assert "ba-map-figure" not in pages[urls.region_page("Global")]  # no state in it: no map
    # The map is one raw HTML block that skips Markdown and comes back unchanged.
    text = pages["index.md"].split("---\n", 2)[2]
    stashed, blocks = rawhtml.stash(text)
    assert any(b.startswith('<figure class="ba-map-figure">') for b in blocks) and "<svg" not in stashed
    assert '<figure class="ba-map-figure">' in rawhtml.unstash(python_markdown.markdown(stashed), blocks)


def test_the_home_page_stays_small_with_every_state_on_the_map():
    from sitebuild import REPO

    registry = load_registry(REPO / "registry")
    states = [a.id for a in registry.actors if a.type == "state" and a.iso_alpha3]
    items = [briefing(f"briefings/2023/s{n}.md", "2023-01-01", states[n::7]) for n in range(7)]  # every state, 1 briefing
    home = {p.path: p.content for p in generate_pages(items, registry, site_url="https://x.org/")}["index.md"]
    assert home.count("<a href=") >= 190 + 7
    # Issue 17: no page reaches 150 KB; Material's header, navigation and footer take ~20 KB of it.
    assert len(home.encode("utf-8")) < 125_000
