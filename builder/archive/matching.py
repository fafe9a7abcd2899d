"""Finding registry actors in article text: `ActorMatcher`.

Matching
--------
Text and aliases go through the same `normalise`: casefold, strip diacritics
(Goïta = Goita), and turn every run of non-alphanumeric characters (spaces,
hyphens, apostrophes, dots, punctuation) into one space. So "al-Qaida",
"Al Qaida" and "al Qa'ida" are one key; "U.S." becomes "u s". Spelling variants
that differ in letters (al-Qaida / al-Qaeda) must be listed as aliases.

An actor's keys are its name, its aliases and its ``official_name``. All keys, and the
registry's *not-actor* phrases ("Sudan Tribune", "Georgia Tech": phrases that contain an
actor's name but never name an actor), sit in one Aho-Corasick automaton, padded with a
space on both sides, so one pass over an article finds every whole-word occurrence of
every key whatever the size of the registry. Of overlapping matches the leftmost-longest
wins: "Islamic State Sahel Province" beats "Islamic State", and "Sudan Tribune" (a
not-actor phrase) beats "Sudan" and then yields no mention. The rules below then look only
at the few matches they concern.

Case
----
Decided before the leftmost-longest choice, as if the automaton were case-sensitive:

* an alias written in capitals (at least two letters, no lower case: "UN", "AES",
  "U.S.") is an acronym and only matches text in capitals: the French article "un"
  is not the United Nations;
* an alias whose first letter is upper case only matches text whose first letter is
  upper case: "turkey" (the bird) is not Turkey, "Turkey" is.

An actor that spells one key both ways ("ISIS" and "Isis") gets the looser rule.

Ambiguous aliases
-----------------
Some names are also ordinary words or other people's names ("Wagner" the
composer, "AES", "Georgia"). An actor lists them under ``ambiguous:`` (its own name
included, when that is the ambiguous one) and may give ``context:`` and
``not_context:`` words. A match of an ambiguous alias counts only if

1. no ``not_context`` word or phrase is within `CONTEXT_WINDOW` words of it
   ("Richard Wagner", "Wagner's operas"), and
2. one of these holds:

   * the actor is *named*, that is matched by a non-ambiguous key, somewhere in the
     same text ("the Wagner Group ... Wagner's entry");
   * a ``context`` word is within `CONTEXT_WINDOW` words ("Wagner mercenaries");
   * **country cue**: the text names (unambiguously) another actor whose ``country`` is
     this actor ("Georgia" in a text naming Tbilisi), or, for an actor with a
     ``country``, that state or another actor of it ("RSF" in a text naming Sudan or
     Darfur).

A state's ``demonyms`` ("Malian", "French") are stricter: they count only where the
state itself is named (rule 2's first case; no context words, no country cue), or where
the next word names an organ of the state (`STATE_BODY_WORDS`: "Kenyan police", "Israeli
forces", "Iranian government", "Philippine coast guard"). So "the Russian agency Tass" or
"a Russian speaker" alone does not link Russia, and "Russian troops" does.

Ambiguity is settled after the leftmost-longest choice, so a rejected
ambiguous match leaves its span empty.

Personal names
--------------
``personal_names`` are names that are also people's given names or surnames ("Chad",
"Jordan"). Such a match directly beside another capitalised word of the original text,
separated by one space only ("Chad Wolf", "Michael Jordan", "Mr. Jordan"), is part of a
person's name and never counts. A preceding word does not make a person's name when it
starts a sentence ("Yesterday Chad ...": the character before it is ., !, ?, : or an
opening quote or bracket, or it starts the line) or when it is one of
`WORDS_BEFORE_A_PLACE` ("In Chad", "Northern Chad"). Title-case lines (headlines: most words capitalised) are exempt from the rule.
"""


from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

import ahocorasick

from builder.archive.matching_keys import MatchKey, country_cues, match_keys
from builder.archive.textfold import OffsetMap, name_key, normalise

if TYPE_CHECKING:  # the registry imports this module's rules, not the other way round
    from builder.archive.actors import Registry


# Bump when the matching rules change what a registry finds in a text: cached mentions
# (builder.site.incremental, .cache/render) are keyed by it.
MATCHING_VERSION = "5"
# A demonym directly followed by one of these words names the state's own government or
# forces ("Kenyan police", "Israeli forces"): it counts even where the state is not named.
STATE_BODY_WORDS = frozenset("""
    government authorities officials forces troops army military navy police president presidency
    minister ministry ministers embassy ambassador diplomats parliament junta regime soldiers cabinet
    leader leaders delegation intelligence defence defense foreign interior armed security coast air
    airstrikes warplanes warships negotiators envoy consulate prime state invasion offensive occupation
    strikes bombardment blockade annexation sanctions backed led sponsored funded allied aligned
""".split())
# "South African and Burundian troops": a demonym joined to another one shares its noun.
_JOINING_WORDS = frozenset(("and", "or"))

# How many words either side of an ambiguous match are searched for context.
CONTEXT_WINDOW = 5
# Capitalised words that may stand right before a place's name without making it a
# person's name ("In Chad", "Northern Jordan"), and titles that are not given names. Kept
# short: a sentence's first word is exempt anyway, and a longer list lets names through.
WORDS_BEFORE_A_PLACE = frozenset(
    """The In From To Of And Or For With By On At Into Across Against
    North South East West Northern Southern Eastern Western Central Upper Lower
    President King Emir""".split()
)
# Abbreviated titles: "Mr. Jordan" is a person even though a dot precedes the name.
HONORIFICS = frozenset("Mr. Mrs. Ms. Dr. Sen. Rep. Gov. Gen. Col. Lt. Sgt. Capt. Prof. St.".split())



@dataclass(frozen=True, slots=True)
class Mention:
    """One actor mention; start/end are offsets into the original text."""

    actor_id: str
    start: int
    end: int
    text: str


class ActorMatcher:
    """Find registry actors in text. Build once, use for every article."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self._context: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
            actor.id: (tuple(name_key(w) for w in actor.context), tuple(name_key(w) for w in actor.not_context))
            for actor in registry.actors
        }
        self._cues = country_cues(registry)
        # State bodies -> (their state, the state's names as keys): see `actor_ids`.
        self._state_names: dict[str, tuple[str, tuple[str, ...]]] = {}
        for actor in registry.actors:
            state = registry.get(actor.country) if actor.state_body and actor.country else None
            if state is not None and state.type == "state":
                names = (*state.names, *((state.official_name,) if state.official_name else ()), *state.demonyms)
                self._state_names[actor.id] = (state.id, tuple(f" {name_key(n)} " for n in names))
        self._automaton = ahocorasick.Automaton()
        for key, meaning in match_keys(registry).items():
            # Padding both sides with a space makes every hit a whole-word hit.
            self._automaton.add_word(f" {key} ", meaning)
        self._automaton.make_automaton()

    def known_spans(self, text: str) -> list[tuple[int, int]]:
        """Original (start, end) of every registry name or not-actor phrase in `text`, ambiguous
        ones included; not the personal names that are part of a person's name ("Chad Wolf")."""
        return [(start, end) for _, _, meaning, start, end in self._choose(text)[1] if meaning is not None]

    def find(self, text: str) -> list[Mention]:
        """Every accepted actor mention in `text`, in text order."""
        normalised, chosen = self._choose(text)
        # Not-actor phrases (actor None) and personal names beside another name (meaning None) yield nothing.
        named = {m.actor_id for _, _, m, _, _ in chosen if m is not None and not m.judged}
        named.discard(None)
        mentions = []
        for start, end, meaning, original_start, original_end in chosen:
            if meaning is None or meaning.actor_id is None:
                continue
            actor_id = meaning.actor_id
            if meaning.judged:
                actor_id = self._judge(normalised, start, end, meaning, named)
                if actor_id is None:
                    continue
            if meaning.final_dot and text[original_end : original_end + 1] == ".":
                original_end += 1
            mentions.append(Mention(actor_id, original_start, original_end, text[original_start:original_end]))
        return mentions

    def actor_ids(self, text: str) -> list[str]:
        """Ids of the actors mentioned in `text`, ordered by first mention.

        A state body named with its state's name ("Myanmar's military", "US forces", "the
        Chinese People's Liberation Army") names the state too: the state follows it here
        (not in `find`, whose spans never overlap: the words belong to the body's mention)."""
        ids = []
        for mention in self.find(text):
            ids.append(mention.actor_id)
            implied = self._state_names.get(mention.actor_id)
            if implied is not None:
                said = f" {name_key(mention.text)} "
                if any(name in said for name in implied[1]):
                    ids.append(implied[0])
        return list(dict.fromkeys(ids))

    def _choose(self, text: str) -> tuple[str, list[tuple[int, int, MatchKey | None, int, int]]]:
        """Leftmost-longest whole-word matches, ambiguous ones not yet judged, as
        (start, end in the normalised text, meaning, original start, original end).

        The case rules decide whether a key matched at all; a personal name that is part of a
        person's name keeps its span with meaning None. Both are looked at only for a match
        the choice would keep: skipping a rejected match without moving `reach` is the same
        as removing it before choosing, and costs a check per kept match, not per candidate.
        """
        normalised, offsets = normalise(text)
        chosen: list[tuple[int, int, MatchKey | None, int, int]] = []
        if not len(self._automaton):
            return normalised, chosen
        # padded[end_index] is the trailing pad; the key starts after the leading one.
        candidates = [
            (end_index - meaning.length - 1, end_index - 1, meaning)
            for end_index, meaning in self._automaton.iter(f" {normalised} ")
        ]
        # Leftmost-longest: sort by start, longer first; keep what does not overlap.
        candidates.sort(key=lambda c: (c[0], -c[1]))
        reach = 0
        for start, end, meaning in candidates:
            if start < reach:
                continue
            original_start, original_end = _original_span(text, offsets, start, end)
            if meaning.capital:
                if meaning.acronym:
                    if any(c.islower() for c in text[original_start:original_end]):
                        continue
                elif not text[original_start].isupper():
                    continue
            if meaning.personal and _in_a_persons_name(text, original_start, original_end):
                meaning = None
            chosen.append((start, end, meaning, original_start, original_end))
            reach = end
        return normalised, chosen

    def _judge(self, normalised: str, start: int, end: int, meaning: MatchKey, named: set[str]) -> str | None:
        """The actor an ambiguous or demonym match counts for, or None (see the module
        docstring). A shared acronym counts for the owner the text supports best: named in
        it, then a context word near the match, then a country cue; the first listed on a tie."""
        best: tuple[int, str] | None = None
        for actor_id in (meaning.actor_id, *meaning.shared_with):
            tier = self._support(actor_id, normalised, start, end, meaning.demonym, named)
            if tier and (best is None or tier < best[0]):
                best = (tier, actor_id)
        return best[1] if best is not None else None

    def _support(self, actor_id: str, normalised: str, start: int, end: int, demonym: bool, named: set[str]) -> int:
        """How the text supports this actor at this match: 1 named, 2 context (or, for a
        demonym, an organ of the state next to it), 3 a country cue; 0 not at all."""
        context, not_context = self._context[actor_id]
        if not_context:
            window = f" {_words_around(normalised, start, end, CONTEXT_WINDOW)} "
            if any(f" {word} " in window for word in not_context):
                return 0
        if actor_id in named:
            return 1
        if demonym:
            following = normalised[end + 1 : end + 80].split(" ", 4)
            if following[0] in _JOINING_WORDS and len(following) > 2:
                return 2 if following[2] in STATE_BODY_WORDS else 0  # "South African and Burundian troops"
            return 2 if following[0] in STATE_BODY_WORDS else 0
        if context:
            window = f" {_words_around(normalised, start, end, CONTEXT_WINDOW)} "
            if any(f" {word} " in window for word in context):
                return 2
        cues = self._cues.get(actor_id)
        return 3 if cues is not None and not cues.isdisjoint(named) else 0


def _words_around(normalised: str, start: int, end: int, count: int) -> str:
    """The match with up to `count` words either side (normalised text has single spaces)."""
    left = start
    for _ in range(count):
        if left <= 0:
            break
        left = normalised.rfind(" ", 0, left - 1) + 1
    right = end
    for _ in range(count):
        if right >= len(normalised):
            break
        found = normalised.find(" ", right + 1)
        right = len(normalised) if found < 0 else found
    return normalised[max(left, 0) : right]


def _original_span(text: str, offsets: OffsetMap, start: int, end: int) -> tuple[int, int]:
    original_start = offsets.original(start)
    original_end = offsets.original(end - 1) + 1
    # Combining marks (decomposed "ï") belong to the letter before them.
    while original_end < len(text) and unicodedata.combining(text[original_end]):
        original_end += 1
    return original_start, original_end


_SENTENCE_END = frozenset(".!?:\"“‘«([")


@functools.lru_cache(maxsize=1)
def _sentence_openers() -> frozenset[str]:
    """Words that open a sentence before a state's name without being a given name: English
    stopwords (stopwordsiso, as the cleaner uses them), a few time adverbs, and the words
    that may stand before a place."""
    import stopwordsiso  # ~20 ms, and only when a personal name starts a sentence's second word

    adverbs = {"yesterday", "tomorrow", "tonight", "overnight", "earlier", "separately", "elsewhere", "officially"}
    return frozenset(stopwordsiso.stopwords("en")) | adverbs | {w.casefold() for w in WORDS_BEFORE_A_PLACE}


def _in_a_persons_name(text: str, start: int, end: int) -> bool:
    """Is the original text[start:end] beside another capitalised word, one space away
    ("Chad Wolf", "Michael Jordan", "Mr. Jordan"), outside a title-case line?"""
    following = text[end + 1 : end + 2] if text[end : end + 1] == " " else ""
    beside = following.isupper()
    if not beside and start >= 2 and text[start - 1] == " " and not text[start - 2].isspace():
        word_start = start - 1
        while word_start > 0 and not text[word_start - 1].isspace():
            word_start -= 1
        word = text[word_start : start - 1]
        if word in HONORIFICS:
            beside = True
        elif word[:1].isupper() and word[-1].isalpha() and word not in WORDS_BEFORE_A_PLACE:
            before = text[:word_start].rstrip(" \t")
            if before == "" or before[-1] == "\n" or before[-1] in _SENTENCE_END:
                # First word of a sentence: a given name ("Denzel Washington starred"), unless it
                # is a function word or a sentence adverb ("Meanwhile Chad ...", "Yesterday Chad ...").
                beside = word.casefold() not in _sentence_openers()
            else:
                beside = True
    if not beside:
        return False
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    return not _is_title_case(text[line_start : line_end if line_end >= 0 else len(text)])


_LONG_WORD = re.compile(r"[^\W\d_][\w'’-]{3,}")


def _is_title_case(line: str) -> bool:
    """A headline-style line: most (4 in 5) of its words of four letters or more are capitalised."""
    words = _LONG_WORD.findall(line)
    return len(words) >= 2 and 5 * sum(1 for w in words if w[0].isupper()) >= 4 * len(words)
