"""The site built with `mkdocs build --strict`: generated pages, links both ways, safety.

Two archives: the fixture archive (tests/site/fixtures: five briefings, one undated with
open review items, one with hostile HTML) with exact expectations, and the repository's
own samples (docs/ + registry/), checked for the same invariants.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest

from builder.archive.files import load_archive
from builder import urls

from sitebuild import REPO, LinkParser

pytestmark = pytest.mark.site

ATOM = "{http://www.w3.org/2005/Atom}"


def briefing_urls(site) -> list[str]:
    return sorted(
        p.parent.relative_to(site.site).as_posix() + "/"
        for p in (site.site / "briefings").rglob("index.html")
    )


def header_actors(site, url: str) -> list[str]:
    """Actor ids linked from a briefing's header."""
    return [
        target.split("/")[1]
        for target, _ in site.links(url, within="ba-actors")
        if target.startswith("actors/")
    ]


def related_actors(site, actor_id: str) -> list[tuple[str, int]]:
    """(actor id, count) of the "Related actors" list of an actor page, in page order."""
    html = site.html(f"actors/{actor_id}/")
    section = html.split('id="related-actors"', 1)[1].split("<h2", 1)[0]
    return [
        (target_id, int(count))
        for target_id, count in re.findall(r'href="\.\./([a-z0-9-]+)/">[^<]*</a> · (\d+) briefings?', section)
    ]


# ------------------------------------------------------------------------ both archives


@pytest.fixture(params=["fixture_site", "sample_site"])
def any_site(request):
    return request.getfixturevalue(request.param)


def test_strict_build_has_no_warning(any_site):
    output = any_site.result.stdout + any_site.result.stderr
    assert "WARNING" not in output, output


def test_every_actor_of_every_briefing_has_a_page_linking_back(any_site):
    briefings = briefing_urls(any_site)
    assert briefings
    for url in briefings:
        actors = header_actors(any_site, url)
        assert actors, f"{url} links no actor"
        for actor_id in actors:
            page = any_site.site / "actors" / actor_id / "index.html"
            assert page.is_file(), f"{url}: no page for actor {actor_id}"
            linked = {target for target, _ in any_site.links(f"actors/{actor_id}/")}
            # A long list may be split over pages: follow the pagination.
            page_number = 2
            while url not in linked and (any_site.site / "actors" / actor_id / "page" / str(page_number)).is_dir():
                linked |= {t for t, _ in any_site.links(f"actors/{actor_id}/page/{page_number}/")}
                page_number += 1
            assert url in linked, f"actors/{actor_id}/ does not link back to {url}"


def test_related_actors_count_shared_briefings(any_site):
    """Recount co-occurrences from the briefing headers and compare with every actor page."""
    together: dict[str, Counter] = {}
    for url in briefing_urls(any_site):
        actors = header_actors(any_site, url)
        for actor_id in actors:
            together.setdefault(actor_id, Counter()).update(a for a in actors if a != actor_id)
    for actor_id, counts in together.items():
        shown = related_actors(any_site, actor_id)
        expected = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[: len(shown)]
        assert shown == expected, actor_id
        assert len(shown) == min(len(counts), 15)


def test_footnotes_link_both_ways(any_site):
    checked = 0
    for url in briefing_urls(any_site):
        parser = LinkParser()
        parser.feed(any_site.html(url))
        refs = [href for href, _ in parser.links if href.startswith("#fn:")]
        backs = [href for href, _ in parser.links if href.startswith("#fnref:")]
        for href in refs + backs:
            assert href[1:] in parser.ids, f"{url}: {href} points nowhere"
        assert {h[len("#fn:"):] for h in refs} == {h[len("#fnref:"):].split(":")[0] for h in backs}, url
        checked += len(refs)
    assert checked > 0


def test_pages_stay_small_and_navigation_lists_no_briefing(any_site):
    for page in any_site.site.rglob("*.html"):
        assert page.stat().st_size < 150_000, page
    nav = any_site.html("").split('class="md-nav md-nav--primary"', 1)[1].split("md-sidebar--secondary", 1)[0]
    assert "briefings/" not in nav
    for title in ("Briefings archive", "Actors", "Regions", "About"):
        assert title in nav


def test_nothing_is_requested_from_outside_the_site(any_site):
    pattern = re.compile(r'<(?:script|img|iframe|source)\b[^>]*\bsrc="(https?:)?//|<link\b[^>]*rel="(?:stylesheet|preload|preconnect|icon|modulepreload)"[^>]*href="(https?:)?//', re.I)
    for page in any_site.site.rglob("*.html"):
        assert not pattern.search(page.read_text(encoding="utf-8")), page
    for css in any_site.site.rglob("*.css"):
        assert not re.search(r"@import|url\((['\"]?)(https?:)?//", css.read_text(encoding="utf-8")), css


def test_feeds_are_atom(any_site):
    feed = ET.parse(any_site.site / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    dated = [u for u in briefing_urls(any_site) if "/undated/" not in u]
    assert len(entries) == min(len(dated), 20)
    for actor_dir in (any_site.site / "actors").iterdir():
        if actor_dir.is_dir():
            assert ET.parse(actor_dir / "feed.xml").getroot().tag == f"{ATOM}feed"


def test_plugin_never_writes_into_docs(any_site):
    docs = any_site.root / "docs"
    assert not (docs / "actors").exists() and not (docs / "index.md").exists()
    assert not (docs / "archive").exists() and not (docs / "feed.xml").exists()


# ------------------------------------------------------------------ the fixture archive

WAGNER_LEVERAGE = "briefings/2021/2021-10-06-mali-wagner-leverage/"
BARKHANE = "briefings/2022/2022-08-17-barkhane-withdrawal/"
DEFENDS = "briefings/2023/2023-02-08-mali-defends-russia/"
JNIM = "briefings/2023/2023-03-14-jnim-expands-south/"
UNDATED = "briefings/undated/wagner-after-prigozhin/"


def test_related_actors_of_the_fixture_archive(fixture_site):
    assert related_actors(fixture_site, "wagner-group") == [
        ("mali", 4), ("russia", 3), ("burkina-faso", 2), ("france", 2),
        ("abdoulaye-diop", 1), ("assimi-goita", 1), ("jnim", 1), ("operation-barkhane", 1), ("united-states", 1),
    ]
    assert related_actors(fixture_site, "minusma") == [("france", 1), ("mali", 1), ("operation-barkhane", 1)]


def test_actor_page_content(fixture_site):
    html = fixture_site.html("actors/wagner-group/")
    assert re.search(r"<h1[^>]*>Wagner Group<", html)
    assert "https://www.wikidata.org/wiki/Q24838474" in html
    assert "PMC Wagner" in html and "Africa Corps" in html  # aliases
    assert "<strong>First mention:</strong> 2021-10-06" in html
    assert "<strong>Last mention:</strong> 2023-03-14" in html
    assert "<svg" in html and "<title>2023-02: 1</title>" in html  # the chart, readable without JS
    order = [t for t, _ in fixture_site.links("actors/wagner-group/") if t.startswith("briefings/")]
    listed = list(dict.fromkeys(order))
    assert listed[:4] == [JNIM, DEFENDS, WAGNER_LEVERAGE, UNDATED]  # newest first, undated last
    assert 'type="application/atom+xml" title="Wagner Group: latest briefings" href="feed.xml"' in html


def test_actor_without_briefing_has_no_page_and_is_named_as_plain_text(fixture_site):
    # Niger River and ECOWAS are in the registry, named in no briefing: no page, no feed.
    for actor_id in ("niger-river", "ecowas"):
        assert not (fixture_site.site / "actors" / actor_id).exists()
    assert "niger-river" not in fixture_site.html("actors/") and "Niger River" not in fixture_site.html("actors/")
    # The registry page names them, unlinked; the others link to their pages.
    registry = fixture_site.html("registry/")
    assert "<li><strong>Niger River</strong> · Africa<br>" in registry and "<li><strong>ECOWAS</strong> · Africa<br>" in registry
    assert '<a href="../actors/mali/"><strong>Mali</strong></a> · Africa<br>' in registry
    for url in ("", "actors/", "registry/", "regions/africa/", *(f"actors/{p.name}/" for p in (fixture_site.site / "actors").iterdir() if p.is_dir())):
        assert not [t for t, _ in fixture_site.links(url) if t.startswith(("actors/niger-river", "actors/ecowas"))], url


def test_index_pages(fixture_site):
    actors = fixture_site.html("actors/")
    assert actors.index("States (5)") < actors.index("Armed groups (2)") < actors.index("Missions (1)")
    assert "Places" not in actors and "Organisations" not in actors  # their one actor each is named nowhere
    assert re.search(r'href="wagner-group/">Wagner Group</a> · 4', actors)
    archive = fixture_site.html("archive/")
    assert archive.index(">2023<") < archive.index(">2022<") < archive.index(">2021<") < archive.index(">undated<")
    year = fixture_site.html("archive/2023/")
    assert year.index("March 2023") < year.index("February 2023")
    assert 'id="2023-03"' in year
    region = fixture_site.html("regions/africa/")
    assert "4 briefings" in region and "Prigozhin" not in region
    assert "Prigozhin" in fixture_site.html("regions/eurasia/")
    home = fixture_site.html("")
    assert home.index("JNIM pushes south") < home.index("Mali Defends Reliance")
    assert "Most-mentioned actors" in home and re.search(r'href="actors/mali/">Mali</a> · 5 briefings', home)


def test_briefing_header(fixture_site):
    html = fixture_site.html(DEFENDS)
    header = html.split('<header class="ba-briefing-header">', 1)[1].split("</header>", 1)[0]
    assert "<h1>Mali Defends Reliance on Russian Counterterrorism Assistance</h1>" in header
    assert '<time datetime="2023-02-08">' in header
    assert 'href="https://example.org/oe-watch/2023/mali-defends-russia"' in header and "OE Watch" in header
    assert "Jason Warner" in header
    assert "Journal du Mali" in header and "2023-01-27" in header  # cited source
    assert 'href="../../../regions/africa/"' in header
    # Ranked: by mentions in the text (Mali 4, Russia 2, then 1 each), then type (states, then an
    # armed group, then a person), then first mention (Burkina Faso before France). "the Wagner
    # presence" counts: the text names Russia, the Wagner Group's country (the country cue).
    # Six actors: no "more" toggle.
    assert header_actors(fixture_site, DEFENDS) == ["mali", "russia", "burkina-faso", "france", "wagner-group", "abdoulaye-diop"]
    assert "<details" not in header


def test_first_mention_of_each_actor_is_linked_in_the_body(fixture_site):
    html = fixture_site.html(WAGNER_LEVERAGE)
    body = html.split('class="ba-briefing-header"', 1)[1].split("</header>", 1)[1]
    for actor_id in ("mali", "wagner-group", "united-states", "assimi-goita", "operation-barkhane", "france"):
        assert body.count(f'href="../../../actors/{actor_id}/"') == 1, actor_id
    assert 'href="../../../actors/russia/"' not in body  # listed in the frontmatter, not named in the text
    # Never inside a heading, a footnote definition, code or an existing link.
    jnim = fixture_site.html(JNIM).split('class="ba-briefing-header"', 1)[1].split("</header>", 1)[1]
    assert re.search(r'<h1 id="jnim-in-the-south">JNIM in the south', jnim)
    assert "<code>JNIM</code>" in jnim
    assert '<a data-ba-external href="https://example.com/jnim">JNIM profile</a>' in jnim  # marked for print (content.html)
    assert '<a href="../../../actors/jnim/">JNIM</a> now reach' in jnim
    footnotes = html.split('<div class="footnote">', 1)[1]
    assert "actors/" not in footnotes


def test_related_briefings(fixture_site):
    html = fixture_site.html(DEFENDS)
    section = html.split('id="related-briefings"', 1)[1]
    linked = re.findall(r'href="(?:\.\./)+([^"]+)"', section.split("</ul>", 1)[0])
    # Leverage shares 4 actors (mali, russia, france, wagner-group); JNIM and the undated one 3,
    # JNIM first: closer in time.
    assert linked[:3] == ["2021/2021-10-06-mali-wagner-leverage/", "2023-03-14-jnim-expands-south/", "undated/wagner-after-prigozhin/"]
    assert "4 actors in common" in section and "3 actors in common" in section


def test_review_notice(fixture_site):
    html = fixture_site.html(UNDATED)
    assert 'class="admonition warning"' in html and "Open review items" in html
    assert "date missing" in html and "authors missing" in html
    assert "Open review items" not in fixture_site.html(DEFENDS)


def test_briefing_html_is_sanitised(fixture_site):
    html = fixture_site.html(BARKHANE)
    article = html.split('<article class="md-content__inner md-typeset">', 1)[1].split("</article>", 1)[0]
    assert "<script" not in article and "not on our site" not in article
    assert "onclick" not in article and "javascript:" not in article
    assert "MINUSMA loses its air support" in article  # the text stays
    assert 'class="footnote-ref"' in article and 'class="footnote-backref"' in article


def test_search_index_has_briefings_with_actor_tags(fixture_site):
    index = (fixture_site.site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "blockade towns" in index
    assert '"tags":["JNIM","Mali","Burkina Faso","Wagner Group","Africa","jihadism"]' in index.replace(", ", ",")


def test_search_indexes_the_briefings_own_text_not_the_notice_or_related_titles(fixture_site):
    import json

    docs = json.loads((fixture_site.site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    briefings = [d for d in docs if d["location"].startswith("briefings/")]
    assert briefings
    assert not [d["location"] for d in briefings if "related-briefings" in d["location"] or d["title"] == "Related briefings"]
    assert not [d["location"] for d in briefings if "Open review items" in d["text"] or "open review items" in d["text"]]
    # The page itself still shows both, and the undated briefing's own text is still found.
    assert "Open review items" in fixture_site.html(UNDATED) and 'id="related-briefings"' in fixture_site.html(DEFENDS)
    undated = [d for d in briefings if d["location"] == UNDATED]
    assert undated and undated[0]["text"].strip()


def test_links_of_generated_listings_lead_to_built_pages(any_site):
    """Listings are raw HTML with final URLs, which `--strict` does not check: check them here."""
    generated = [p.parent.relative_to(any_site.site).as_posix() + "/"
                 for folder in ("actors", "regions", "archive") for p in (any_site.site / folder).rglob("index.html")]
    assert generated
    for url in ["", *generated]:
        for target, _ in any_site.links(url, within="md-content"):
            if target.startswith(("http:", "https:", "mailto:")) or target.endswith(".xml"):
                continue
            path = any_site.site / target.split("#")[0]
            assert (path / "index.html" if target.split("#")[0].endswith("/") or not target.split("#")[0] else path).is_file(), (url, target)


def test_generated_listings_stay_out_of_the_search_index(fixture_site):
    index = (fixture_site.site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert '"location":"actors/' not in index.replace(", ", ",") and '"location":"archive/' not in index.replace(", ", ",")
    assert '"location":"briefings/' in index.replace(", ", ",")


# ------------------------------------------------------------------- the real samples


def test_a_long_actor_list_shows_twelve_chips_and_the_rest_behind_a_toggle(sample_site):
    """The sample on Mali and Wagner names ~30 actors: 12 chips, the others in a closed <details>."""
    for url in briefing_urls(sample_site):
        header = sample_site.html(url).split('<header class="ba-briefing-header">', 1)[1].split("</header>", 1)[0]
        chips = header.split("<details", 1)[0].count('class="md-tag ba-actor ')
        total = len(header_actors(sample_site, url))
        assert chips == min(total, 12), url
        if total > 12:
            assert re.search(rf'<details class="ba-actors__more">\s*<summary class="md-tag">{total - 12} more</summary>', header), url
            assert "<details open" not in header  # closed until the reader opens it
    assert any(len(header_actors(sample_site, url)) > 12 for url in briefing_urls(sample_site))


def test_sample_archive_pages(sample_site):
    briefings, problems = load_archive(REPO / "docs")
    assert problems == []
    for briefing in briefings:
        url = urls.page_url(briefing.path)
        assert url in briefing_urls(sample_site)
        for actor_id in briefing.meta.actors:
            assert actor_id in header_actors(sample_site, url)
    if len(briefings) >= 2 and all("wagner-group" in b.meta.actors and "mali" in b.meta.actors for b in briefings):
        assert ("mali", len(briefings)) in related_actors(sample_site, "wagner-group")
