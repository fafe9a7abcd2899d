"""Registry growth: names that recur across texts but are not in the actor registry.

`actors suggest` ranks them for editors and prints each as a registry entry to paste
(`registry_entry`: an id, the name, a type guessed from cue words, the acronyms seen in
brackets after the name, where it was seen); see docs/registry-guide.md. The registry
itself lives in `builder.archive.actors`, the matcher in `builder.archive.matching`.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Iterable

from slugify import slugify

from builder.archive.actors import Registry
from builder.archive.matching import ActorMatcher
from builder.archive.textfold import normalise

MAX_PLACES = 3  # where a suggestion was seen: its first occurrences, at most this many


@dataclass(frozen=True)
class Suggestion:
    name: str  # the most frequent spelling
    count: int  # occurrences over all texts
    documents: tuple[int, ...]  # positions (0-based, in `texts` order) of the texts it occurs in
    places: tuple[tuple[int, int], ...] = ()  # (text position, 1-based line in that text) of its first occurrences
    aliases: tuple[str, ...] = ()  # acronyms written in brackets right after it: "Zorgan Brigade (ZB)"
    type: str = "organisation"  # guessed from cue words (`guess_type`)
    cue: str = ""  # the word the type was guessed from

    @property
    def id(self) -> str:
        return slugify(self.name)


# Cue words for the type of a suggested actor (`guess_type`), checked in this order.
OPERATION_CUE = re.compile(r"^(Operation|Opération|Operación)\b")
MISSION_CUE = re.compile(r"\b(Mission|MINU\w*|EUTM|EUCAP|EUNAVFOR|UNMISS|UNAMID)\b")
ARMED_GROUP_CUE = re.compile(r"\b(Army|Forces|Brigade|Brigades|Front|Movement|Militia)\b")
# Titles before two or three capitalised words make a person: "President Aminata Dicko", "JNIM leader Iyad Ag Ghaly".
PERSON_TITLES = frozenset("president general minister colonel leader commander prime".split())
_BRACKETED_ACRONYM = re.compile(r"\s*\(\s*([A-Z][A-Za-z0-9&.-]{1,11})\s*\)")
# Where a type's entries go in the registry folder.
FILE_OF_TYPE = {
    "state": "states.yml", "place": "places.yml", "organisation": "organisations.yml", "armed-group": "armed-groups.yml",
    "person": "people.yml", "mission": "missions.yml", "operation": "missions.yml",
}


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
    ("Later"). Title-case headline lines are skipped. A title before a name
    ("President Aminata Dicko") is not part of it: it makes the name a person's.
    An acronym seen in brackets after a name is that name's alias, not a
    suggestion of its own.
    Ranked by number of texts, then occurrences, then name.
    """
    texts = list(texts)
    matcher = ActorMatcher(registry)
    lower_case_words = {word for text in texts for word in _WORD.findall(text) if word.islower()}
    counts: Counter[str] = Counter()
    documents: dict[str, list[int]] = defaultdict(list)
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    places: dict[str, list[tuple[int, int]]] = defaultdict(list)
    aliases: dict[str, Counter[str]] = defaultdict(Counter)
    titles: dict[str, str] = {}  # name -> the person's title it was seen after
    for position, text in enumerate(texts):
        seen: set[str] = set()
        for name, line_number, title, acronym in _candidates(_mask_known(matcher, text), lower_case_words):
            key = normalise(name)[0].strip()
            counts[key] += 1
            spellings[key][name] += 1
            if len(places[key]) < MAX_PLACES and (position, line_number) not in places[key]:
                places[key].append((position, line_number))
            if acronym:
                aliases[key][acronym] += 1
            if title:
                titles.setdefault(key, title)
            seen.add(key)
        for key in seen:
            documents[key].append(position)
    # An acronym that is a recurring name's alias ("... Brigade (ZB)") is no suggestion of its own.
    alias_keys = {normalise(a)[0].strip() for key, seen in aliases.items() if counts[key] >= min_count for a in seen}
    ranked = sorted(
        (key for key, count in counts.items() if count >= min_count and key not in alias_keys),
        key=lambda key: (-len(documents[key]), -counts[key], key),
    )
    suggestions = []
    for key in ranked[:limit]:
        name = _most_common(spellings[key])
        found_aliases = tuple(sorted(aliases[key], key=lambda a: (-aliases[key][a], a)))
        kind, cue = guess_type(name, found_aliases, titles.get(key))
        suggestions.append(Suggestion(name=name, count=counts[key], documents=tuple(documents[key]), places=tuple(places[key]),
                                      aliases=found_aliases, type=kind, cue=cue))
    return suggestions


def guess_type(name: str, aliases: tuple[str, ...] = (), title: str | None = None) -> tuple[str, str]:
    """(type, the cue word) for a suggested name: a guess an editor checks, never more."""
    if OPERATION_CUE.search(name):
        return "operation", OPERATION_CUE.search(name).group(1)
    for text in (name, *aliases):
        if MISSION_CUE.search(text):
            return "mission", MISSION_CUE.search(text).group(1)
    if ARMED_GROUP_CUE.search(name):
        return "armed-group", ARMED_GROUP_CUE.search(name).group(1)
    if title and _looks_like_a_person(name.split()):
        return "person", title
    return "organisation", ""


def registry_entry(suggestion: Suggestion, seen_at: Iterable[str] = ()) -> str:
    """The suggestion as YAML to paste under `actors:` of the file its type goes to."""
    cue = f", from {suggestion.cue!r}" if suggestion.cue else ""
    lines = [
        f"# {suggestion.name}: {suggestion.count} times in {len(suggestion.documents)} briefing(s). "
        f"Goes to registry/{FILE_OF_TYPE[suggestion.type]} (type guessed{cue}: check it)",
    ]
    if suggestion.type == "armed-group" and suggestion.cue in ("Army", "Forces"):
        lines.append("# a state's army or forces are an organisation, in registry/state-forces.yml")
    lines += [
        f"  - id: {suggestion.id}",
        f"    name: {_yaml_scalar(suggestion.name)}",
        f"    type: {suggestion.type}",
    ]
    if suggestion.aliases:
        lines.append(f"    aliases: [{', '.join(_yaml_scalar(a) for a in suggestion.aliases)}]")
    lines += [
        "    description:  # one factual line (required)",
        "    # country: <id of its state>",
        "    # region: <one of registry/regions.yml>",
    ]
    lines += [f"    # seen: {place}" for place in seen_at]
    return "\n".join(lines) + "\n"


def briefing_line(file_text: str, title: str, body: str, text_line: int) -> int:
    """The line of a briefing file that line `text_line` of ``f"{title}\\n\\n{body}"`` (what
    `suggest` reads) comes from: the title's frontmatter line, or a line of the body."""
    if text_line <= 2:
        for number, line in enumerate(file_text.split("\n"), start=1):
            if line.startswith("title:"):
                return number
        return 1
    start = file_text.rfind(body) if body else -1
    body_line = file_text.count("\n", 0, start) + 1 if start >= 0 else 1
    return body_line + text_line - 3


def _yaml_scalar(text: str) -> str:
    """`text` as a YAML flow scalar: plain when that reads back the same, else double-quoted."""
    import yaml

    if text and not any(c in text for c in ":#,[]{}'\"&*!|>%@`") and yaml.safe_load(text) == text:
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


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


def _candidates(text: str, lower_case_words: set[str]) -> Iterable[tuple[str, int, str | None, str | None]]:
    """(name, 1-based line, the person's title before it, the acronym in brackets after it) of every candidate."""
    for number, line in enumerate(text.split("\n"), start=1):
        if _is_headline(line):
            continue
        for start, end in _candidate_spans_in_line(line, lower_case_words):
            words = line[start:end].split(" ")
            titles = 0
            while titles < len(words) and words[titles].lower() in PERSON_TITLES:
                titles += 1
            before = _WORD.findall(line[max(0, start - 30) : start])
            title = words[titles - 1] if titles else before[-1] if before and before[-1].lower() in PERSON_TITLES else None
            if not _looks_like_a_person(words[titles:]):
                title = None
            elif titles:  # "President Aminata Dicko": the title is not part of the name
                start += len(" ".join(words[:titles])) + 1
            bracketed = _BRACKETED_ACRONYM.match(line, end)
            acronym = bracketed.group(1) if bracketed and sum(c.isupper() for c in bracketed.group(1)) >= 2 else None
            yield _POSSESSIVE.sub("", line[start:end]), number, title, acronym


def _candidate_spans_in_line(line: str, lower_case_words: set[str]) -> Iterable[tuple[int, int]]:
    run: list[re.Match[str]] = []

    def flush() -> Iterable[tuple[int, int]]:
        while run and run[-1].group() in NAME_JOINERS:
            run.pop()
        if len(run) >= 2 and not all(m.group().isupper() for m in run):  # "COM VIA REUTERS": a credit line
            yield run[0].start(), run[-1].end()
        elif len(run) == 1 and _is_acronym_word(_POSSESSIVE.sub("", run[0].group())):
            yield run[0].start(), run[0].end()
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


def _looks_like_a_person(words: list[str]) -> bool:
    """Two or three capitalised words, none of them a word of a body's name ("Security Council")."""
    return 2 <= len(words) <= 3 and all(w[:1].isupper() and not w.isupper() for w in words) and not any(
        _BODY_WORD.fullmatch(_POSSESSIVE.sub("", w)) for w in words
    )


_BODY_WORD = re.compile(
    r"Council|Assembly|Committee|Commission|Union|Court|Agency|Ministry|Office|Party|Government|Bank|Group|Institute|"
    r"University|Alliance|Coalition|Army|Forces|Brigades?|Front|Movement|Militia|Mission|Operation|State|States|Republic"
)


def _is_acronym_word(word: str) -> bool:
    return 2 <= len(word) <= 6 and word.isalpha() and word.isupper()


def _most_common(spellings: Counter[str]) -> str:
    return min(spellings.items(), key=lambda item: (-item[1], item[0]))[0]
