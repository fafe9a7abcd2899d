"""The two lists of actors: the actors index and the registry pages.

- `actors/index.md` lists the actors that have a page (those named in at least one
  briefing), one section per type and, inside it, one group per region. It is complete
  without JavaScript; `site_overrides/assets/javascripts/actors-filter.js` adds a type and a
  region select and a text filter on top of the same HTML, reading only its data attributes.
- `registry/index.md` (and `registry/page/<n>/index.md` when the registry is big) lists every
  actor of the registry, with or without briefings, compactly: name (linked when the actor has
  a page), region, country and the one-line description, grouped by type. Like a year of the
  archive it is split into pages of `REGISTRY_PAGE_SIZE` actors, a type that runs over a page
  break continuing on the next page, so that no page grows past ~100 KB at 1,600+ actors.

Both are raw HTML blocks (escaped here) without blank lines, which `rawhtml` passes around
Python-Markdown and any other generator reads as one HTML block.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Sequence

from builder import urls
from builder.site.graph import ArchiveGraph
from builder.site.markup import (
    NOT_SEARCHED, Actor, GeneratedPage, Registry, frontmatter, html_link, html_list, md, pagination_links, plural,
    text_html, type_label, type_order,
)

REGISTRY_PAGE_SIZE = 250  # actors per registry page: ~60 KB of HTML with real descriptions
NO_REGION = "none"  # the data-ba-region value of actors without a region


def _by_name(actors: Sequence[Actor]) -> list[Actor]:
    return sorted(actors, key=lambda a: (a.name.casefold(), a.id))


def _by_type(actors: Sequence[Actor]) -> dict[str, list[Actor]]:
    grouped: dict[str, list[Actor]] = defaultdict(list)
    for actor in actors:
        grouped[actor.type].append(actor)
    return {actor_type: _by_name(grouped[actor_type]) for actor_type in type_order(grouped)}


def has_page(registry: Registry, graph: ArchiveGraph, actor_id: str) -> bool:
    """An actor gets a page when the registry has it and at least one briefing names it."""
    return registry.get(actor_id) is not None and graph.mention_count(actor_id) > 0


def actors_with_pages(registry: Registry, graph: ArchiveGraph) -> list[Actor]:
    """The actors that get a page (`has_page`), in registry order."""
    return [actor for actor in registry.actors if has_page(registry, graph, actor.id)]


# ------------------------------------------------------------------------- actors index


def _region_groups(actors: Sequence[Actor], regions: Sequence[str]) -> list[tuple[str | None, list[Actor]]]:
    """(region, its actors by name): the registry's regions in its order, other regions
    alphabetically, actors without a region last."""
    grouped: dict[str | None, list[Actor]] = defaultdict(list)
    for actor in actors:
        grouped[actor.region or None].append(actor)
    order = [r for r in regions if r in grouped] + sorted(r for r in grouped if r is not None and r not in regions)
    if None in grouped:
        order.append(None)
    return [(region, grouped[region]) for region in order]


def actors_index(registry: Registry, graph: ArchiveGraph) -> GeneratedPage:
    """actors/index.md: the actors with a page, by type, then by region; counts of briefings."""
    src = urls.ACTORS_INDEX
    listed = actors_with_pages(registry, graph)
    lines = [frontmatter(search=NOT_SEARCHED), "# Actors\n"]
    lines.append(
        f"{plural(len(listed), 'actor')} named in the briefings, by type and region; the count is the number "
        f"of briefings that mention each. The [registry]({urls.link(src, urls.registry_page())}) lists all "
        f"{plural(len(registry.actors), 'actor')}, with or without briefings; the [actor network]"
        f"({urls.link(src, urls.NETWORK)}) shows who is named with whom.\n"
    )
    if not listed:
        lines.append("No briefing names an actor yet.\n")
    for actor_type, actors in _by_type(listed).items():
        anchor = urls.slugify(actor_type)
        lines.append(f"## {md(type_label(actor_type))} ({len(actors)}) {{#{anchor}}}\n")
        block = [f'<div class="ba-actor-groups" data-ba-type="{text_html(anchor)}" data-ba-label="{text_html(type_label(actor_type))}">']
        for region, members in _region_groups(actors, registry.regions):
            label = region if region is not None else "No region"
            value = urls.slugify(region) if region is not None else NO_REGION
            block.append(f'<section class="ba-actor-group" data-ba-region="{text_html(value)}" data-ba-label="{text_html(label)}">'
                         f"<h3>{text_html(label)} <small>{len(members)}</small></h3>")
            block.append(html_list(
                f"{html_link(src, urls.actor_page(a.id), text_html(a.name))} · {graph.mention_count(a.id)}" for a in members
            ).rstrip("\n") + "</section>")
        block.append("</div>\n")
        lines.append("\n".join(block))
    return GeneratedPage(src, "\n".join(lines))


# ----------------------------------------------------------------------- registry pages


def registry_item(actor: Actor, registry: Registry, graph: ArchiveGraph, src: str) -> str:
    """One actor of the registry page (for `html_list`): name (linked to its page when it has
    one), region, country, then its description on a second line."""
    name = f"<strong>{text_html(actor.name)}</strong>"
    if graph.mention_count(actor.id):
        name = html_link(src, urls.actor_page(actor.id), name)
    parts = [name]
    if actor.region:
        parts.append(text_html(actor.region))
    country = registry.get(actor.country) if actor.country and actor.country != actor.id else None
    if country is not None:
        parts.append(text_html(country.name))
    line = " · ".join(parts)
    if actor.description:
        line += f"<br>{text_html(actor.description)}"
    return line


def registry_pages(registry: Registry, graph: ArchiveGraph) -> list[GeneratedPage]:
    """registry/index.md and its further pages: every actor, by type then name."""
    by_type = _by_type(list(registry.actors))
    ordered = [actor for actors in by_type.values() for actor in actors]
    batches = [ordered[i : i + REGISTRY_PAGE_SIZE] for i in range(0, len(ordered), REGISTRY_PAGE_SIZE)] or [[]]
    starts: dict[str, int] = {}  # type -> page number where its list starts
    bodies: list[list[str]] = []
    for number, batch in enumerate(batches, start=1):
        src = urls.registry_page(number)
        lines: list[str] = []
        for actor_type, actors in _by_type(batch).items():
            continued = actor_type in starts
            starts.setdefault(actor_type, number)
            count = "(continued)" if continued else f"({len(by_type[actor_type])})"
            lines.append(f"## {md(type_label(actor_type))} {count} {{#{urls.slugify(actor_type)}}}\n")
            lines.append(html_list(registry_item(a, registry, graph, src) for a in actors))
        bodies.append(lines)
    with_pages = sum(1 for actor in registry.actors if graph.mention_count(actor.id))
    out = []
    for number, lines in enumerate(bodies, start=1):
        src = urls.registry_page(number)
        head = [frontmatter(search=NOT_SEARCHED)]
        if number == 1:
            head.append("# Actor registry\n")
            head.append(
                f"Every actor of the registry, {plural(len(registry.actors), 'actor')} by type: name, region, country "
                f"and who they are. A name is a link when a briefing mentions the actor ({with_pages} do); "
                f"the [actors index]({urls.link(src, urls.ACTORS_INDEX)}) lists only those.\n"
            )
            if len(bodies) > 1:
                head.append(" · ".join(
                    f"[{md(type_label(t))}]({urls.link(src, urls.registry_page(starts[t]))}#{urls.slugify(t)}) ({len(by_type[t])})"
                    for t in by_type
                ) + "\n")
        else:
            head.append(f"# Actor registry, page {number}\n")
        nav = pagination_links(number, len(bodies), urls.registry_page, previous="← Previous", following="Next →")
        out.append(GeneratedPage(src, "\n".join(head + ([nav] if nav else []) + lines + ([nav] if nav else []))))
    return out


