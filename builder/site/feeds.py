"""Atom feeds of the latest briefings (site-wide and per actor).

Built with xml.etree, so every value from frontmatter is escaped by the serializer.
Deterministic: times come from briefing dates only (midnight UTC), never from the clock.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Iterable

from builder.archive.model import Briefing

ATOM_NS = "http://www.w3.org/2005/Atom"
FEED_SIZE = 20
# Atom requires <updated>; a feed with no dated entry gets a fixed, obviously-unset time.
NO_DATE = "1970-01-01T00:00:00Z"

ET.register_namespace("", ATOM_NS)


@dataclass(frozen=True)
class FeedEntry:
    briefing: Briefing
    url: str  # absolute URL of the briefing page
    actors: tuple[str, ...] = ()  # actor ids, written as Atom categories


def _timestamp(date: str) -> str:
    return f"{date}T00:00:00Z"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attributes)
    if text is not None:
        element.text = text
    return element


def atom_feed(
    entries: Iterable[FeedEntry], *, title: str, feed_url: str, page_url: str, author: str = "Briefing Archive", limit: int = FEED_SIZE
) -> str:
    """An Atom document of the newest dated `entries` (given newest first), at most `limit`."""
    dated = [e for e in entries if e.briefing.meta.date][:limit]
    feed = ET.Element(f"{{{ATOM_NS}}}feed")
    _sub(feed, "title", title)
    _sub(feed, "id", feed_url)
    _sub(feed, "link", rel="self", type="application/atom+xml", href=feed_url)
    _sub(feed, "link", rel="alternate", type="text/html", href=page_url)
    _sub(feed, "updated", _timestamp(dated[0].briefing.meta.date) if dated else NO_DATE)
    _sub(_sub(feed, "author"), "name", author)  # entries without authors inherit it (Atom requires one)
    _sub(feed, "generator", "briefings")
    for entry in dated:
        meta = entry.briefing.meta
        item = _sub(feed, "entry")
        _sub(item, "title", meta.title)
        _sub(item, "id", entry.url)
        _sub(item, "link", rel="alternate", type="text/html", href=entry.url)
        _sub(item, "updated", _timestamp(meta.date))
        _sub(item, "published", _timestamp(meta.date))
        for name in meta.authors or ((meta.source,) if meta.source else ()):
            _sub(_sub(item, "author"), "name", name)
        for actor_id in entry.actors:
            _sub(item, "category", term=actor_id)
        if meta.summary:
            _sub(item, "summary", meta.summary)
    ET.indent(feed, space="  ")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"
