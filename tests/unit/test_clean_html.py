"""clean_html: trafilatura's Markdown mapped to roles, metadata, robustness."""

from __future__ import annotations

import pytest

from builder.ingest.clean import clean_html
from builder.ingest.clean.html import label_markdown, markdown_role
from builder.archive.model import Role

PARAGRAPH = (
    "The committee met on Tuesday to discuss the new budget, and members said the plan would "
    "take several years to carry out in full across the region."
)

PAGE = f"""<!DOCTYPE html>
<html lang="en"><head>
<title>Budget talks resume | Example News</title>
<meta property="og:title" content="Budget talks resume">
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2024-03-05T10:00:00Z">
<meta property="og:site_name" content="Example News">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li></ul></nav>
<article>
<h1>Budget talks resume</h1>
<p>{PARAGRAPH}</p>
<h2>What comes next</h2>
<p>{PARAGRAPH.replace("Tuesday", "Wednesday")}</p>
<blockquote><p>We will not accept cuts to schools, said the mayor, who spoke for an hour.</p></blockquote>
<ul><li>First item of the plan with several words in it</li><li>Second item of the plan with words</li></ul>
<p>{PARAGRAPH.replace("committee", "council")}</p>
</article>
<footer><p>Copyright 2024 Example News. All rights reserved.</p></footer>
</body></html>"""


@pytest.fixture(scope="module")
def article():
    return clean_html(PAGE)


def test_roles_from_markdown(article):
    roles = {b.text: b.role for b in article.blocks}
    assert roles.get("What comes next") is Role.HEADING
    assert roles.get("First item of the plan with several words in it") is Role.LIST_ITEM
    quotes = [b for b in article.blocks if b.role is Role.QUOTE]
    assert quotes and quotes[0].text.startswith("We will not accept cuts")
    assert PARAGRAPH in article.body_text()
    assert "##" not in article.body_text() and "> " not in article.body_text()


def test_found_metadata(article):
    assert article.title == "Budget talks resume"
    assert article.found["date"] == "2024-03-05"
    assert article.found["authors"] == ["Jane Doe"]
    assert article.found["sitename"] == "Example News"
    assert "All rights reserved" not in article.body_text()


def test_title_block_is_not_body(article):
    assert "Budget talks resume" not in article.body_text()


def test_markdown_role_mapping():
    assert markdown_role("## Heading") == (Role.HEADING, "Heading")
    assert markdown_role("> quoted") == (Role.QUOTE, "quoted")
    assert markdown_role("- item") == (Role.LIST_ITEM, "item")
    assert markdown_role("1. first") == (Role.LIST_ITEM, "first")
    assert markdown_role("plain **bold** text") == (Role.PARAGRAPH, "plain **bold** text")


def test_label_markdown_boilerplate_captions_notes():
    md = "\n".join([
        PARAGRAPH,
        "**Subscribe to our newsletter**",
        "Photo: Jane Doe/Reuters",
        PARAGRAPH.replace("budget", "plan"),
        "A recurring promo line",
        "[1] See the annual report, p. 4.",
    ])
    blocks = label_markdown(md, frozenset({"a recurring promo line"}))
    roles = {b.text: b.role for b in blocks}
    assert roles["Subscribe to our newsletter"] is Role.BOILERPLATE
    assert roles["Photo: Jane Doe/Reuters"] is Role.CAPTION
    assert roles["A recurring promo line"] is Role.BOILERPLATE
    assert roles["[1] See the annual report, p. 4."] is Role.FOOTNOTE


@pytest.mark.parametrize("garbage", ["", "   ", "<html", "\x00\x01\x02", "<<<>>>", "<p>" * 5000, "not html at all"])
def test_garbage_never_crashes(garbage):
    article = clean_html(garbage)
    assert article.body_blocks() == () or isinstance(article.body_text(), str)


def test_deterministic(article):
    assert clean_html(PAGE) == article


@pytest.mark.parametrize("name", ["cbssports-nfl", "albawaba-assange", "diet-ru", "entermedia-ko"])
def test_page_metadata_is_trafilaturas_for_the_fields_we_keep(name: str) -> None:
    from pathlib import Path

    from trafilatura.metadata import extract_metadata
    from trafilatura.utils import load_html

    from builder.ingest.clean.html import FAST, page_metadata

    html = (Path(__file__).resolve().parents[1] / "cases" / "extraction" / f"{name}.html").read_text(encoding="utf-8")
    ours, theirs = page_metadata(load_html(html), None), extract_metadata(load_html(html), None, None, FAST)
    for field in ("title", "author", "url", "hostname", "sitename", "date", "description"):
        assert getattr(ours, field) == getattr(theirs, field), field


CASES = __import__("pathlib").Path(__file__).resolve().parents[1] / "cases" / "extraction"

# Small pages for each test trafilatura's author XPaths make, and for deleted nodes
# (comments, dates, figures) inside and around the byline.
AUTHOR_PAGES = [
    '<html><body><p>x</p><a rel="author" href="/a">Jane Doe</a></body></html>',
    '<html><body><p>x</p><span class="author">Jane <time>May 3</time> Doe</span></body></html>',
    '<html><body><div class="byline">By <span class="date">May 3</span>Jane Doe<figure>img</figure>, Reuters</div></body></html>',
    '<html><body><div id="comments"><span class="author">Commenter Name</span></div><p class="posted-by">Ann Lee</p></body></html>',
    '<html><body><h3 id="zuozhe">Li Wei</h3><div data-component="Byline">Other Person</div></body></html>',
    '<html><body><section class="sidebar"><p itemprop="author">Side Bar</p></section><em class="writer">Ed Writer</em></body></html>',
    '<html><body><strong data-testid="AuthorCard">Card Author</strong><author>Tag Author</author></body></html>',
    '<html><body><div class="AuthorName">Ab</div><div class="authorName">Carla Gómez Pérez</div></body></html>',
    '<html><body><span class="Byline">x</span><span class="screenname">@handle_here</span></body></html>',
    '<html><body><div class="author-info"><span class="quote">a quote</span> Jo <span class="print">print</span>Ann</div></body></html>',
    '<html><body><p>No author anywhere on this page.</p></body></html>',
]


@pytest.mark.parametrize("html", AUTHOR_PAGES + [f"case:{p.stem}" for p in sorted(CASES.glob("*.html"))])
def test_page_author_is_trafilaturas(html: str) -> None:
    from trafilatura.metadata import extract_author
    from trafilatura.utils import load_html

    from builder.ingest.clean.html import page_author

    if html.startswith("case:"):
        html = (CASES / f"{html[5:]}.html").read_text(encoding="utf-8")
    assert page_author(load_html(html)) == extract_author(load_html(html))


@pytest.mark.parametrize("html", AUTHOR_PAGES + [f"case:{p.stem}" for p in sorted(CASES.glob("*.html"))])
def test_author_nodes_are_trafilaturas_xpaths(html: str) -> None:
    """Our one-pass tests select what trafilatura's XPaths select (fails if an upgrade changes them)."""
    from trafilatura.metadata import AUTHOR_DISCARD_XPATHS, AUTHOR_XPATHS
    from trafilatura.utils import load_html

    from builder.ingest.clean.html import author_nodes

    if html.startswith("case:"):
        html = (CASES / f"{html[5:]}.html").read_text(encoding="utf-8")
    tree = load_html(html)
    discarded, figures, matches = author_nodes(tree)
    assert discarded == AUTHOR_DISCARD_XPATHS[0](tree)
    assert figures == AUTHOR_DISCARD_XPATHS[1](tree)
    assert list(matches) == [expression(tree) for expression in AUTHOR_XPATHS]
