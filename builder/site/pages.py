"""The generated pages of the archive site, as plain Markdown (and Atom XML) text.

`generate_pages` is the whole run, top to bottom: index the archive as a graph, then
write the home page (with the map of briefings per state), the actor pages, their index and the registry pages, the region pages, the archive by
date, the feeds and the actor network. Links in the text are relative links to a source file (`../x/index.md`),
so MkDocs checks them under `--strict`. Long listings (briefings, actors, regions) are raw
HTML blocks with final directory URLs (`../x/`), escaped here: Markdown processing of
thousands of links was most of the plugin's build time (benchmarks/README.md).

Pages stay small whatever the size of the archive: long lists of briefings are split
into pages of `PAGE_SIZE` (actors, regions and each year of the archive), and nothing here goes into
the navigation.
"""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from typing import Iterable, Mapping, Sequence
from urllib.parse import quote

from builder import forkpool
from builder.archive.model import Briefing
from builder import urls
from builder.site.actor_lists import actors_index, actors_with_pages, registry_pages
from builder.site.charts import mentions_chart
from builder.site.feeds import FeedEntry, atom_feed
from builder.site.graph import ArchiveGraph, build_graph
from builder.site.network import ego_network_figure
from builder.site.network_page import network_pages
from builder.site.markup import (  # noqa: F401 - GeneratedPage, md, TYPE_LABELS: also imported from here
    NOT_SEARCHED, TYPE_LABELS, TYPE_SINGULAR, Actor, GeneratedPage, Registry, frontmatter, html_link, html_list, md,
    pagination_links, plural, text_html,
)
from builder.site.worldmap import world_map_svg

PAGE_SIZE = 50  # briefings per actor, region or archive-year page
HOME_LATEST = 10
HOME_TOP_ACTORS = 12
RELATED_ACTORS = 15

MONTHS = ("January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December")


def month_name(date: str) -> str:
    return f"{MONTHS[int(date[5:7]) - 1]} {date[:4]}"


def briefing_item(briefing: Briefing, from_src: str, *, summary: bool = True) -> str:
    """One list item's HTML (for `html_list`): date, linked title, source, summary."""
    meta = briefing.meta
    parts = [f"<strong>{meta.date}</strong>" if meta.date else "<strong>undated</strong>", html_link(from_src, briefing.path, text_html(meta.title))]
    if meta.source:
        parts.append(f"<em>{text_html(meta.source)}</em>")
    line = " · ".join(parts)
    if summary and meta.summary:
        line += f"<br>{text_html(meta.summary)}"
    return line


def chunks(items: Sequence[Briefing], size: int = PAGE_SIZE) -> list[Sequence[Briefing]]:
    return [items[i : i + size] for i in range(0, len(items), size)] or [[]]


# ------------------------------------------------------------------------------- pages


def actor_profile(actor: Actor, graph: ArchiveGraph, registry: Registry, src: str) -> list[str]:
    """Who the actor is: type, Wikidata, description, aliases, country, region, mentions, chart."""
    mentions = graph.briefings_by_actor.get(actor.id, [])
    dated = [b.meta.date for b in mentions if b.meta.date]
    facts = [f"*{TYPE_SINGULAR.get(actor.type, md(actor.type))}*"]
    if actor.wikidata:
        facts.append(f"[Wikidata {md(actor.wikidata)}](https://www.wikidata.org/wiki/{quote(actor.wikidata)})")
    facts.append(f"[Atom feed]({urls.link(src, urls.actor_feed(actor.id))})")
    lines = [" · ".join(facts) + "\n"]
    if actor.description:
        lines.append(md(actor.description) + "\n")
    details = []
    if actor.aliases:
        details.append("- **Also known as:** " + ", ".join(md(a) for a in actor.aliases))
    country = registry.get(actor.country) if actor.country else None
    if country is not None and graph.mention_count(country.id):
        details.append(f"- **Country:** [{md(country.name)}]({urls.link(src, urls.actor_page(country.id))})")
    elif country is not None:  # no briefing names it: no page to link to
        details.append(f"- **Country:** {md(country.name)}")
    if actor.region:
        details.append(f"- **Region:** [{md(actor.region)}]({urls.link(src, urls.region_page(actor.region))})")
    if mentions:
        details.append(f"- **Mentioned in:** {plural(len(mentions), 'briefing')}")
    if dated:
        details.append(f"- **First mention:** {min(dated)}")
        details.append(f"- **Last mention:** {max(dated)}")
    if details:
        lines.append("\n".join(details) + "\n")
    chart = mentions_chart(dated, label=f"Mentions of {actor.name}")
    if chart:
        lines.append(
            f'<figure class="ba-chart-figure">{chart}'
            f"<figcaption>Briefings mentioning {md(actor.name)} over time</figcaption></figure>\n"
        )
    return lines


def related_actors_section(actor: Actor, graph: ArchiveGraph, registry: Registry, src: str) -> list[str]:
    related = graph.related_actors(actor.id, RELATED_ACTORS)
    if not related:
        return []
    items = html_list(
        f"{html_link(src, urls.actor_page(other_id), text_html(_name(registry, other_id)))} · {plural(count, 'briefing')}"
        for other_id, count in related
    )
    lines = ["## Related actors\n"]
    figure = ego_network_figure(actor, graph, registry, src)
    if figure:
        lines += [figure, f"The [actor network]({urls.link(src, urls.NETWORK)}) shows the ties of every actor.\n"]
    return lines + ["Ranked by the number of briefings in which they appear together.\n", items]


def actor_pages(actor: Actor, graph: ArchiveGraph, registry: Registry, *, site_url: str, site_name: str) -> list[GeneratedPage]:
    """actors/<id>/index.md (profile, related actors, latest briefings), further pages, the feed."""
    mentions = graph.briefings_by_actor.get(actor.id, [])
    batches = chunks(mentions)
    out = []
    for number, batch in enumerate(batches, start=1):
        src = urls.actor_page(actor.id, number)
        lines = [frontmatter(feed=urls.actor_feed(actor.id), search=NOT_SEARCHED)]
        if number == 1:
            lines.append(f"# {md(actor.name)}\n")
            lines += actor_profile(actor, graph, registry, src)
            lines += related_actors_section(actor, graph, registry, src)
        else:
            lines.append(f"# {md(actor.name)}: briefings, page {number}\n")
            lines.append(f"[{md(actor.name)}]({urls.link(src, urls.actor_page(actor.id))}) · {plural(len(mentions), 'briefing')}\n")
        lines.append("## Briefings\n")
        if mentions:
            nav = pagination_links(number, len(batches), lambda n: urls.actor_page(actor.id, n))
            lines.extend(x for x in (nav, html_list(briefing_item(b, src) for b in batch), nav) if x)
        else:
            lines.append(f"No briefing mentions {md(actor.name)} yet.\n")
        out.append(GeneratedPage(src, "\n".join(lines)))
    feed_entries = [FeedEntry(b, urls.absolute_url(site_url, b.path), graph.actors_of.get(b.path, ())) for b in mentions]
    out.append(GeneratedPage(urls.actor_feed(actor.id), atom_feed(
        feed_entries,
        title=f"{site_name}: {actor.name}",
        feed_url=urls.absolute_url(site_url, urls.actor_feed(actor.id)),
        page_url=urls.absolute_url(site_url, urls.actor_page(actor.id)),
        author=site_name,
    )))
    return out


def state_map(registry: Registry, graph: ArchiveGraph, src: str, *, region: str | None = None) -> list[str]:
    """The map of briefings per state (`worldmap`), one raw HTML block: the world, or one
    region's states cropped; [] when no state (of the region) has an ISO code to draw it by."""
    states = {
        actor.iso_alpha3: actor for actor in registry.actors
        if actor.type == "state" and actor.iso_alpha3 and (region is None or actor.region == region)
    }
    if not states:
        return []
    where = f" in {region}" if region else ""
    figure = world_map_svg(
        {code: graph.mention_count(actor.id) for code, actor in states.items()},
        lambda code: urls.href(src, urls.actor_page(states[code].id)),  # only states with briefings: they have a page
        lambda code: states[code].name,
        caption=f"Briefings per state{where}: each coloured state links to its page.",
        region=set(states) if region else None,
    )
    return [figure + "\n"]


def region_pages(registry: Registry, graph: ArchiveGraph) -> list[GeneratedPage]:
    by_region: dict[str, list[Briefing]] = defaultdict(list)
    for briefing in graph.briefings:  # newest first
        if briefing.meta.region:
            by_region[briefing.meta.region].append(briefing)
    regions = list(dict.fromkeys([*registry.regions, *sorted(by_region)]))
    index = [frontmatter(search=NOT_SEARCHED), "# Regions\n", "Briefings by the region they concern.\n"]
    index.append(html_list(
        f"{html_link(urls.REGIONS_INDEX, urls.region_page(r), text_html(r))} · {plural(len(by_region.get(r, [])), 'briefing')}"
        for r in regions
    ))
    out = [GeneratedPage(urls.REGIONS_INDEX, "\n".join(index))]
    for region in regions:
        briefings = by_region.get(region, [])
        batches = chunks(briefings)
        for number, batch in enumerate(batches, start=1):
            src = urls.region_page(region, number)
            lines = [frontmatter(search=NOT_SEARCHED), f"# {md(region)}\n" if number == 1 else f"# {md(region)}: briefings, page {number}\n"]
            lines.append(f"{plural(len(briefings), 'briefing')} · [All regions]({urls.link(src, urls.REGIONS_INDEX)})\n")
            if number == 1:
                lines += state_map(registry, graph, src, region=region)
                counts = Counter(a for b in briefings for a in graph.actors_of.get(b.path, ()))
                top = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:RELATED_ACTORS]
                if top:
                    lines.append("## Most-mentioned actors\n")
                    lines.append(html_list(
                        f"{html_link(src, urls.actor_page(a), text_html(_name(registry, a)))} · {plural(n, 'briefing')}" for a, n in top
                    ))
            lines.append("## Briefings\n")
            if briefings:
                nav = pagination_links(number, len(batches), lambda n, r=region: urls.region_page(r, n))
                lines.extend(x for x in (nav, html_list(briefing_item(b, src) for b in batch), nav) if x)
            else:
                lines.append("No briefing for this region yet.\n")
            out.append(GeneratedPage(src, "\n".join(lines)))
    return out


def archive_pages(graph: ArchiveGraph) -> list[GeneratedPage]:
    """archive/index.md (years and months, with counts), then each year's briefings by month.

    A year is split into pages of `PAGE_SIZE` briefings like an actor's list (archive/2023/,
    archive/2023/page/2/, ...); a month that runs over a page break continues on the next
    page, and the index links each month to the page where it starts.
    """
    by_year: dict[str, list[Briefing]] = defaultdict(list)
    for briefing in graph.briefings:  # newest first
        by_year[briefing.meta.date[:4] if briefing.meta.date else "undated"].append(briefing)
    years = sorted((y for y in by_year if y != "undated"), reverse=True) + (["undated"] if "undated" in by_year else [])
    index = [frontmatter(search=NOT_SEARCHED), "# Archive\n", f"{plural(len(graph.briefings), 'briefing')} by date, newest first.\n"]
    out = []
    for year in years:
        briefings = by_year[year]
        index.append(f"## [{year}]({urls.link(urls.ARCHIVE_INDEX, urls.year_page(year))}) · {plural(len(briefings), 'briefing')}\n")
        month_starts: dict[str, int] = {}  # month -> page number where its list starts
        batches = chunks(briefings)
        for number, batch in enumerate(batches, start=1):
            src = urls.year_page(year, number)
            title = year if year != "undated" else "Undated briefings"
            lines = [frontmatter(search=NOT_SEARCHED), f"# {title}\n" if number == 1 else f"# {title}: briefings, page {number}\n"]
            lines.append(f"{plural(len(briefings), 'briefing')} · [All years]({urls.link(src, urls.ARCHIVE_INDEX)})\n")
            nav = pagination_links(number, len(batches), lambda n, y=year: urls.year_page(y, n))
            if nav:
                lines.append(nav)
            if year == "undated":
                lines.append(html_list(briefing_item(b, src, summary=False) for b in batch))
            else:
                by_month: dict[str, list[Briefing]] = defaultdict(list)
                for briefing in batch:
                    by_month[briefing.meta.date[:7]].append(briefing)
                for month in sorted(by_month, reverse=True):
                    continued = month in month_starts
                    month_starts.setdefault(month, number)
                    heading = f"{month_name(month)} (continued)" if continued else month_name(month)
                    lines.append(f"## {heading} {{#{month}}}\n")
                    lines.append(html_list(briefing_item(b, src, summary=False) for b in by_month[month]))
            if nav:
                lines.append(nav)
            out.append(GeneratedPage(src, "\n".join(lines)))
        if year != "undated":
            counts = Counter(b.meta.date[:7] for b in briefings)
            index.append(" · ".join(
                f"[{month_name(month)[:-5]}]({urls.link(urls.ARCHIVE_INDEX, urls.year_page(year, month_starts[month]))}#{month}) ({counts[month]})"
                for month in sorted(counts, reverse=True)
            ) + "\n")
    if not years:
        index.append("No briefing yet.\n")
    return [GeneratedPage(urls.ARCHIVE_INDEX, "\n".join(index)), *out]


def home_page(registry: Registry, graph: ArchiveGraph, *, site_name: str) -> GeneratedPage:
    src = urls.HOME
    dated = sorted(b.meta.date for b in graph.briefings if b.meta.date)
    lines = [frontmatter(feed=urls.FEED), f"# {md(site_name)}\n"]
    named = len(actors_with_pages(registry, graph))
    summary = f"{plural(len(graph.briefings), 'briefing')} on {plural(named, 'actor')}"
    if dated:
        summary += f", from {dated[0]} to {dated[-1]}"
    lines.append(summary + f". [Atom feed]({urls.FEED})\n")
    lines.append(
        f"Browse the [archive by date]({urls.link(src, urls.ARCHIVE_INDEX)}), "
        f"the [actors]({urls.link(src, urls.ACTORS_INDEX)}) or the [regions]({urls.link(src, urls.REGIONS_INDEX)}), "
        f"or explore the [actor network]({urls.link(src, urls.NETWORK)}); "
        f"the [registry]({urls.link(src, urls.REGISTRY)}) lists all {plural(len(registry.actors), 'actor')}.\n"
    )
    lines += state_map(registry, graph, src)
    lines.append("## Latest briefings\n")
    latest = graph.briefings[:HOME_LATEST]
    lines.append(html_list(briefing_item(b, src) for b in latest) if latest else "No briefing yet.\n")
    top = sorted(
        ((actor_id, len(items)) for actor_id, items in graph.briefings_by_actor.items() if registry.get(actor_id)),
        key=lambda item: (-item[1], item[0]),
    )[:HOME_TOP_ACTORS]
    if top:
        lines.append("## Most-mentioned actors\n")
        lines.append(html_list(
            f"{html_link(src, urls.actor_page(a), text_html(_name(registry, a)))} · {plural(n, 'briefing')}" for a, n in top
        ))
    return GeneratedPage(src, "\n".join(lines))


def site_feed(graph: ArchiveGraph, *, site_url: str, site_name: str) -> GeneratedPage:
    entries = [FeedEntry(b, urls.absolute_url(site_url, b.path), graph.actors_of.get(b.path, ())) for b in graph.briefings]
    return GeneratedPage(urls.FEED, atom_feed(
        entries,
        title=site_name,
        feed_url=urls.absolute_url(site_url, urls.FEED),
        page_url=urls.absolute_url(site_url, urls.HOME),
        author=site_name,
    ))


def _name(registry: Registry, actor_id: str) -> str:
    actor = registry.get(actor_id)
    return actor.name if actor is not None else actor_id


# Actor pages (profile, chart, listings, feed: ~3 ms an actor) on forked workers from this many
# actors on; the workers inherit the graph, and only the actors and their pages are pickled.
PARALLEL_ACTORS_FROM = 200


def generate_pages(
    briefings: Iterable[Briefing],
    registry: Registry,
    *,
    site_url: str,
    site_name: str = "Briefing Archive",
    graph: ArchiveGraph | None = None,
    actors_of: Mapping[str, Iterable[str]] | None = None,
    workers: int = 0,
) -> list[GeneratedPage]:
    """Every generated page, sorted by path. `graph` (or `actors_of`) says who is in which briefing.
    With `workers`, a big registry's actor pages are made on that many forked processes
    (when forking is safe is the caller's decision: `forkpool.workers_if_alone`)."""
    if graph is None:
        graph = build_graph(briefings, actors_of)
    pages = [home_page(registry, graph, site_name=site_name), site_feed(graph, site_url=site_url, site_name=site_name)]
    pages.append(actors_index(registry, graph))
    pages.extend(registry_pages(registry, graph))
    # Only actors named in a briefing get a page (and a feed): at 1,600+ actors most of the
    # registry may be named nowhere yet, and an empty page per actor is noise. Links to the
    # others are plain text (the registry page lists them all).
    with_pages = actors_with_pages(registry, graph)
    make_actor_pages = functools.partial(actor_pages, graph=graph, registry=registry, site_url=site_url, site_name=site_name)
    if workers and len(with_pages) >= PARALLEL_ACTORS_FROM:
        each_actor_pages = forkpool.fork_imap(make_actor_pages, with_pages, workers=workers, chunksize=16)
    else:
        each_actor_pages = map(make_actor_pages, with_pages)
    for one_actor_pages in each_actor_pages:
        pages.extend(one_actor_pages)
    pages.extend(region_pages(registry, graph))
    pages.extend(archive_pages(graph))
    pages.extend(network_pages(registry, graph))
    return sorted(pages, key=lambda page: page.path)
