"""The text of generated pages: escaping for Markdown and raw HTML, small HTML pieces, the
actor types' labels and the page type. Shared by `pages` and `actor_lists`; no MkDocs import.
"""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass
from typing import Iterable, Protocol, Sequence

import yaml

from builder import urls

# Display order and plural labels of actor types; unknown types follow, alphabetically.
TYPE_LABELS = {
    "state": "States",
    "armed-group": "Armed groups",
    "person": "People",
    "organisation": "Organisations",
    "operation": "Operations",
    "mission": "Missions",
    "place": "Places",
}
TYPE_SINGULAR = {
    "state": "State",
    "armed-group": "Armed group",
    "person": "Person",
    "organisation": "Organisation",
    "operation": "Operation",
    "mission": "Mission",
    "place": "Place",
}


class Actor(Protocol):
    id: str
    name: str
    type: str
    aliases: tuple[str, ...]
    description: str
    wikidata: str | None
    country: str | None
    region: str | None
    iso_alpha3: str | None  # states: where the world map draws them


class Registry(Protocol):
    actors: Sequence[Actor]
    regions: Sequence[str]

    def get(self, actor_id: str) -> Actor | None: ...


@dataclass(frozen=True)
class GeneratedPage:
    path: str  # docs-relative POSIX path: "actors/mali/index.md", "feed.xml"
    content: str


# --------------------------------------------------------------------------- Markdown text

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!])")
_BLOCK_START = re.compile(r"^(-|\d+(?=\.))")  # would start a list when the text starts a line


@functools.lru_cache(maxsize=65536)  # titles and summaries recur on many actor and region pages
def md(text: str | None) -> str:
    """Text from frontmatter or the registry, safe as inline Markdown: no markup, no HTML."""
    if not text:
        return ""
    text = " ".join(str(text).split())
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _BLOCK_START.sub(lambda m: "\\-" if m.group(1) == "-" else m.group(1) + "\\", text, count=1)


@functools.lru_cache(maxsize=65536)
def text_html(text: str | None) -> str:
    """Text from frontmatter or the registry, escaped for a raw HTML block (one line, no markup)."""
    return html.escape(" ".join(str(text).split())) if text else ""


def html_link(from_src: str, to_src: str, text_as_html: str) -> str:
    return f'<a href="{html.escape(urls.href(from_src, to_src))}">{text_as_html}</a>'


def html_list(items: Iterable[str]) -> str:
    """A `<ul>` as one raw HTML block (no blank line inside, so Markdown passes it through).

    Long listings are written as HTML rather than Markdown: Python-Markdown's inline
    processing of hundreds of links and summaries per page cost more than the rest of
    the plugin (benchmarks/README.md). The HTML is what Markdown produced for the same items.
    """
    return "<ul>\n" + "\n".join(f"<li>{item}</li>" for item in items) + "\n</ul>\n"


# Generated listing pages stay out of Material's search index: briefings are what readers
# search for, and they carry their actors and region as tags, so those names still find them.
NOT_SEARCHED = {"exclude": True}


def frontmatter(**fields) -> str:
    return "---\n" + yaml.safe_dump(fields, sort_keys=True, allow_unicode=True) + "---\n"


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"




def type_order(types: Iterable[str]) -> list[str]:
    """Actor types in display order: those of TYPE_LABELS first, then unknown ones alphabetically."""
    present = set(types)
    return [t for t in TYPE_LABELS if t in present] + sorted(present - set(TYPE_LABELS))


def type_label(actor_type: str) -> str:
    """The plural label of a type, as plain text ("Armed groups")."""
    return TYPE_LABELS.get(actor_type, actor_type)


def pagination_links(current: int, total: int, page_path, *, previous: str = "← Newer", following: str = "Older →") -> str:
    """ "Page 2 of 5 · [← Newer](...) · [Older →](...)" between the pages of one list
    (`page_path(n)`: the docs path of page n)."""
    if total <= 1:
        return ""
    here = page_path(current)
    parts = [f"Page {current} of {total}"]
    if current > 1:
        parts.append(f"[{previous}]({urls.link(here, page_path(current - 1))})")
    if current < total:
        parts.append(f"[{following}]({urls.link(here, page_path(current + 1))})")
    return " · ".join(parts) + "\n"
