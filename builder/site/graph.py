"""Who appears where: briefings by actor, actors seen together, related briefings.

Everything is computed in one pass over the briefings (plus one pass per actor list),
so the cost grows with the number of (briefing, actor) pairs, never briefings x briefings.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Iterable, Mapping

from builder.archive.model import Briefing

# Related briefings: candidates are the time-neighbours (RELATED_WINDOW either side) of a
# briefing in the lists of its RELATED_SEEDS rarest actors; each candidate is then scored
# by the exact number of actors it shares. Rare actors say most about a briefing, and a
# popular actor (Mali) appears in thousands of briefings: scanning all of them for every
# page would make the build quadratic.
RELATED_SEEDS = 8
RELATED_WINDOW = 25
_UNDATED_DISTANCE = 10**7  # days: undated briefings come last among equals


def newest_first(briefings: Iterable[Briefing]) -> list[Briefing]:
    """Dated briefings newest first, then undated ones; ties in path order (stable, deterministic)."""
    by_path = sorted(briefings, key=lambda b: b.path)
    return sorted(by_path, key=lambda b: b.meta.date or "", reverse=True)


@dataclass(frozen=True)
class ArchiveGraph:
    """The archive as a graph of briefings and actors. Lists are newest first."""

    briefings: list[Briefing]  # newest first
    actors_of: dict[str, tuple[str, ...]]  # briefing path -> actor ids
    briefings_by_actor: dict[str, list[Briefing]]
    together: dict[str, Counter[str]]  # actor id -> {other actor id: briefings shared}
    _position: dict[str, dict[str, int]] = field(repr=False, compare=False)  # actor -> path -> index
    _day: dict[str, int] = field(repr=False, compare=False)  # path -> day number of its date
    # For related_briefings, which scores a few hundred candidates per briefing: each actor's
    # briefing paths (sliced and added to a set in C) and each briefing's actors as a bit mask
    # (shared actors = popcount of an AND, not a set intersection).
    _paths_by_actor: dict[str, list[str]] = field(repr=False, compare=False, default_factory=dict)
    _actor_mask: dict[str, int] = field(repr=False, compare=False, default_factory=dict)  # path -> bit per actor
    _by_path: dict[str, Briefing] = field(repr=False, compare=False, default_factory=dict)

    def mention_count(self, actor_id: str) -> int:
        return len(self.briefings_by_actor.get(actor_id, ()))

    def related_actors(self, actor_id: str, limit: int = 20) -> list[tuple[str, int]]:
        """Actors seen with `actor_id`, most shared briefings first, then by id."""
        counts = self.together.get(actor_id, Counter())
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]

    def related_briefings(self, path: str, limit: int = 5) -> list[tuple[Briefing, int]]:
        """Briefings sharing the most actors with `path`; ties go to the closest in time, then by path."""
        own = self.actors_of.get(path, ())
        seeds = sorted(own, key=lambda a: (len(self.briefings_by_actor.get(a, ())), a))[:RELATED_SEEDS]
        candidates: set[str] = set()
        for actor_id in seeds:
            here = self._position[actor_id][path]
            candidates.update(self._paths_by_actor[actor_id][max(0, here - RELATED_WINDOW) : here + RELATED_WINDOW + 1])
        candidates.discard(path)
        day = self._day.get(path)

        def distance(other: str) -> int:
            other_day = self._day.get(other)
            return _UNDATED_DISTANCE if day is None or other_day is None else abs(day - other_day)

        own_mask, masks = self._actor_mask.get(path, 0), self._actor_mask
        shared = {p: (own_mask & masks[p]).bit_count() for p in candidates}
        if len(shared) > limit:
            # Only candidates sharing at least the limit-th best count can be in the list: the
            # (costlier) time distance is computed for those few, not for every candidate.
            threshold = heapq.nlargest(limit, shared.values())[-1]
            shared = {p: n for p, n in shared.items() if n >= threshold}
        ranked = sorted(shared.items(), key=lambda item: (-item[1], distance(item[0]), item[0]))[:limit]
        return [(self._by_path[p], n) for p, n in ranked]


def build_graph(briefings: Iterable[Briefing], actors_of: Mapping[str, Iterable[str]] | None = None) -> ArchiveGraph:
    """Index `briefings`; `actors_of` overrides the actors of a briefing (default: its frontmatter)."""
    ordered = newest_first(briefings)
    actors: dict[str, tuple[str, ...]] = {}
    by_actor: dict[str, list[Briefing]] = defaultdict(list)
    together: dict[str, Counter[str]] = defaultdict(Counter)
    for briefing in ordered:
        ids = tuple(dict.fromkeys(actors_of[briefing.path] if actors_of and briefing.path in actors_of else briefing.meta.actors))
        actors[briefing.path] = ids
        for actor_id in ids:
            by_actor[actor_id].append(briefing)
            together[actor_id].update(ids)  # Counter.update counts in C; the self-count goes below
    for actor_id, counts in together.items():
        del counts[actor_id]
    position = {actor_id: {b.path: i for i, b in enumerate(items)} for actor_id, items in by_actor.items()}
    days = {b.path: dt.date.fromisoformat(b.meta.date).toordinal() for b in ordered if b.meta.date}
    bit = {actor_id: 1 << i for i, actor_id in enumerate(by_actor)}
    return ArchiveGraph(
        briefings=ordered,
        actors_of=actors,
        briefings_by_actor=dict(by_actor),
        together=dict(together),
        _position=position,
        _day=days,
        _paths_by_actor={actor_id: [b.path for b in items] for actor_id, items in by_actor.items()},
        _actor_mask={path: sum(bit[actor_id] for actor_id in ids) for path, ids in actors.items()},
        _by_path={b.path: b for b in ordered},
    )
