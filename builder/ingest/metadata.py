"""Metadata: title, date, source, authors, section, region, summary, cited source, image credit.

Every value comes from somewhere we can point at: the sidecar (an editor's word wins), what
the HTML extractor found, or a labelled line of the page. What cannot be found is left out
and named in `review` instead; nothing is guessed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Iterable, Mapping
from urllib.parse import urlsplit

from builder.archive.model import Block, CitedSource, CleanedArticle, Role

MONTHS = {
    # English and French month names and common abbreviations -> month number
    **{m: i for i, m in enumerate(
        ["january", "february", "march", "april", "may", "june", "july", "august", "september",
         "october", "november", "december"], 1)},
    **{m: i for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)},
    "sept": 9,
    **{m: i for i, m in enumerate(
        ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
         "octobre", "novembre", "décembre"], 1)},
}
_MONTH = r"(?P<month>[A-Za-zéû]{3,9})\.?"
DATE_PATTERNS = (
    re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<mnum>\d{2})-(?P<day>\d{2})(?!\d)"),
    re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th|er)? {_MONTH},? (?P<year>(?:19|20)\d{{2}})\b"),
    re.compile(rf"\b{_MONTH} (?P<day>\d{{1,2}})(?:st|nd|rd|th)?, (?P<year>(?:19|20)\d{{2}})\b"),
)
# "Analysis | Africa", "News • Europe": a section label and, often, a region.
SECTION_LINE = re.compile(r"^(?P<section>[A-Z][\w &-]{2,30}?)\s*[|•·/]\s*(?P<region>[A-Z][\w &-]{2,40})$")
BYLINE = re.compile(r"^(?:by|par|por|von|di)\s+(?P<names>[A-Z][\w.'’ -]+(?:(?:,| and | et | y | und )\s*[A-Z][\w.'’ -]+)*)$", re.IGNORECASE)
# OE Watch style citation of the analysed article: Author, “Title,” Outlet (note), 8 February 2023.
CITATION = re.compile(
    r"^(?P<author>[^,“”\"]{3,80}),\s+[“\"](?P<title>.{5,300}?)[,.]?[”\"],?\s+"
    r"(?P<outlet>[^,(]{2,120}?)\s*(?:\((?P<note>[^)]{0,120})\))?,\s+(?P<date>[^.]{6,30})\.?$"
)
CREDIT_LABEL = re.compile(
    r"^(?:(?:top\s+)?(?:photo|image|picture)\s*(?:credit)?s?|attribution|credit|source)\s*:\s*(?P<credit>.+)$",
    re.IGNORECASE,
)
PHOTO_BY = re.compile(r"^(?:photo|image|picture)\s+by\s+(?P<credit>.+)$", re.IGNORECASE)
SENTENCE_END = re.compile(r"(?<=[.!?…])[”\"’)]?\s+(?=[A-Z“\"‘(])")


def find_date(text: str) -> str | None:
    """The first real calendar date written in `text`, as YYYY-MM-DD."""
    for pattern in DATE_PATTERNS:
        for match in pattern.finditer(text):
            parts = match.groupdict()
            month = int(parts["mnum"]) if parts.get("mnum") else MONTHS.get((parts.get("month") or "").lower())
            if not month:
                continue
            try:
                return dt.date(int(parts["year"]), month, int(parts["day"])).isoformat()
            except ValueError:
                continue
    return None


def parse_citation(text: str) -> CitedSource | None:
    """An OE Watch style source line -> CitedSource, when the whole paragraph is one citation."""
    if len(text) > 500:
        return None
    match = CITATION.match(text.strip())
    if not match:
        return None
    date = find_date(match.group("date"))
    if date is None:
        return None
    return CitedSource(
        author=match.group("author").strip(),
        title=match.group("title").strip(),
        outlet=match.group("outlet").strip(),
        date=date,
    )


def first_sentences(text: str, count: int = 2, limit: int = 320) -> str:
    """The lede: the first one or two sentences, kept whole (never cut mid-sentence)."""
    sentences = SENTENCE_END.split(text.strip())
    summary = sentences[0]
    for sentence in sentences[1:count]:
        if len(summary) + 1 + len(sentence) > limit:
            break
        summary = f"{summary} {sentence}"
    return summary


def article_end(blocks: tuple[Block, ...]) -> int:
    """Index just past the article: after the last body block and the notes/credits that follow it."""
    last_body = max((i for i, b in enumerate(blocks) if b.role in (Role.PARAGRAPH, Role.QUOTE, Role.LIST_ITEM, Role.HEADING)), default=-1)
    end = last_body + 1
    while end < len(blocks) and blocks[end].role in (Role.FOOTNOTE, Role.CAPTION, Role.META):
        end += 1
    return end


def image_credit(blocks: Iterable[Block]) -> str | None:
    """The article's image credit from its caption blocks ("Photo: X", "Attribution: Y")."""
    subject = None
    for block in blocks:
        if block.role is not Role.CAPTION:
            continue
        text = block.text.strip()
        match = CREDIT_LABEL.match(text) or PHOTO_BY.match(text)
        if not match:
            continue
        credit = match.group("credit").strip()
        label = text.split(":", 1)[0].strip().lower()
        if label == "image" and subject is None and not re.search(r"\b(?:via|by|©|credit)\b", credit, re.I):
            subject = credit  # "Image: Map of Mali" names the picture; its credit follows
            continue
        return f"{subject} ({credit})" if subject else credit
    return subject


@dataclass(frozen=True)
class PageFacts:
    """What the page itself says about the article, before the sidecar is applied."""

    title: str | None
    date: str | None
    source: str | None
    url: str | None
    authors: tuple[str, ...]
    section: str | None
    section_region: str | None
    summary: str | None
    cited_source: CitedSource | None
    image_credit: str | None


def page_facts(article: CleanedArticle) -> PageFacts:
    found: Mapping = article.found
    blocks = article.blocks[: article_end(article.blocks)]
    meta_lines = [b.text.strip() for b in blocks if b.role is Role.META]

    section = section_region = None
    authors: tuple[str, ...] = tuple(found.get("authors") or ())
    date = found.get("date")
    for line in meta_lines:
        if section is None and (m := SECTION_LINE.match(line)):
            section, section_region = m.group("section").strip(), m.group("region").strip()
        if not authors and (m := BYLINE.match(line)):
            authors = tuple(n.strip() for n in re.split(r",| and | et | y | und ", m.group("names")) if n.strip())
        if date is None:
            date = find_date(line)

    cited = None
    summary = None
    for block in article.body_blocks():
        if cited is None and block.role is Role.PARAGRAPH and (c := parse_citation(block.text)):
            cited = c
            continue
        if summary is None and block.role is Role.PARAGRAPH and len(block.text) >= 80:
            summary = first_sentences(block.text)
    url = found.get("url")
    return PageFacts(
        title=article.title or found.get("title"),
        date=date,
        source=found.get("sitename"),
        url=url if url and urlsplit(url).scheme in ("http", "https") else None,
        authors=authors,
        section=section,
        section_region=section_region,
        summary=summary or found.get("description"),
        cited_source=cited,
        image_credit=image_credit(blocks),
    )
