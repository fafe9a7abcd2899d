"""The site-wide actor network: `network/index.md` and its data, `network/graph.json`.

The page is a raw HTML block: filters (period, type, region), a search box with a list of
matching actors (links, so the whole page works from the keyboard), and the canvas that
`site_overrides/assets/javascripts/network.js` draws with the vendored sigma.js. The data is
computed here, at build time, layout included, so the browser only renders it and the
output is byte-identical from one build to the next.

Data caps (so that 10,000 briefings and 1,500 actors stay well under 1 MB gzipped):

- nodes: every actor that has a page (named in at least one briefing);
- edges (two actors named in the same briefing): each actor keeps its `TOP_TIES` strongest
  ties of at least `MIN_WEIGHT` shared briefings, and its `ALWAYS_TIES` strongest ties of any
  weight (so that an actor named rarely is still tied to something); an edge stays if either
  of its actors keeps it, and of those at most `MAX_EDGES`, strongest first;
- coordinates are rounded to one decimal, sizes to one decimal.

Layout: actors are grouped by home region (their registry region, else the region most of
their briefings concern); each group is a sunflower (Vogel's spiral), most-mentioned actors
at its centre, and the groups sit around a circle in the registry's region order. No
randomness, no iteration: O(actors).
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict

from builder import urls
from builder.site.actor_lists import actors_with_pages
from builder.site.graph import ArchiveGraph
from builder.site.markup import NOT_SEARCHED, Actor, GeneratedPage, Registry, frontmatter, plural, text_html, type_label, type_order

TOP_TIES = 8
MIN_WEIGHT = 2
ALWAYS_TIES = 2
MAX_EDGES = 12_000
NO_REGION = "No region"
SPACING = 10.0  # distance unit of the sunflower; sigma rescales the whole graph to its canvas
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))


def _year(date: str | None) -> int | None:
    return int(date[:4]) if date else None


def home_regions(actors: list[Actor], graph: ArchiveGraph) -> dict[str, str]:
    """actor id -> its region, else the region most of its briefings concern (ties: by name)."""
    out = {}
    for actor in actors:
        if actor.region:
            out[actor.id] = actor.region
            continue
        counts = Counter(b.meta.region for b in graph.briefings_by_actor.get(actor.id, ()) if b.meta.region)
        out[actor.id] = min(counts.items(), key=lambda item: (-item[1], item[0]))[0] if counts else NO_REGION
    return out


def kept_edges(graph: ArchiveGraph, ids: set[str]) -> list[tuple[str, str, int]]:
    """(a, b, weight) with a < b: the ties the caps keep, strongest first, then by ids."""
    kept: set[tuple[str, str]] = set()
    for actor_id in sorted(ids):
        ranked = sorted(((other, n) for other, n in graph.together.get(actor_id, {}).items() if other in ids),
                        key=lambda item: (-item[1], item[0]))
        strong = [other for other, n in ranked if n >= MIN_WEIGHT][:TOP_TIES]
        for other in strong + [other for other, _ in ranked[:ALWAYS_TIES]]:
            kept.add((actor_id, other) if actor_id < other else (other, actor_id))
    edges = sorted(((a, b, graph.together[a][b]) for a, b in kept), key=lambda e: (-e[2], e[0], e[1]))
    return edges[:MAX_EDGES]


def layout(actors: list[Actor], graph: ArchiveGraph, regions: dict[str, str], region_order: list[str]) -> dict[str, tuple[float, float]]:
    """actor id -> (x, y): a sunflower per home region, the regions around a circle."""
    groups: dict[str, list[Actor]] = defaultdict(list)
    for actor in actors:
        groups[regions[actor.id]].append(actor)
    order = [r for r in region_order if r in groups] + sorted(r for r in groups if r not in region_order and r != NO_REGION)
    order += [NO_REGION] if NO_REGION in groups else []
    radius = {r: SPACING * math.sqrt(len(groups[r]) + 1) for r in order}
    gap = 3 * SPACING
    around = sum(2 * radius[r] + gap for r in order)
    ring = 0.0 if len(order) == 1 else max(around / (2 * math.pi), max(radius.values()) * 1.5)
    positions: dict[str, tuple[float, float]] = {}
    angle = -math.pi / 2
    for region in order:
        share = (2 * radius[region] + gap) / around * 2 * math.pi
        cx, cy = ring * math.cos(angle + share / 2), ring * math.sin(angle + share / 2)
        angle += share
        members = sorted(groups[region], key=lambda a: (-graph.mention_count(a.id), a.name.casefold(), a.id))
        for index, actor in enumerate(members):
            r, theta = SPACING * math.sqrt(index + 0.5), index * GOLDEN_ANGLE
            positions[actor.id] = (round(cx + r * math.cos(theta), 1), round(cy + r * math.sin(theta), 1))
    return positions


def _per_year(years: list[int | None]) -> tuple[int | None, list[int]]:
    """(first year, counts per year from it) of the dated items; (None, []) if none is dated."""
    dated = [y for y in years if y is not None]
    if not dated:
        return None, []
    first, counts = min(dated), Counter(dated)
    return first, [counts.get(y, 0) for y in range(first, max(dated) + 1)]


def network_data(registry: Registry, graph: ArchiveGraph) -> dict:
    """The network page's data: nodes, edges (with their weights per year), the filters' choices."""
    actors = actors_with_pages(registry, graph)
    ids = {a.id for a in actors}
    regions = home_regions(actors, graph)
    positions = layout(actors, graph, regions, list(registry.regions))
    index = {a.id: i for i, a in enumerate(actors)}
    edges = kept_edges(graph, ids)
    pair_years: dict[tuple[str, str], list[int | None]] = {(a, b): [] for a, b, _ in edges}
    for briefing in graph.briefings:  # each kept pair's shared briefings, by year
        present = sorted(a for a in graph.actors_of.get(briefing.path, ()) if a in ids)
        year = _year(briefing.meta.date)
        for i, a in enumerate(present):
            for b in present[i + 1:]:
                if (a, b) in pair_years:
                    pair_years[(a, b)].append(year)
    peak = max((graph.mention_count(a.id) for a in actors), default=1)
    nodes = []
    for actor in actors:
        first, counts = _per_year([_year(b.meta.date) for b in graph.briefings_by_actor[actor.id]])
        x, y = positions[actor.id]
        nodes.append({
            "id": actor.id, "label": " ".join(actor.name.split()), "type": actor.type, "region": regions[actor.id],
            "url": urls.href(urls.NETWORK, urls.actor_page(actor.id)), "x": x, "y": y,
            "size": round(2 + 10 * math.sqrt(graph.mention_count(actor.id) / peak), 1),
            "mentions": graph.mention_count(actor.id), "first": first,
            "last": first + len(counts) - 1 if first is not None else None, "counts": counts,
        })
    edge_rows = []
    for a, b, weight in edges:
        first, counts = _per_year(pair_years[(a, b)])
        edge_rows.append([index[a], index[b], weight, first, counts])
    years = [n["first"] for n in nodes if n["first"] is not None] + [n["last"] for n in nodes if n["last"] is not None]
    present_regions = set(regions.values())
    return {
        "version": 1,
        "years": [min(years), max(years)] if years else None,
        "types": [{"id": t, "label": type_label(t)} for t in type_order(a.type for a in actors)],
        "regions": [r for r in registry.regions if r in present_regions]
        + sorted(r for r in present_regions if r not in registry.regions and r != NO_REGION)
        + ([NO_REGION] if NO_REGION in present_regions else []),
        "caps": {"top_ties": TOP_TIES, "min_weight": MIN_WEIGHT, "always_ties": ALWAYS_TIES, "max_edges": MAX_EDGES},
        "edge_fields": ["source", "target", "weight", "first_year", "weights_per_year"],
        "nodes": nodes,
        "edges": edge_rows,
    }


def network_json(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def _select(name: str, label: str, choices: list[tuple[str, str]], *, all_label: str | None = None, selected: str = "") -> str:
    options = ([f'<option value="">{text_html(all_label)}</option>'] if all_label else []) + [
        f'<option value="{text_html(value)}"{" selected" if value == selected else ""}>{text_html(text)}</option>'
        for value, text in choices
    ]
    return (f'<label class="ba-filter__field"><span class="ba-filter__label">{text_html(label)}</span>'
            f'<select class="ba-filter__control" name="{name}">{"".join(options)}</select></label>')


def network_pages(registry: Registry, graph: ArchiveGraph) -> list[GeneratedPage]:
    """network/index.md and network/graph.json."""
    data = network_data(registry, graph)
    src = urls.NETWORK
    lines = [frontmatter(search=NOT_SEARCHED), "# Actor network\n"]
    lines.append(
        f"{plural(len(data['nodes']), 'actor')} and {plural(len(data['edges']), 'tie')} between them: two actors are tied "
        "when a briefing names both, and a tie is wider the more briefings they share. Actors are grouped by region and "
        "coloured by type; the most-mentioned are largest. Choose a period, a type or a region, find an actor by name, "
        "or click one to open its page. Each actor keeps its strongest ties only "
        f"([how the network is built]({urls.link(src, 'about.md')}#actor-network)); its page lists them all. "
        f"The [actors index]({urls.link(src, urls.ACTORS_INDEX)}) lists every actor.\n"
    )
    year_choices = [(str(y), str(y)) for y in range(data["years"][0], data["years"][1] + 1)] if data["years"] else []
    form = [
        '<form class="ba-filter ba-network__filters" aria-label="Filter the network" hidden>',
        _select("from", "From", year_choices, selected=year_choices[0][0]) if year_choices else "",
        _select("to", "To", year_choices, selected=year_choices[-1][0]) if year_choices else "",
        _select("type", "Type", [(t["id"], t["label"]) for t in data["types"]], all_label="All types"),
        _select("region", "Region", [(r, r) for r in data["regions"]], all_label="All regions"),
        '<label class="ba-filter__field ba-network__find"><span class="ba-filter__label">Find an actor</span>'
        '<input class="ba-filter__control" type="search" name="q" autocomplete="off" '
        'aria-controls="ba-network-results" aria-describedby="ba-network-hint" placeholder="Name contains…"></label>',
        '<p class="ba-network__hint" id="ba-network-hint">Enter opens the first match; Tab reaches the list of matches.</p>',
        '<p class="ba-filter__status ba-network__status" role="status"></p>',
        "</form>",
    ]
    block = [
        f'<div class="ba-network" data-ba-graph="{text_html(urls.href(src, urls.NETWORK_DATA))}">',
        "".join(form),
        '<ul class="ba-network__results" id="ba-network-results" aria-label="Matching actors"></ul>',
        '<div class="ba-network__canvas" aria-hidden="true" hidden></div>',
        '<p class="ba-network__noscript">The interactive network needs JavaScript; the '
        f'<a href="{text_html(urls.href(src, urls.ACTORS_INDEX))}">actors index</a> and each actor page list the same ties.</p>',
        "</div>\n",
    ]
    lines.append("\n".join(block))
    return [GeneratedPage(src, "\n".join(lines)), GeneratedPage(urls.NETWORK_DATA, network_json(data))]
