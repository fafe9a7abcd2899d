"""Plain, frozen data types that cross stage boundaries.

Readers produce a `RawArticle`; cleaning turns its text into a `CleanedArticle`
(every input line with the role it plays); metadata and actor detection turn that
into a `Briefing`, which `render` writes as Markdown + YAML.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping


class Role(str, enum.Enum):
    """What one block of an input page is, as far as the archive is concerned."""

    TITLE = "title"
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    QUOTE = "quote"
    LIST_ITEM = "list_item"
    META = "meta"  # dateline, byline, "Analysis | Africa", reading time: feeds metadata, not the body
    CAPTION = "caption"  # photo captions, image credits, image file names
    FOOTNOTE = "footnote"  # the notes at the end: "[i] For instance ...", "1. See ..."
    BOILERPLATE = "boilerplate"  # navigation, social, newsletter boxes, teasers, footers


# Roles whose text is the article itself.
BODY_ROLES = frozenset({Role.HEADING, Role.PARAGRAPH, Role.QUOTE, Role.LIST_ITEM})


@dataclass(frozen=True)
class Block:
    role: Role
    text: str
    line: int = 0  # 1-based line of the raw input where the block starts; 0 when unknown (HTML)


@dataclass(frozen=True)
class CleanedArticle:
    """A page split into blocks, each labelled with its role."""

    title: str | None
    blocks: tuple[Block, ...]
    # What the extractor itself found (HTML: date, authors, sitename, url, description).
    found: Mapping[str, Any] = field(default_factory=dict)

    def body_blocks(self) -> tuple[Block, ...]:
        return tuple(b for b in self.blocks if b.role in BODY_ROLES)

    def blocks_with(self, *roles: Role) -> tuple[Block, ...]:
        return tuple(b for b in self.blocks if b.role in roles)

    def body_text(self) -> str:
        return "\n\n".join(b.text for b in self.body_blocks())


@dataclass(frozen=True)
class RawArticle:
    """One raw input file, decoded."""

    path: Path  # as given on the command line or found under raw/
    kind: str  # "text" | "html" | "md"
    text: str  # decoded, NFC, "\n" newlines
    sha256: str  # of the raw bytes
    sidecar: Mapping[str, Any] = field(default_factory=dict)  # raw/<name>.yml, validated
    sidecar_sha256: str | None = None


@dataclass(frozen=True)
class CitedSource:
    """The article a briefing analyses (OE Watch style: author, title, outlet, date)."""

    author: str | None = None
    title: str | None = None
    outlet: str | None = None
    date: str | None = None  # ISO 8601 (YYYY-MM-DD) where known


@dataclass(frozen=True)
class BriefingMeta:
    """The frontmatter of a briefing; field order here is the order written to YAML."""

    title: str
    date: str | None = None  # ISO 8601 date, YYYY-MM-DD
    source: str | None = None  # the publication
    url: str | None = None
    authors: tuple[str, ...] = ()
    region: str | None = None
    section: str | None = None  # "Analysis", "Commentary"...
    summary: str | None = None
    tags: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()  # registry ids
    cited_source: CitedSource | None = None
    image_credit: str | None = None
    raw: str | None = None  # repo-relative path of the raw file
    raw_sha256: str | None = None
    sidecar_sha256: str | None = None  # of raw/<name>.yml, when there is one
    review: tuple[str, ...] = ()  # open review items, e.g. "date missing"
    generated_sha256: str | None = None  # hash of the file as the builder wrote it: detects hand edits


@dataclass(frozen=True)
class Briefing:
    meta: BriefingMeta
    body: str  # Markdown, footnotes included
    path: str  # docs-relative POSIX path, e.g. "briefings/2023/2023-02-08-slug.md"
