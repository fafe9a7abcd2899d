"""The key table matching is built from: every normalised key of the registry (names, aliases,
official names, not-actor phrases) and what it means (`MatchKey`: its actor, its case rule,
whether it is ambiguous, a demonym or a personal name), and the country cues of ambiguous
actors.

Separate from `builder.archive.matching` (the matcher and its rules over a text) because
`refresh.ActorPrefilter` builds its own search from the same table. The rules themselves are
described in `builder.archive.matching`'s docstring.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from builder.archive.textfold import is_acronym, name_key

if TYPE_CHECKING:  # the registry imports this module's rules, not the other way round
    from builder.archive.actors import Registry


@dataclass(frozen=True, slots=True)
class MatchKey:
    """What one normalised key of the automaton means, and which rules its matches face."""

    actor_id: str | None  # None: a not-actor phrase, which wins its span and yields no mention
    length: int  # of the normalised key, without padding
    acronym: bool  # match only text in capitals
    capital: bool  # match only text whose first letter is upper case
    ambiguous: bool  # counts only when named, with context or with a country cue
    demonym: bool  # counts only when the state is named
    personal: bool  # never counts beside another capitalised word
    final_dot: bool = False  # "U.S.": the mention includes the dot that ends the alias
    judged: bool = False  # ambiguous or demonym: counts only in view of the text's other matches
    shared_with: tuple[str, ...] = ()  # other owners of a shared acronym, in registry order


# An Arabic article is written "Al-", "al-" or "el-" alike ("al-Arabiya", "Al Arabiya"): an
# alias that starts with one keeps no case rule (no English word is spelt that way).
_ARTICLE_PARTICLES = frozenset(("al", "el", "ad", "ag", "ash", "az"))


def _is_capitalised(alias: str) -> bool:
    first = re.split(r"[\s\-‐'’]", alias, maxsplit=1)[0]
    if first.lower() in _ARTICLE_PARTICLES and len(first) < len(alias):
        return False
    return alias[:1].isalpha() and alias[:1].isupper()


def match_keys(registry: Registry) -> dict[str, MatchKey]:
    """Every normalised key of the registry (names, aliases, official names, not-actor phrases)
    and what it means: the one table `ActorMatcher` and `refresh.ActorPrefilter` are built from."""
    keys: dict[str, MatchKey] = {}
    for actor in registry.actors:
        ambiguous = {name_key(a) for a in actor.ambiguous}
        demonyms = {name_key(a) for a in actor.demonyms}
        personal = {name_key(a) for a in actor.personal_names}
        for alias in actor.names:
            key = name_key(alias)
            known = keys.get(key)
            if known is not None and known.actor_id not in (None, actor.id):
                # A shared acronym (both owners list it as ambiguous: the loader made sure).
                keys[key] = dataclasses.replace(known, shared_with=(*known.shared_with, actor.id))
                continue
            # One actor may spell a key several ways ("ISIS", "Isis"): the loosest spelling's
            # case rule wins (any non-acronym spelling, any lower-case initial).
            keys[key] = MatchKey(
                actor.id, len(key),
                acronym=is_acronym(alias) and (known is None or known.acronym),
                capital=_is_capitalised(alias) and (known is None or known.capital),
                ambiguous=key in ambiguous, demonym=key in demonyms, personal=key in personal,
                final_dot=alias.endswith(".") or (known is not None and known.final_dot),
                judged=key in ambiguous or key in demonyms,
            )
    for not_actor in registry.not_actors:
        key = name_key(not_actor.phrase)
        keys.setdefault(key, MatchKey(
            None, len(key), acronym=is_acronym(not_actor.phrase), capital=_is_capitalised(not_actor.phrase),
            ambiguous=False, demonym=False, personal=False,
        ))
    return keys


def country_cues(registry: Registry) -> dict[str, frozenset[str]]:
    """actor id -> the actors whose unambiguous naming lets its ambiguous aliases count.

    Those whose ``country`` is the actor (Tbilisi for Georgia) and, for an actor with a
    ``country``, that state and its other actors (Sudan and Darfur for the RSF). Only actors
    with an ambiguous alias are listed.
    """
    of_country: dict[str, set[str]] = {}
    for actor in registry.actors:
        if actor.country is not None:
            of_country.setdefault(actor.country, set()).add(actor.id)
    cues: dict[str, frozenset[str]] = {}
    for actor in registry.actors:
        if not actor.ambiguous:
            continue
        found = set(of_country.get(actor.id, ()))
        if actor.country is not None:
            found |= {actor.country, *of_country.get(actor.country, ())}
        found.discard(actor.id)
        cues[actor.id] = frozenset(found)
    return cues

