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
