"""Who appears where: briefings by actor, actors seen together, related briefings.

Everything is computed in one pass over the briefings (plus one pass per actor list),
so the cost grows with the number of (briefing, actor) pairs, never briefings x briefings.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Iterable, Mapping

from builder.model import Briefing

# Related briefings are looked for among this many neighbours (by date) in each shared
# actor's list: a popular actor (Mali) appears in thousands of briefings, and scanning
# all of them for every page would make the build quadratic.
RELATED_WINDOW = 60


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

    def mention_count(self, actor_id: str) -> int:
        return len(self.briefings_by_actor.get(actor_id, ()))

    def related_actors(self, actor_id: str, limit: int = 20) -> list[tuple[str, int]]:
        """Actors seen with `actor_id`, most shared briefings first, then by id."""
        counts = self.together.get(actor_id, Counter())
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]

    def related_briefings(self, path: str, limit: int = 5) -> list[tuple[Briefing, int]]:
        """Briefings sharing the most actors with `path`; ties go to the closest in time."""
        own = self.actors_of.get(path, ())
        shared: Counter[str] = Counter()
        order: dict[str, int] = {}  # distance in the actor lists: a stand-in for distance in time
        candidates: dict[str, Briefing] = {}
        for actor_id in own:
            siblings = self.briefings_by_actor.get(actor_id, [])
            here = self._position[actor_id][path]
            low, high = max(0, here - RELATED_WINDOW), here + RELATED_WINDOW + 1
            for index in range(low, min(high, len(siblings))):
                other = siblings[index]
                if other.path == path:
                    continue
                shared[other.path] += 1
                candidates[other.path] = other
                distance = abs(index - here)
                order[other.path] = min(order.get(other.path, distance), distance)
        ranked = sorted(shared, key=lambda p: (-shared[p], order[p], p))[:limit]
        return [(candidates[p], shared[p]) for p in ranked]


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
            for other in ids:
                if other != actor_id:
                    together[actor_id][other] += 1
    position = {actor_id: {b.path: i for i, b in enumerate(items)} for actor_id, items in by_actor.items()}
    return ArchiveGraph(
        briefings=ordered,
        actors_of=actors,
        briefings_by_actor=dict(by_actor),
        together=dict(together),
        _position=position,
    )
