"""clean_html: trafilatura's Markdown mapped to roles, metadata, robustness."""

from __future__ import annotations

import pytest

from builder.clean import clean_html
from builder.clean.html import label_markdown, markdown_role
from builder.model import Role

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

    from builder.clean.html import FAST, page_metadata

    html = (Path(__file__).resolve().parents[1] / "cases" / "extraction" / f"{name}.html").read_text(encoding="utf-8")
    ours, theirs = page_metadata(load_html(html), None), extract_metadata(load_html(html), None, None, FAST)
    for field in ("title", "author", "url", "hostname", "sitename", "date", "description"):
        assert getattr(ours, field) == getattr(theirs, field), field
