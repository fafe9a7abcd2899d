"""Clean an HTML page with trafilatura, then label what it keeps.

trafilatura finds the main content and renders it as Markdown; the Markdown markup
becomes the role ("## x" -> HEADING, "> x" -> QUOTE, "- x" -> LIST_ITEM). On top we
drop the source's learned boilerplate lines, label captions, credits and widgets with
the same vocabulary as the text-dump cleaner, and keep end notes as FOOTNOTE.
"""

from __future__ import annotations

import re
from typing import Any

from builder.clean import patterns as pat
from builder.clean.boilerplate import normalise_line
from builder.clean.textdump import Line, count_words, is_caption, is_ui
from builder.model import Block, CleanedArticle, Role

_HEADING_RE = re.compile(r"^#{1,6}\s+")
_QUOTE_RE = re.compile(r"^(?:>\s?)+")
_LIST_RE = re.compile(r"^(?:[-*+•]|\d{1,3}[.)])\s+")
_BOLD_RE = re.compile(r"\*\*(.+?)\*\*")
_ITALIC_RE = re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])")
_TABLE_RULE_RE = re.compile(r"^\|?[\s:|-]+\|?$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def clean_html(html: str, *, url: str | None = None, boilerplate: frozenset[str] = frozenset()) -> CleanedArticle:
    document = extract_document(html, url)
    if document is None:
        return CleanedArticle(title=None, blocks=())
    markdown = _body_markdown(document)
    blocks = label_markdown(markdown, boilerplate)
    found = metadata(document)
    return CleanedArticle(title=found.get("title"), blocks=blocks, found=found)


def extract_document(html: str, url: str | None) -> Any | None:
    """trafilatura's Document for the page, or None when it finds nothing (or fails)."""
    if not html or not html.strip():
        return None
    try:
        import trafilatura
        from trafilatura.settings import Extractor

        options = Extractor(
            output_format="markdown",
            formatting=True,
            comments=False,
            tables=True,
            with_metadata=True,
            url=url,
        )
        return trafilatura.bare_extraction(html, url=url, options=options, as_dict=False)
    except Exception:  # noqa: BLE001 - garbage in, empty article out; never crash the run
        return None


def _body_markdown(document: Any) -> str:
    from trafilatura.xml import xmltotxt

    if getattr(document, "body", None) is None:
        return document.text or ""
    try:
        return xmltotxt(document.body, True) or ""
    except Exception:  # noqa: BLE001
        return document.text or ""


def metadata(document: Any) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, attr in (("title", "title"), ("sitename", "sitename"), ("url", "url"), ("description", "description")):
        value = getattr(document, attr, None)
        if isinstance(value, str) and value.strip():
            found[key] = value.strip()
    date = getattr(document, "date", None)
    if isinstance(date, str) and _DATE_RE.match(date):
        found["date"] = date[:10]
    author = getattr(document, "author", None)
    if isinstance(author, str) and author.strip():
        found["authors"] = [a.strip() for a in re.split(r";|\s+and\s+", author) if a.strip()]
    return found


def strip_inline(text: str) -> str:
    text = _BOLD_RE.sub(r"\1", text)
    return _ITALIC_RE.sub(r"\1", text).strip()


def markdown_role(line: str) -> tuple[Role, str]:
    if _HEADING_RE.match(line):
        return Role.HEADING, _HEADING_RE.sub("", line)
    if _QUOTE_RE.match(line):
        return Role.QUOTE, _QUOTE_RE.sub("", line)
    if _LIST_RE.match(line):
        return Role.LIST_ITEM, _LIST_RE.sub("", line, count=1)
    return Role.PARAGRAPH, line


def label_markdown(markdown: str, boilerplate: frozenset[str]) -> tuple[Block, ...]:
    blocks: list[Block] = []
    for raw in markdown.split("\n"):
        raw = raw.strip()
        if not raw or _TABLE_RULE_RE.match(raw) and "-" in raw:
            continue
        role, text = markdown_role(raw)
        text = strip_inline(text)
        if not text:
            continue
        line = Line(
            number=0,
            text=text,
            words=count_words(text),
            blank_before=0,
            ends_sentence=text[-1] in pat.SENTENCE_END,
            stopword_ratio=None,
        )
        if normalise_line(text) in boilerplate or is_ui(line):
            role = Role.BOILERPLATE
        elif is_caption(line):
            role = Role.CAPTION
        elif pat.BRACKET_NOTE_RE.match(text):
            role = Role.FOOTNOTE
        blocks.append(Block(role=role, text=text))
    return tuple(blocks)
