"""What a briefing page adds to its own Markdown: actor links, review notice, related briefings,
and the header data the theme renders (site_overrides/partials/briefing-header.html).

Plain functions of plain data; the MkDocs plugin only calls them at on_page_markdown.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any, Iterable, Sequence

from builder.model import Briefing, BriefingMeta
from builder.site import urls
from builder.site.linking import Mention, link_mentions
from builder.site.pages import Actor, html_link, html_list, md, text_html


def header(meta: BriefingMeta, actors: Sequence[Actor]) -> dict[str, Any]:
    """Header fields for the template. Raw text: the template escapes every value.

    URLs of site pages are site-relative ("actors/mali/"); the template makes them
    relative to the page with MkDocs' `url` filter.
    """
    return {
        "date": meta.date,
        "section": meta.section,
        "source": meta.source,
        "url": meta.url,  # checked by the schema: absolute http(s) only
        "authors": list(meta.authors),
        "region": {"name": meta.region, "url": urls.page_url(urls.region_page(meta.region))} if meta.region else None,
        "actors": [{"name": a.name, "type": a.type, "url": urls.page_url(urls.actor_page(a.id))} for a in actors],
        "cited_source": dataclasses.asdict(meta.cited_source) if meta.cited_source else None,
        "review": list(meta.review),
    }


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


def related_section(path: str, related: Iterable[tuple[Briefing, int]]) -> str:
    """A heading and the list as a raw HTML block (escaped; final URLs), like generated listings."""
    items = []
    for other, shared in related:
        date = f"<strong>{other.meta.date}</strong> · " if other.meta.date else ""
        items.append(
            f"{date}{html_link(path, other.path, text_html(other.meta.title))} · "
            f"{shared} actor{'s' if shared != 1 else ''} in common"
        )
    return "## Related briefings\n\n" + html_list(items) if items else ""


# What the plugin adds around the briefing's own text, as Python-Markdown renders it: the
# review notice first, the related-briefings section last.
_REVIEW_NOTICE = re.compile(r'\A(\s*<div class="admonition warning")(>\s*<p class="admonition-title">Open review items</p>)')
_RELATED_HEADING = re.compile(r'<h2 id="related-briefings(?:_\d+)?"')  # _1 if the body has one too


def exclude_from_search(html_text: str, *, related: bool) -> str:
    """The page's HTML with the review notice and the related-briefings section marked
    `data-search-exclude`: Material's search then indexes the briefing's own text only, so
    a query for one briefing's title does not also return every briefing that lists it as
    related, and excerpts start with the lede, not with the notice. Run after sanitising
    (which drops data attributes): only these two elements of ours get the attribute."""
    html_text = _REVIEW_NOTICE.sub(r"\1 data-search-exclude\2", html_text, count=1)
    headings = list(_RELATED_HEADING.finditer(html_text)) if related else []
    if not headings:
        return html_text
    end = headings[-1].end()  # ours is the page's last section
    return html_text[:end] + " data-search-exclude" + html_text[end:]


def render_markdown(
    briefing: Briefing,
    markdown: str,
    mentions: Iterable[Mention],
    related: Iterable[tuple[Briefing, int]],
) -> str:
    """The page's Markdown: review notice, body with the given actor mentions linked, related briefings."""
    body = link_mentions(markdown, mentions, lambda actor_id: urls.link(briefing.path, urls.actor_page(actor_id)))
    parts = [review_notice(briefing.meta.review), body.rstrip("\n") + "\n", related_section(briefing.path, related)]
    return "\n".join(part for part in parts if part)
