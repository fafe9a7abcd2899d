"""Untrusted text renders as the text it was, never as markup."""

import markdown
import pytest

from builder.archive.model import Block, Role
from builder.ingest.compose import body_markdown, escape_markdown


def html(text: str) -> str:
    return markdown.markdown(text, extensions=["footnotes"])


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[click me](javascript:alert(1))",
        "<https://evil.example>",
        "# not a heading",
        "- not a list",
        "2021. Not a list either",
        "> not a quote",
        "*not emphasis* and _not either_",
    ],
)
def test_markup_in_raw_text_is_shown_literally(text):
    out = html(escape_markdown(text))
    assert "<script" not in out and "<img" not in out and "<a " not in out
    assert "<h1" not in out and "<li" not in out and "<blockquote" not in out and "<em" not in out


def test_footnote_references_survive_escaping_and_link_both_ways():
    body = body_markdown([Block(Role.PARAGRAPH, "Mali,[^1] and more.")], [(1, "A note, see “X”.")])
    out = html(body)
    assert 'href="#fn:1"' in out and 'href="#fnref:1"' in out


def test_roles_become_markdown_structure():
    body = body_markdown(
        [
            Block(Role.QUOTE, "What matters is how we work."),
            Block(Role.HEADING, "Background"),
            Block(Role.LIST_ITEM, "first"),
            Block(Role.LIST_ITEM, "second"),
            Block(Role.PARAGRAPH, "Text."),
        ],
        [],
    )
    assert body == "> What matters is how we work.\n\n## Background\n\n- first\n- second\n\nText.\n"


def _escape_every_step(text: str) -> str:
    """escape_markdown as it was before its trigger-character checks: every regex on every text."""
    from builder.ingest import compose as r

    text = r._INLINE_SPECIAL.sub(r"\\\1", text)
    text = r._FOOTNOTE_REF.sub(r"[^\1]", text)
    text = r._UNDERSCORE_EDGE.sub(r"\\_", text)
    text = r._ENTITY.sub("&amp;", text)
    text = r._TAG_OPEN.sub("&lt;", text)
    text = r._ORDERED_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)
    return r._BLOCK_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def test_escaping_only_where_needed_is_the_same_as_every_step():
    import random

    from builder.ingest.compose import escape_markdown

    pieces = ["a", "word", " ", "\u00a0", "\u2003", "\t", "1", "12", "٣", ".", ")", "#", ">", "+", "-", "*", "`",
              "[", "]", "^", "\\", "_", "&", "amp;", "#38;", "<", "b>", "/", "!", "?", "[^1]", "\\[^2\\]", "x_y"]
    rng = random.Random(6)
    samples = ["", " ", "1.", " 2) x", "# h", "  > q", "- i", "[^3] note", "a_b _c_ d_", "&amp; <b>", "\\", "٣. x"]
    samples += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 12))) for _ in range(5000)]
    for text in samples:
        assert escape_markdown(text) == _escape_every_step(text), text
