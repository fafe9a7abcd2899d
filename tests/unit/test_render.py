"""Untrusted text renders as the text it was, never as markup."""

import markdown
import pytest

from builder.model import Block, Role
from builder.render import body_markdown, escape_markdown


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
