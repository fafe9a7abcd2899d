"""An actor's ego network: a small static SVG of the actors most often named with it.

Made at build time like the mentions chart (`charts`): no JavaScript, deterministic, a few
KB. The actor sits at the centre; its `EGO_NEIGHBOURS` strongest ties (by briefings shared)
sit around it on an ellipse, grouped by type (the order of `markup.TYPE_LABELS`), strongest
first within a type, clockwise from the top. A tie's line is wider and darker the more
briefings the two share; ties between the neighbours themselves (at least `MIN_SIDE_WEIGHT`
briefings, the `MAX_SIDE_TIES` strongest) are drawn faintly behind.

Every neighbour is a link (`<a xlink:href>`, relative, with an `aria-label`) to its actor page,
with a `<title>` tooltip; only actors that have a page are drawn. The links use `xlink:href`,
not SVG 2's plain `href`: Material's instant navigation re-assigns `element.href` of every
`[href]` element of a page, which throws on an SVG link (its `href` is read-only) and stops
the navigation script; network.js hands the clicks to Material's navigation. Colours come from CSS classes
(`ba-net--<type>`, site_overrides/assets/stylesheets/briefings.css) so they follow the light
and dark schemes; the `fill` attributes are the light scheme's, for a page without that CSS.
All text is escaped.
"""

from __future__ import annotations

import html
import math
from typing import Collection, Container

from builder import urls
from builder.site.actor_lists import has_page
from builder.site.graph import ArchiveGraph
from builder.site.markup import TYPE_SINGULAR, Actor, Registry, plural, type_order

EGO_NEIGHBOURS = 12
MAX_SIDE_TIES = 24
MIN_SIDE_WEIGHT = 2
WIDTH, HEIGHT = 720, 380
CENTRE_X, CENTRE_Y = WIDTH / 2, HEIGHT / 2
RADIUS_X, RADIUS_Y = 200, 135
MAX_LABEL = 22  # characters shown under a node; the tooltip and aria-label have the whole name

# The light scheme's colours (the CSS has both schemes'); one class per known type.
TYPE_FILLS = {
    "state": "#3949ab", "armed-group": "#c62828", "person": "#2e7d32", "organisation": "#7b1fa2",
    "operation": "#e65100", "mission": "#00838f", "place": "#6d4c41",
}
OTHER_FILL = "#546e7a"


def type_class(actor_type: str) -> str:
    """The CSS class of a type's colour: `ba-net--state`, ..., `ba-net--other` for unknown types."""
    return f"ba-net--{actor_type}" if actor_type in TYPE_FILLS else "ba-net--other"


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _short(name: str) -> str:
    name = " ".join(name.split())
    return name if len(name) <= MAX_LABEL else name[: MAX_LABEL - 1].rstrip() + "…"


class HavePages:
    """The ids of the actors that have a page (`actor_lists.actors_with_pages`: in the registry
    and named in a briefing), tested one by one rather than listed for every actor page."""

    def __init__(self, registry: Registry, graph: ArchiveGraph):
        self.registry, self.graph = registry, graph

    def __contains__(self, actor_id: object) -> bool:
        return isinstance(actor_id, str) and has_page(self.registry, self.graph, actor_id)


def ego_neighbours(actor_id: str, graph: ArchiveGraph, with_pages: Container[str],
                   limit: int = EGO_NEIGHBOURS) -> list[tuple[str, int]]:
    """(actor id, briefings shared): the `limit` actors with a page most often named with
    `actor_id`, most shared first, then by id."""
    counts = graph.together.get(actor_id, {})
    ranked = sorted(((other, n) for other, n in counts.items() if other in with_pages and other != actor_id),
                    key=lambda item: (-item[1], item[0]))
    return ranked[:limit]


def _layout(neighbours: list[tuple[Actor, int]]) -> list[tuple[Actor, int, float, float, float]]:
    """(actor, shared, x, y, angle) around the ellipse: by type, then strongest first, then name."""
    rank = {t: i for i, t in enumerate(type_order(a.type for a, _ in neighbours))}
    ordered = sorted(neighbours, key=lambda item: (rank[item[0].type], -item[1], item[0].name.casefold(), item[0].id))
    placed = []
    for index, (actor, shared) in enumerate(ordered):
        angle = -math.pi / 2 + 2 * math.pi * index / len(ordered)
        placed.append((actor, shared, CENTRE_X + RADIUS_X * math.cos(angle), CENTRE_Y + RADIUS_Y * math.sin(angle), angle))
    return placed


def _label(text: str, x: float, y: float, radius: float, angle: float | None) -> str:
    """A node's name beside it, on the side away from the centre (below the centre node)."""
    if angle is None:
        anchor, lx, ly = "middle", x, y + radius + 13
    else:
        dx, dy = math.cos(angle), math.sin(angle)
        if abs(dx) < 0.3:
            anchor, lx, ly = "middle", x, (y - radius - 5 if dy < 0 else y + radius + 13)
        else:
            anchor, lx, ly = ("start" if dx > 0 else "end"), x + (radius + 4) * (1 if dx > 0 else -1), y + 4
    return (f'<text class="ba-net__label" x="{_fmt(lx)}" y="{_fmt(ly)}" text-anchor="{anchor}">'
            f"{html.escape(_short(text))}</text>")


def _neighbours(actor: Actor, graph: ArchiveGraph, registry: Registry) -> list[tuple[Actor, int]]:
    """`ego_neighbours` of `actor` among the actors with a page, as registry actors."""
    return [(other, n) for other_id, n in ego_neighbours(actor.id, graph, HavePages(registry, graph))
            if (other := registry.get(other_id)) is not None]


def ego_network_svg(actor: Actor, graph: ArchiveGraph, registry: Registry, src: str) -> str:
    """The SVG (one line) of `actor`'s ego network as seen from the page `src`; "" without ties."""
    return _svg(actor, _neighbours(actor, graph, registry), graph, src)


def _svg(actor: Actor, neighbours: list[tuple[Actor, int]], graph: ArchiveGraph, src: str) -> str:
    if not neighbours:
        return ""
    placed = _layout(neighbours)
    strongest = max(n for _, n in neighbours)
    name = " ".join(actor.name.split())
    description = (f"{name} and the {plural(len(placed), 'actor')} most often named with it; "
                   "a wider, darker line means more shared briefings.")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" class="ba-net" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" '
        f'height="{HEIGHT}" role="group" aria-label="{html.escape(description)}">',
        '<g class="ba-net__ties" stroke="#757575" stroke-linecap="round">',
    ]
    position = {a.id: (x, y) for a, _, x, y, _ in placed}
    side = sorted(
        ((graph.together.get(a.id, {}).get(b.id, 0), a.id, b.id) for i, (a, *_) in enumerate(placed) for b, *_ in placed[i + 1:]),
        key=lambda tie: (-tie[0], tie[1], tie[2]),
    )
    for weight, a_id, b_id in [tie for tie in side if tie[0] >= MIN_SIDE_WEIGHT][:MAX_SIDE_TIES]:
        share = min(weight / strongest, 1.0)
        (x1, y1), (x2, y2) = position[a_id], position[b_id]
        parts.append(f'<line class="ba-net__tie ba-net__tie--side" x1="{_fmt(x1)}" y1="{_fmt(y1)}" x2="{_fmt(x2)}" '
                     f'y2="{_fmt(y2)}" stroke-width="{_fmt(0.5 + 1.5 * share)}" stroke-opacity="{_fmt(0.15 + 0.25 * share)}"/>')
    for other, shared, x, y, _ in placed:
        share = shared / strongest
        parts.append(f'<line class="ba-net__tie" x1="{_fmt(CENTRE_X)}" y1="{_fmt(CENTRE_Y)}" x2="{_fmt(x)}" y2="{_fmt(y)}" '
                     f'stroke-width="{_fmt(1 + 5 * share)}" stroke-opacity="{_fmt(0.3 + 0.5 * share)}"/>')
    parts.append('</g><g class="ba-net__nodes" font-size="11" font-family="sans-serif">')
    for other, shared, x, y, angle in placed:
        radius = 5 + 7 * math.sqrt(shared / strongest)
        tip = f"{' '.join(other.name.split())} — {plural(shared, 'shared briefing')}"
        href = urls.href(src, urls.actor_page(other.id))
        parts.append(
            f'<a class="ba-net__link" xlink:href="{html.escape(href)}" aria-label="{html.escape(tip)}">'
            f"<title>{html.escape(tip)}</title>"
            f'<circle class="ba-net__node {type_class(other.type)}" cx="{_fmt(x)}" cy="{_fmt(y)}" r="{_fmt(radius)}" '
            f'fill="{TYPE_FILLS.get(other.type, OTHER_FILL)}"/>'
            f"{_label(other.name, x, y, radius, angle)}</a>"
        )
    mentions = graph.mention_count(actor.id)
    parts.append(
        f'<g class="ba-net__ego"><title>{html.escape(name)} — {plural(mentions, "briefing")}</title>'
        f'<circle class="ba-net__node {type_class(actor.type)}" cx="{_fmt(CENTRE_X)}" cy="{_fmt(CENTRE_Y)}" r="14" '
        f'fill="{TYPE_FILLS.get(actor.type, OTHER_FILL)}"/>{_label(actor.name, CENTRE_X, CENTRE_Y, 14, None)}</g>'
    )
    parts.append("</g></svg>")
    return "".join(parts)


def type_key(types: Collection[str]) -> str:
    """The colour key for a caption: one swatch and label per type, in display order."""
    return " ".join(
        f'<span class="ba-net-key {type_class(t)}">{html.escape(TYPE_SINGULAR.get(t, t))}</span>' for t in type_order(types)
    )


def ego_network_figure(actor: Actor, graph: ArchiveGraph, registry: Registry, src: str) -> str:
    """The figure (one line, a raw HTML block): the SVG, then a caption with the colour key."""
    neighbours = _neighbours(actor, graph, registry)
    svg = _svg(actor, neighbours, graph, src)
    if not svg:
        return ""
    types = {actor.type} | {other.type for other, _ in neighbours}
    caption = (f"Actors most often named with {html.escape(' '.join(actor.name.split()))} in the briefings. "
               f"Line width: briefings shared. Colour: type. {type_key(types)}")
    return f'<figure class="ba-network-figure">{svg}<figcaption>{caption}</figcaption></figure>\n'
