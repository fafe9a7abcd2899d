"""What one site build can reuse from the previous one in the same process (`mkdocs serve`).

`SiteCache` keeps the registry, every parsed briefing, its actor mentions and the sidecar
exclusions, each keyed by its file's (mtime, size): a rebuild re-reads only the files that
changed. When no briefing's path, metadata or actors changed (an edit of the text, the usual
case), the graph and the generated pages are those of the previous build: none of them
depends on a briefing's body.

`changed_pages` and `changed_briefings` say which pages a dirty rebuild (`mkdocs serve
--dirty`) must render again: generated pages whose text changed, and briefings whose page
shows something that changed elsewhere (their related briefings, the registry). A briefing
whose own file changed is MkDocs' business (it compares the file's and the output's mtimes).
No MkDocs import here.
"""

from __future__ import annotations

import functools
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from builder import forkpool
from builder.archive import matching, matching_keys
from builder.archive.actors import Registry
from builder.archive.registry_load import load_registry, registry_files
from builder.archive.matching import ActorMatcher, MATCHING_VERSION, Mention
from builder.archive.files import briefing_paths
from builder.errors import BuildError
from builder.archive.model import Briefing
from builder.archive.rawfiles import SIDECAR_SUFFIXES, excluded_actors
from builder.archive.schema import parse_briefing
from builder.site.linking import first_mentions, linkable_mentions, mention_counts

# The matching code: the matcher and the key table it is built from.
_MATCHER_SOURCE_DIGEST = hashlib.sha256(b"".join(Path(m.__file__).read_bytes() for m in (matching, matching_keys))).digest()

if TYPE_CHECKING:  # pipeline imports this module
    from builder.site.load import Site

Stamp = tuple[int, int]  # (st_mtime_ns, st_size): "this file did not change" without reading it
# What matching finds in a body: the first running-text mention of each actor, and how many
# running-text mentions each has (the briefing header ranks its actors by them).
Found = tuple[list[Mention], dict[str, int]]


def stamp(path: str | os.PathLike) -> Stamp | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


@dataclass
class SiteCache:
    """Inputs of the last build, reused when their files did not change. One per process."""

    registry_key: tuple[str, tuple[tuple[str, Stamp | None], ...]] | None = None
    registry: Registry | None = None
    matcher: ActorMatcher | None = None
    parsed: dict[str, tuple[Stamp, Briefing | None, list[BuildError]]] = field(default_factory=dict)
    reparsed: set[str] = field(default_factory=set)  # the briefings the last load_archive read again
    mentions: dict[str, tuple[str, str, frozenset[str], Found, Any]] = field(default_factory=dict)  # path -> (key, body, excluded, found, store)
    excluded: dict[str, tuple[Any, frozenset[str]]] = field(default_factory=dict)  # raw path -> (stamps, actors)
    graph_key: tuple | None = None  # what the graph and the generated pages were computed from
    derived: Any = None  # (graph, pages) of that key
    registry_digest: str = ""
    store: Any = None  # a RenderCache (builder.site.render_cache): mentions kept across processes

    def load_registry(self, path: Path) -> tuple[Registry, ActorMatcher]:
        """The registry and its automaton; the same objects while its files are unchanged (a
        folder's files: one added or removed counts). Raises RegistryError."""
        files = registry_files(path)
        key = (os.path.abspath(path), tuple((file.name, stamp(file)) for file in files))
        if key != self.registry_key or self.registry is None or self.matcher is None:
            registry = load_registry(path)
            # Cached mentions are keyed by this digest: the matching rules (their version and the
            # matcher's own source, so that a rule changed without a bump still counts), then every file.
            digest = hashlib.sha256(MATCHING_VERSION.encode() + b"\0" + _MATCHER_SOURCE_DIGEST)
            for file in files:
                digest.update(b"\0" + file.name.encode("utf-8") + b"\0" + file.read_bytes())
            self.registry_digest = digest.hexdigest()
            # Parsing checks actor ids and regions, mentions come from the automaton: all stale now.
            self.parsed.clear()
            self.mentions.clear()
            self.graph_key = self.derived = None
            self.registry, self.matcher, self.registry_key = registry, ActorMatcher(registry), key
        return self.registry, self.matcher

    def load_archive(self, docs_dir: Path, registry: Registry) -> tuple[list[Briefing], list[BuildError]]:
        """`builder.archive.files.load_archive`, re-reading only the files whose (mtime, size) changed."""
        known, allowed = frozenset(registry.by_id), tuple(registry.regions)
        briefings: list[Briefing] = []
        problems: list[BuildError] = []
        seen = {}
        self.reparsed = set()
        for rel, path in briefing_paths(docs_dir):
            key = stamp(path)
            cached = self.parsed.get(rel)
            if key is None or cached is None or cached[0] != key:
                cached = (key, *self._parse(docs_dir, rel, Path(path), known, allowed))
                self.reparsed.add(rel)
            seen[rel] = cached
            problems.extend(cached[2])
            if cached[1] is not None:
                briefings.append(cached[1])
        self.parsed = seen  # forget deleted files
        return briefings, problems

    @staticmethod
    def _parse(docs_dir: Path, rel: str, path: Path, known, allowed) -> tuple[Briefing | None, list[BuildError]]:
        shown = (docs_dir / rel).as_posix()
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            return None, [BuildError(shown, f"cannot be read as UTF-8 text ({exc.__class__.__name__})")]
        briefing, found = parse_briefing(shown, text, known_actors=known, regions=allowed)
        if briefing is None:
            return None, list(found)
        return Briefing(meta=briefing.meta, body=briefing.body, path=rel), list(found)

    def excluded_actors(self, raw_path: str) -> frozenset[str]:
        """`builder.archive.rawfiles.excluded_actors`, re-reading a sidecar only when it changed."""
        # Plain strings and os.stat of every sidecar name `sidecar_path` would try: pathlib's
        # parsing and hashing per briefing was most of a rebuild's time at 10,000 briefings.
        stem = os.path.splitext(raw_path)[0]
        key = tuple(stamp(stem + suffix) for suffix in SIDECAR_SUFFIXES)
        cached = self.excluded.get(raw_path)
        if cached is None or cached[0] != key:
            cached = (key, excluded_actors(Path(raw_path)) if any(key) else frozenset())
            self.excluded[raw_path] = cached
        return cached[1]

    def all_mentions(self, briefings: list[Briefing], excluded: dict[str, frozenset[str]]) -> dict[str, Found]:
        """The first running-text mention of each actor in each body and the actors' mention
        counts, minus the actors its sidecar excludes; those not known yet are matched together,
        on several processes when there are many (a cold build of 10,000 briefings)."""
        store = self.store
        found: dict[str, Found] = {}
        missing: list[tuple[Briefing, str]] = []  # (briefing, store key)
        for briefing in briefings:
            cached = self.mentions.get(briefing.path)
            exclusions = excluded.get(briefing.path, frozenset())
            # The same body, exclusions and store as last time (a registry change empties the dict):
            # reused without hashing the body again, ~15 ms per 1,000 briefings on every rebuild.
            if cached is not None and cached[4] is store and cached[2] == exclusions and cached[1] == briefing.body:
                if store is not None:
                    store.used.add(("mentions", cached[0]))  # still live: a full build keeps it
                found[briefing.path] = cached[3]
                continue
            key = store.key(self.registry_digest, _STORED_FORMAT, briefing.body, *sorted(exclusions)) if store is not None else ""
            stored = store.get(key, "mentions") if store is not None else None
            if stored is None:
                missing.append((briefing, key))
                continue
            found[briefing.path] = ([Mention(*fields[:4]) for fields in stored], {fields[0]: fields[4] for fields in stored})
            self.mentions[briefing.path] = (key, briefing.body, exclusions, found[briefing.path], store)
        assert self.matcher is not None or not missing
        matched = match_mentions(self.matcher, [briefing.body for briefing, _ in missing])
        for (briefing, key), (mentions, counts) in zip(missing, matched):
            exclusions = excluded.get(briefing.path, frozenset())
            if exclusions:  # the editor's sidecar says the text names them, but wrongly
                mentions = [m for m in mentions if m.actor_id not in exclusions]
                counts = {actor_id: n for actor_id, n in counts.items() if actor_id not in exclusions}
            if store is not None:
                store.put(key, [[m.actor_id, m.start, m.end, m.text, counts[m.actor_id]] for m in mentions], "mentions")
            self.mentions[briefing.path] = (key, briefing.body, exclusions, (mentions, counts), store)
            found[briefing.path] = (mentions, counts)
        return {briefing.path: found[briefing.path] for briefing in briefings}


# Stored mentions are [actor_id, start, end, text, count] lists; part of the key, so that entries
# of another shape (before counts were kept) are never read.
_STORED_FORMAT = "first-mentions+counts"

# Matching on several processes: from this many bodies on, forking two workers (which share the
# matcher already built) costs less than it saves; nothing but the bodies and the small lists of
# mentions crosses between processes.
PARALLEL_FROM = 1000
MAX_WORKERS = 4


def _found(matcher: ActorMatcher, body: str) -> Found:
    mentions = linkable_mentions(body, matcher)
    return first_mentions(mentions), mention_counts(mentions)


def _found_fields(matcher: ActorMatcher, body: str) -> tuple[list[tuple[str, int, int, str]], dict[str, int]]:
    firsts, counts = _found(matcher, body)
    return [(m.actor_id, m.start, m.end, m.text) for m in firsts], counts


def match_mentions(matcher: ActorMatcher | None, bodies: list[str]) -> list[Found]:
    """(first mentions, mention counts) of each body's running text, in order."""
    workers = forkpool.workers_if_alone(MAX_WORKERS)
    if len(bodies) < PARALLEL_FROM or not workers:
        return [_found(matcher, body) for body in bodies]
    found = forkpool.fork_imap(functools.partial(_found_fields, matcher), bodies, workers=workers, chunksize=64)
    return [([Mention(*fields) for fields in mentions], counts) for mentions, counts in found]


def changed_pages(old: Site | None, new: Site) -> set[str] | None:
    """Paths of generated pages (and feeds) whose text differs from `old`'s; None: all of them."""
    if old is None:
        return None
    if old.pages is new.pages:
        return set()
    before = {page.path: page.content for page in old.pages}
    return {page.path for page in new.pages if before.get(page.path) != page.content}


def changed_briefings(old: Site | None, new: Site, related_limit: int) -> set[str] | None:
    """Briefings whose page changes though their file did not; None: all of them.

    A briefing page shows its own file, its actors from the registry, and its related
    briefings (their paths, titles, dates): the latter change only for briefings that share
    an actor with a briefing that was added, removed, or changed its metadata or actors.
    """
    if old is None or old.registry is not new.registry:
        return None
    if old.graph is new.graph and old.first_mentions == new.first_mentions and old.mention_counts == new.mention_counts:
        return set()
    before = {b.path: (b.meta, old.graph.actors_of.get(b.path, ())) for b in old.briefings}
    after = {b.path: (b.meta, new.graph.actors_of.get(b.path, ())) for b in new.briefings}
    touched_actors: set[str] = set()
    for path in before.keys() | after.keys():
        if before.get(path) != after.get(path):
            for side in (before.get(path), after.get(path)):
                if side is not None:
                    touched_actors.update(side[1])
    candidates = {b.path for actor in touched_actors for b in new.graph.briefings_by_actor.get(actor, ())}
    # Its actors, linked mentions or their counts (the header's order) changed with a sidecar, not with its own file.
    changed = {
        path for path in before.keys() & after.keys()
        if before[path] != after[path] or old.first_mentions.get(path) != new.first_mentions.get(path)
        or old.mention_counts.get(path) != new.mention_counts.get(path)
    }
    for path in candidates:
        if path not in before:
            continue  # a new file: MkDocs builds it anyway
        if related_limit <= 0:
            continue
        was = [(b.path, b.meta, n) for b, n in old.graph.related_briefings(path, related_limit)]
        now = [(b.path, b.meta, n) for b, n in new.graph.related_briefings(path, related_limit)]
        if was != now:
            changed.add(path)
    return changed
