"""The site's whole run, in order: registry -> briefings -> who-is-where graph -> pages.

Shared by the MkDocs plugin (pages handed over in memory) and `export` (pages written
to disk), so both produce the same pages. No MkDocs import here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from builder import forkpool
from builder.archive.actors import Registry, RegistryError
from builder.archive.matching import ActorMatcher, Mention
from builder.errors import BuildError
from builder.fsutil import LINK_OUTSIDE, links_outside
from builder.archive.model import Briefing
from builder.site.graph import ArchiveGraph, build_graph
from builder.site.incremental import SiteCache
from builder.site.opendata import api_files
from builder.site.pages import GeneratedPage, generate_pages

DEFAULT_SITE_URL = "https://briefings.example.org/"
DEFAULT_SITE_NAME = "Briefing Archive"
MAX_WORKERS = 4  # forked workers for the generated pages of a big registry


class SiteError(Exception):
    """Input the site cannot be built from; one `path:line: field: message` line per problem."""

    def __init__(self, problems: list[BuildError | RegistryError]):
        self.problems = problems
        count = len(problems)
        super().__init__(
            f"{count} problem{'s' if count != 1 else ''} in the archive; fix them and build again:\n"
            + "\n".join(str(p) for p in problems)
        )

    def __reduce__(self):
        # By its problems: the default pickling calls cls(*args), the message, not the list.
        return type(self), (self.problems,)


@dataclass(frozen=True)
class Site:
    registry: Registry
    matcher: ActorMatcher
    briefings: list[Briefing]
    graph: ArchiveGraph
    pages: list[GeneratedPage]
    # path -> first running-text mention of each actor in the briefing's body: found once,
    # used for the graph and again to link the body when the page is rendered.
    first_mentions: dict[str, list[Mention]]
    # path -> {actor id: running-text mentions in the body}: the header ranks actors by them.
    mention_counts: dict[str, dict[str, int]]


def briefing_actors(briefing: Briefing, mentions: Iterable[Mention]) -> tuple[str, ...]:
    """The briefing's listed actors, then any other registry actor its text names.

    Matching the body at build time means a registry change (a new actor or alias)
    reaches actor pages, graphs and links on the next build, without rewriting files.
    """
    return tuple(dict.fromkeys([*briefing.meta.actors, *(m.actor_id for m in mentions)]))


def load_site(
    docs_dir: Path,
    registry_path: Path,
    *,
    site_url: str = DEFAULT_SITE_URL,
    site_name: str = DEFAULT_SITE_NAME,
    cache: SiteCache | None = None,
) -> Site:
    """Read and check everything, then compute every generated page. Raises SiteError.

    With the `cache` of a previous call (`mkdocs serve` keeps one), only the files that
    changed since are read and matched again (builder.site.incremental).
    """
    cache = cache if cache is not None else SiteCache()
    # MkDocs publishes what a link in docs/ points to: one out of the repository is refused.
    escaping = links_outside(docs_dir, Path(docs_dir).resolve().parent)
    if escaping:
        raise SiteError([BuildError(path, LINK_OUTSIDE) for path in escaping])
    try:
        registry, matcher = cache.load_registry(registry_path)
    except RegistryError as error:
        raise SiteError([error]) from None
    briefings, problems = cache.load_archive(Path(docs_dir), registry)
    if problems:
        raise SiteError(problems)
    root = os.fspath(Path(docs_dir).resolve().parent)
    # Actors the editor excluded in the raw file's sidecar: the text names them, but wrongly;
    # without this a false match removed by the editor would come back on every build.
    excluded = {b.path: cache.excluded_actors(os.path.join(root, b.meta.raw)) for b in briefings if b.meta.raw}
    found = cache.all_mentions(briefings, excluded)
    mentions = {path: firsts for path, (firsts, _) in found.items()}
    actors_of = {b.path: briefing_actors(b, mentions[b.path]) for b in briefings}
    # The graph and the pages read paths, metadata and actors, never a body: an edit of a
    # briefing's text alone reuses them (the slow part of a rebuild at 10,000 briefings).
    key = (site_url, site_name, tuple((b.path, b.meta, actors_of[b.path]) for b in briefings))
    if cache.graph_key != key or cache.derived is None:
        graph = build_graph(briefings, actors_of)
        pages = generate_pages(briefings, registry, site_url=site_url, site_name=site_name, graph=graph,
                               workers=forkpool.workers_if_alone(MAX_WORKERS))
        # The open data files (api/*.json, *.csv and their schemas) are generated files too:
        # MkDocs copies them as it copies feed.xml, and `export --format json` writes them.
        data = api_files(registry, graph, site_url=site_url, site_name=site_name)
        pages = sorted([*pages, *data], key=lambda page: page.path)
        cache.graph_key, cache.derived = key, (graph, pages)
    graph, pages = cache.derived
    return Site(registry=registry, matcher=matcher, briefings=briefings, graph=graph, pages=pages, first_mentions=mentions,
                mention_counts={path: counts for path, (_, counts) in found.items()})
