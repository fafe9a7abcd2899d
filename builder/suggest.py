"""Registry growth: names that recur across texts but are not in the actor registry.

`actors suggest` ranks them for editors (see docs/registry-guide.md); the registry itself and
the matcher live in `builder.actors`.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Iterable

from builder.actors import ActorMatcher, Registry, normalise


@dataclass(frozen=True)
class Suggestion:
    name: str  # the most frequent spelling
    count: int  # occurrences over all texts
    documents: tuple[int, ...]  # positions (0-based, in `texts` order) of the texts it occurs in


# Capitalised words that start sentences and headlines without naming anything.
COMMON_WORDS = frozenset(
    """
    a about after again against all also although an and another any are as at be because
    before being between both but by can could despite did do does during each even every
    few for from had has have he her here his how however i if in into is it its just last
    many may meanwhile might more most much my new next no nor not now of on once one only
    or other our over own same several she should since so some still such than that the
    their them then there these they this those though through thus to too under until up
    upon us very was we were what when where whether which while who whom whose why will
    with within without would yet you your
    according across amid among earlier finally first following further hence indeed instead
    later like moreover nevertheless nonetheless perhaps second then therefore third today
    unlike whereas yesterday mr mrs ms dr
    le la les un une des du de et en au aux dans pour par sur avec mais ou
    monday tuesday wednesday thursday friday saturday sunday
    january february march april may june july august september october november december
    """.split()
)
# Lower-case words allowed inside a name: "Coordination of Azawad Movements".
NAME_JOINERS = frozenset("of the and for de du des la le al el bin ibn".split())
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_SAME_PHRASE_GAP = re.compile(r"[ \t]+")  # words of one name are separated by spaces only


def suggest(texts: Iterable[str], registry: Registry, *, min_count: int = 2, limit: int = 50) -> list[Suggestion]:
    """Capitalised names and acronyms that recur in `texts` but are not in `registry`.

    Candidates are runs of two or more capitalised words (lower-case joiners such
    as "of" allowed inside: "Coordination of Azawad Movements") and acronyms of
    2-6 capitals. Text the registry already matches (ambiguous aliases included)
    is cut out first. A name never starts with a common word ("The", "June"), nor
    at the start of a sentence with a word the texts also use in lower case
    ("Later"). Title-case headline lines are skipped.
    Ranked by number of texts, then occurrences, then name.
    """
    texts = list(texts)
    matcher = ActorMatcher(registry)
    lower_case_words = {word for text in texts for word in _WORD.findall(text) if word.islower()}
    counts: Counter[str] = Counter()
    documents: dict[str, list[int]] = defaultdict(list)
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for position, text in enumerate(texts):
        seen: set[str] = set()
        for name in _candidate_names(_mask_known(matcher, text), lower_case_words):
            key = normalise(name)[0].strip()
            counts[key] += 1
            spellings[key][name] += 1
            seen.add(key)
        for key in seen:
            documents[key].append(position)
    ranked = sorted(
        (key for key, count in counts.items() if count >= min_count),
        key=lambda key: (-len(documents[key]), -counts[key], key),
    )
    return [
        Suggestion(name=_most_common(spellings[key]), count=counts[key], documents=tuple(documents[key]))
        for key in ranked[:limit]
    ]


_MASK = "\x00"


def _mask_known(matcher: ActorMatcher, text: str) -> str:
    """`text` with every registry match blanked out, so no candidate runs through it."""
    pieces, position = [], 0
    for original_start, original_end in matcher.known_spans(text):
        pieces += [text[position:original_start], _MASK * (original_end - original_start)]
        position = original_end
    pieces.append(text[position:])
    return "".join(pieces)


def _is_headline(line: str) -> bool:
    """A title-case line: "Mali Defends Reliance on Russian Counterterrorism Assistance"."""
    long_words = [w for w in _WORD.findall(line) if len(w) >= 4]
    return 2 <= len(long_words) <= 15 and all(w[0].isupper() for w in long_words)


def _candidate_names(text: str, lower_case_words: set[str]) -> Iterable[str]:
    for line in text.split("\n"):
        if not _is_headline(line):
            yield from _candidate_names_in_line(line, lower_case_words)


def _candidate_names_in_line(line: str, lower_case_words: set[str]) -> Iterable[str]:
    run: list[re.Match[str]] = []

    def flush() -> Iterable[str]:
        while run and run[-1].group() in NAME_JOINERS:
            run.pop()
        if len(run) >= 2 and not all(m.group().isupper() for m in run):  # "COM VIA REUTERS": a credit line
            yield _POSSESSIVE.sub("", line[run[0].start() : run[-1].end()])
        elif len(run) == 1 and _is_acronym_word(_POSSESSIVE.sub("", run[0].group())):
            yield _POSSESSIVE.sub("", run[0].group())
        run.clear()

    previous_end = 0
    for match in _WORD.finditer(line):
        word = match.group()
        gap = line[previous_end : match.start()]
        if not _SAME_PHRASE_GAP.fullmatch(gap):
            yield from flush()
        sentence_start = previous_end == 0 or bool(_SENTENCE_GAP.search(gap))
        previous_end = match.end()
        if word[:1].isupper():
            common = word.lower() in COMMON_WORDS or (sentence_start and word.lower() in lower_case_words)
            if run or not common or _is_acronym_word(word):
                run.append(match)
        elif run and word in NAME_JOINERS:
            run.append(match)
        else:
            yield from flush()
    yield from flush()


_SENTENCE_GAP = re.compile(r"[.!?:;\"“”«»(\[]\W*$")
_POSSESSIVE = re.compile(r"['’]s?$")


def _is_acronym_word(word: str) -> bool:
    return 2 <= len(word) <= 6 and word.isalpha() and word.isupper()


def _most_common(spellings: Counter[str]) -> str:
    return min(spellings.items(), key=lambda item: (-item[1], item[0]))[0]
