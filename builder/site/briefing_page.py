"""What a briefing page adds to its own Markdown (actor links, review notice) and the data the
theme renders around it: the header (site_overrides/partials/briefing-header.html), the
related briefings (partials/related-briefings.html) and how to cite it (partials/citation.html).

Plain functions of plain data; the MkDocs plugin only calls them at on_page_markdown.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any, Container, Iterable, Mapping, Sequence

from builder.archive.model import Briefing, BriefingMeta
from builder import urls
from builder.site.citation import cite
from builder.site.linking import Mention, link_mentions
from builder.site.load import Site
from builder.site.pages import Actor, md


# The header shows this many actor chips; the others are behind a "more" toggle
# (<details>, no JavaScript): a briefing naming 30 actors filled a phone's first screen.
HEADER_ACTORS = 12
# Among actors mentioned as often, the header puts the weightier types first.
HEADER_TYPE_ORDER = ("state", "armed-group", "person", "organisation", "mission", "operation", "place")


def ranked_actors(actors: Sequence[Actor], counts: Mapping[str, int], mentions: Sequence[Mention]) -> list[Actor]:
    """`actors` by running-text mentions (most first), then type (HEADER_TYPE_ORDER, other types
    after), then first mention in the text; actors the text never names come last, in their order."""
    first_at = {m.actor_id: m.start for m in mentions}
    never = len(HEADER_TYPE_ORDER)

    def rank(item: tuple[int, Actor]) -> tuple:
        position, actor = item
        type_rank = HEADER_TYPE_ORDER.index(actor.type) if actor.type in HEADER_TYPE_ORDER else never
        return (-counts.get(actor.id, 0), type_rank, first_at.get(actor.id, float("inf")), position)

    return [actor for _, actor in sorted(enumerate(actors), key=rank)]


def _chip(actor: Actor) -> dict[str, str]:
    return {"name": actor.name, "type": actor.type, "url": urls.page_url(urls.actor_page(actor.id))}


def header(
    meta: BriefingMeta,
    actors: Sequence[Actor],
    counts: Mapping[str, int] | None = None,
    mentions: Sequence[Mention] = (),
) -> dict[str, Any]:
    """Header fields for the template. Raw text: the template escapes every value.

    URLs of site pages are site-relative ("actors/mali/"); the template makes them
    relative to the page with MkDocs' `url` filter. `actors` are ranked (`ranked_actors`, by
    `counts` of mentions and the first `mentions`): the first HEADER_ACTORS are `actors`,
    the rest `more_actors`.
    """
    ranked = ranked_actors(actors, counts or {}, mentions)
    return {
        "date": meta.date,
        "section": meta.section,
        "source": meta.source,
        "url": meta.url,  # checked by the schema: absolute http(s) only
        "authors": list(meta.authors),
        "region": {"name": meta.region, "url": urls.page_url(urls.region_page(meta.region))} if meta.region else None,
        "actors": [_chip(a) for a in ranked[:HEADER_ACTORS]],
        "more_actors": [_chip(a) for a in ranked[HEADER_ACTORS:]],
        "cited_source": dataclasses.asdict(meta.cited_source) if meta.cited_source else None,
        "review": list(meta.review),
    }


def actors_of(site: Site, path: str) -> list[Actor]:
    """The registry actors of the site's briefing at `path` (listed and found in its text)."""
    return [a for a in map(site.registry.get, site.graph.actors_of.get(path, ())) if a is not None]


def header_of(site: Site, briefing: Briefing, actors: Sequence[Actor]) -> dict[str, Any]:
    """`header` of one briefing of the site (`actors`: `actors_of` it), ranked by the mentions found at load."""
    path = briefing.path
    return header(briefing.meta, actors, site.mention_counts.get(path), site.first_mentions.get(path, ()))


def tags(meta: BriefingMeta, actors: Sequence[Actor]) -> list[str]:
    """Actors, region and the briefing's own tags: search boosts them ("Wagner" finds every briefing on it)."""
    return list(dict.fromkeys([a.name for a in actors] + ([meta.region] if meta.region else []) + list(meta.tags)))


def review_notice(review: Sequence[str]) -> str:
    if not review:
        return ""
    items = "\n".join(f"    - {md(item)}" for item in review)
    return (
        '!!! warning "Open review items"\n\n'
        "    This briefing has open review items; check them against the source.\n\n"
        f"{items}\n"
    )


def related(path: str, related: Iterable[tuple[Briefing, int]]) -> list[dict[str, Any]]:
    """The related-briefings list for the template (partials/related-briefings.html).

    Raw text: the template escapes every value. `href` is final, relative to this page. The
    list is the theme's, not the page content's, so neither Python-Markdown nor Material's
    search indexer ever sees it (parsing it cost more than the briefing's own text).
    """
    return [
        {"date": other.meta.date, "title": other.meta.title, "href": urls.href(path, other.path), "shared": shared}
        for other, shared in related
    ]


def citation(briefing: Briefing, *, site_url: str, site_name: str) -> dict[str, str]:
    """The "Cite this briefing" block for the template (partials/citation.html): a Chicago entry
    and a BibTeX entry, raw text (the template escapes them). Like the related list, it is the
    theme's, outside the page content: search never indexes it."""
    return dataclasses.asdict(cite(briefing.meta, path=briefing.path, page_url=urls.absolute_url(site_url, briefing.path),
                                   site_name=site_name))


RELATED_ANCHOR = "related-briefings"


def related_anchor(anchor_ids: set[str]) -> str:
    """An id for the related-briefings heading that no heading of the body already has."""
    anchor, number = RELATED_ANCHOR, 0
    while anchor in anchor_ids:
        number += 1
        anchor = f"{RELATED_ANCHOR}_{number}"
    return anchor


# The review notice the plugin puts first, as Python-Markdown renders it.
_REVIEW_NOTICE = re.compile(r'\A(\s*<div class="admonition warning")(>\s*<p class="admonition-title">Open review items</p>)')


def exclude_from_search(html_text: str) -> str:
    """The page's HTML with the review notice marked `data-search-exclude`: Material's search
    then indexes the briefing's own text, and excerpts start with the lede, not the notice.
    Run after sanitising (which drops data attributes): only the notice gets the attribute."""
    return _REVIEW_NOTICE.sub(r"\1 data-search-exclude\2", html_text, count=1)


def render_markdown(briefing: Briefing, markdown: str, mentions: Iterable[Mention],
                    with_pages: Container[str] | None = None) -> str:
    """The page's Markdown: review notice, then the body with the given actor mentions linked
    (only those of actors `with_pages`, when given: the others have no page to link to)."""

    def href(actor_id: str) -> str | None:
        if with_pages is not None and actor_id not in with_pages:
            return None
        return urls.link(briefing.path, urls.actor_page(actor_id))

    body = link_mentions(markdown, mentions, href)
    parts = [review_notice(briefing.meta.review), body.rstrip("\n") + "\n"]
    return "\n".join(part for part in parts if part)


_ID = re.compile(r'\sid="([^"]*)"')


def anchor_ids(html_text: str) -> set[str]:
    """The ids of the page's HTML (its headings' anchors): the related list's must differ."""
    return set(_ID.findall(html_text))
