"""Actor registry and alias matching.

The registry is curated data: the folder ``registry/`` (``regions.yml``, one file of actors
per type, ``not-actors.yml``; `registry_files`), or one file with the same top-level keys.
Every actor has an id, a name, a type, aliases and a one-line description. This module

* loads and validates it (`load_registry`), naming file, line and key on error;
* finds actor mentions in article text (`ActorMatcher`);
* and `builder.suggest` proposes names editors may want to add.

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

Registry errors
---------------
`load_registry` accepts only plain YAML (``yaml.safe_load``; ``yaml.compose``
for line numbers) and raises `RegistryError` with ``path``, ``line`` (1-based;
0 when the file cannot be read), ``field`` and ``message``; ``str()`` is
``path:line: field: message``. It rejects bad YAML, unknown or repeated fields,
missing or empty required fields, ids that are not slugs, duplicate ids, a type
outside `ACTOR_TYPES`, an unknown region, a ``country`` that is not a state, an
``ambiguous``, ``demonyms`` or ``personal_names`` entry that is not a name of the actor,
a name, alias or official name (after `normalise`) claimed by two actors, and a
not-actor phrase without its ``why`` or equal to an actor's name.
`builder.check_registry` reports every problem at once, for ``briefings check``.

Suggestions (`builder.suggest`) list capitalised multi-word names and acronyms
that recur in texts but that the registry does not match, for
``briefings actors suggest``.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from bisect import bisect_right
from itertools import accumulate
import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Iterable, Sequence
from typing import Any

import ahocorasick
import yaml

from builder.yamlsafe import first_expansion

ACTOR_TYPES = (
    "state",
    "armed-group",
    "person",
    "organisation",
    "operation",
    "place",
    "mission",
)
REQUIRED_FIELDS = ("id", "name", "type", "description")
OPTIONAL_FIELDS = (
    "aliases", "wikidata", "country", "region", "ambiguous", "context", "not_context",
    "demonyms", "personal_names", "official_name", "iso_alpha2", "iso_alpha3", "state_body",
)
ISO_ALPHA2 = re.compile(r"[A-Z]{2}")
ISO_ALPHA3 = re.compile(r"[A-Z]{3}")
ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
WIKIDATA_PATTERN = re.compile(r"Q[1-9][0-9]*")

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


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Actor:
    id: str
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    description: str = ""
    wikidata: str | None = None
    country: str | None = None  # id of a `state` actor
    region: str | None = None  # one of Registry.regions
    # Aliases that count only with context (see the module docstring).
    ambiguous: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    not_context: tuple[str, ...] = ()
    # States: adjectives and people's names ("Malian"), also in `aliases` (see the module docstring).
    demonyms: tuple[str, ...] = ()
    # Names that are also people's given names or surnames ("Chad", "Jordan").
    personal_names: tuple[str, ...] = ()
    official_name: str | None = None  # matched like an alias ("Republic of Mali")
    iso_alpha2: str | None = None
    iso_alpha3: str | None = None
    # An organ of its `country` (armed forces, ministries, services): a name of it that
    # contains the state's name ("Myanmar's military", "US forces") names the state too.
    state_body: bool = False

    @property
    def names(self) -> tuple[str, ...]:
        """Every key the actor claims: the name, every alias, then the official name."""
        if self.official_name is None:
            return (self.name, *self.aliases)
        return (self.name, *self.aliases, self.official_name)


@dataclass(frozen=True)
class NotActor:
    """A phrase that contains an actor's name but never names an actor ("Sudan Tribune")."""

    phrase: str
    why: str


@dataclass(frozen=True)
class Registry:
    actors: tuple[Actor, ...]
    regions: tuple[str, ...]
    not_actors: tuple[NotActor, ...] = ()
    by_id: dict[str, Actor] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_id", {actor.id: actor for actor in self.actors})

    def get(self, actor_id: str) -> Actor | None:
        return self.by_id.get(actor_id)

    def __len__(self) -> int:
        return len(self.actors)


@dataclass(frozen=True, slots=True)
class Mention:
    """One actor mention; start/end are offsets into the original text."""

    actor_id: str
    start: int
    end: int
    text: str


class RegistryError(Exception):
    """A registry that cannot be used; str() is "path:line: field: message"."""

    def __init__(self, path: str | Path, line: int, field: str, message: str) -> None:
        self.path = str(path)
        self.line = line  # 1-based; 0 when no line applies (unreadable file)
        self.field = field
        self.message = message
        super().__init__(f"{self.path}:{line}: {field}: {message}")

    def __reduce__(self):
        # By its fields: the default pickling calls cls(*args), which this __init__ cannot take.
        return type(self), (self.path, self.line, self.field, self.message)


# ---------------------------------------------------------------------- normalise


def _fold_char(char: str) -> str:
    """Casefolded, diacritic-free form of one character; " " for a separator."""
    if char.isalnum():
        decomposed = unicodedata.normalize("NFKD", char)
        folded = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
        # NFKD can turn a letter into letters + punctuation (e.g. "½"); keep it word-like.
        return "".join(c if c.isalnum() else " " for c in folded)
    if unicodedata.combining(char):
        return ""
    return " "


class _FoldCache(dict):
    def __missing__(self, char: str) -> str:
        folded = self[char] = _fold_char(char)
        return folded


_FOLD = _FoldCache()  # every non-ASCII character is folded once per process
# ASCII punctuation and whitespace -> " " (non-ASCII characters are folded before).
_ASCII_SEPARATORS = {code: " " for code in range(128) if not chr(code).isalnum()}
_SPACE_RUN = re.compile(r"  +")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


class OffsetMap(Sequence[int]):
    """Maps offsets in a normalised string back to the original string.

    ``offsets[i]`` is the original offset of normalised character ``i``;
    ``offsets[len(normalised)]`` is ``len(original)``. Stored as runs where
    both strings advance together, so it costs one entry per collapsed gap,
    not one per character.
    """

    def __init__(self, normalised_starts: list[int], original_starts: list[int], length: int, original_length: int):
        self._normalised_starts = normalised_starts
        self._original_starts = original_starts
        self._length = length
        self._original_length = original_length

    def __len__(self) -> int:
        return self._length + 1

    def __getitem__(self, index: int) -> int:  # type: ignore[override]
        if index < 0:
            index += self._length + 1
        if not 0 <= index <= self._length:
            raise IndexError(index)
        return self.original(index)

    def original(self, index: int) -> int:
        """`self[index]` without the bounds check, for the matcher's inner loop."""
        if index == self._length:
            return self._original_length
        run = bisect_right(self._normalised_starts, index) - 1
        return self._original_starts[run] + index - self._normalised_starts[run]


def normalise(text: str) -> tuple[str, OffsetMap]:
    """Normalise `text` for matching; return it with a map back to `text`.

    Casefolds, strips diacritics and turns every run of characters that are not
    letters or digits into one space. ``offset_map[i]`` is the offset in `text`
    of the character that normalised character ``i`` came from.
    """
    # A regex scan finds the few non-ASCII characters; set(text) would make a str per character.
    specials = [] if text.isascii() else sorted(set(_NON_ASCII.findall(text)))
    folded = text
    one_to_one = all(len(_FOLD[c]) == 1 for c in specials)
    if one_to_one:
        for char in specials:
            folded = folded.replace(char, _FOLD[char])
        folded = folded.lower()
        one_to_one = len(folded) == len(text)
    origin: list[int] | None = None
    if one_to_one:
        # Every character folded to exactly one: only collapsed runs shift offsets.
        folded = folded.translate(_ASCII_SEPARATORS)
    else:
        pieces = [_FOLD[c] if c in specials else (c.lower() if c.isalnum() else " ") for c in text]
        folded = "".join(pieces)
        origin = [i for i, piece in enumerate(pieces) for _ in piece]

    # One segment per collapsed run of spaces (the run's first space is kept): segment k starts
    # where run k-1 ends, shifted left by the spaces removed so far. Built in list
    # comprehensions: a text has hundreds of runs (every ". " and ", ").
    runs = [match.span() for match in _SPACE_RUN.finditer(folded)]
    original_starts = [0, *(end for _, end in runs)]
    removed = accumulate(end - start - 1 for start, end in runs)
    normalised_starts = [0, *(end - gone for (_, end), gone in zip(runs, removed))]
    normalised = _SPACE_RUN.sub(" ", folded) if runs else folded
    length = len(normalised)
    if origin is not None:
        # Characters did not fold one to one: record a run per original character.
        normalised_starts, original_starts = _runs(
            [origin[p + i - n] for n, p, size in _spans(normalised_starts, original_starts, length) for i in range(n, n + size)]
        )
    return normalised, OffsetMap(normalised_starts, original_starts, length, len(text))


def _spans(normalised_starts: list[int], folded_starts: list[int], length: int) -> Iterable[tuple[int, int, int]]:
    ends = normalised_starts[1:] + [length]
    return ((n, p, end - n) for n, p, end in zip(normalised_starts, folded_starts, ends))


def _runs(origin: list[int]) -> tuple[list[int], list[int]]:
    normalised_starts, original_starts = [], []
    for index, original in enumerate(origin):
        if not original_starts or original != original_starts[-1] + index - normalised_starts[-1]:
            normalised_starts.append(index)
            original_starts.append(original)
    return normalised_starts or [0], original_starts or [0]


_ASCII_WORDS = re.compile(r"[a-z0-9]+")


@functools.lru_cache(maxsize=None)
def _key(alias: str) -> str:
    """`normalise(alias)` without its offset map, stripped: the automaton's key of a name.
    Cached (a registry asks for each of its ~20,000 names several times); an ASCII name, most
    of them, is its lower-case words joined by one space, which is what `normalise` gives."""
    if alias.isascii():
        return " ".join(_ASCII_WORDS.findall(alias.lower()))
    return normalise(alias)[0].strip()


def _is_acronym(alias: str) -> bool:
    letters = [c for c in alias if c.isalpha()]
    return len(letters) >= 2 and not any(c.islower() for c in letters)


# ----------------------------------------------------------------------- registry


def _line(node: yaml.Node | None) -> int:
    return node.start_mark.line + 1 if node is not None else 1


def _mapping_nodes(node: yaml.Node) -> dict[str, tuple[yaml.Node, yaml.Node]]:
    """key -> (key node, value node) of a composed mapping node."""
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {k.value: (k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)}


def _string_list(
    path: str, value: Any, node: yaml.Node, key: str, actor_id: str
) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise RegistryError(path, _line(node), key, f"actor {actor_id!r}: must be a list of non-empty strings")
    return tuple(v.strip() for v in value)


_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


MAX_REGISTRY_FILE_CHARS = 8 * 1024**2  # the biggest file of registry/ is ~0.5 MB
REGIONS_FILE = "regions.yml"  # in a registry folder: the regions
NOT_ACTORS_FILE = "not-actors.yml"  # in a registry folder: the not-actor phrases; every other *.yml holds actors
NOT_ACTOR_FIELDS = ("phrase", "why")


def _compose(path: str) -> tuple[Any, yaml.Node | None]:
    """(plain data, composed root node) of one registry file; raise `RegistryError`."""
    try:
        source = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise RegistryError(path, 0, "file", f"cannot read registry: {error}") from error
    if len(source) > MAX_REGISTRY_FILE_CHARS:
        raise RegistryError(path, 1, "file", f"{len(source) // 1024**2} MB: at most {MAX_REGISTRY_FILE_CHARS // 1024**2} MB "
                                             "a registry file (split it)")
    try:
        # Registry files come in pull requests: a YAML bomb is refused before it is built.
        found = first_expansion(source)
        if found is not None:
            raise RegistryError(path, found[0] + 1, "yaml", found[1])
        # The composed nodes give every line; the same parse is then constructed into plain values
        # (one parse, not two). libyaml's safe loader when PyYAML has it: 5x faster on a big registry.
        loader = _SAFE_LOADER(source)
        try:
            root = loader.get_single_node()
            data = loader.construct_document(root) if root is not None else None  # safe: plain data only
        finally:
            loader.dispose()
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(error, "problem", None) or str(error)
        raise RegistryError(path, line, "yaml", f"invalid YAML: {problem}") from error
    return data, root


def registry_files(path: str | Path) -> list[Path]:
    """The files one registry is made of: `path` itself, or a folder's *.yml in name order."""
    path = Path(path)
    if path.is_dir():
        return sorted(p for p in path.glob("*.yml") if p.is_file())
    return [path]


def file_keys(path: str | Path, folder: bool) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(required, optional) top-level keys of one registry file."""
    if not folder:
        return ("regions", "actors"), ("not_actors",)
    name = Path(path).name
    if name == REGIONS_FILE:
        return ("regions",), ()
    if name == NOT_ACTORS_FILE:
        return ("not_actors",), ()
    return ("actors",), ()


def load_registry(path: str | Path) -> Registry:
    """Load and validate the actor registry at `path` (one file, or a folder of files that
    together make one registry); raise `RegistryError` naming the file and line."""
    folder = Path(path).is_dir()
    files = [str(p) for p in registry_files(path)]
    if folder and str(Path(path) / REGIONS_FILE) not in files:
        raise RegistryError(str(Path(path) / REGIONS_FILE), 0, "file", "a registry folder needs its regions file")
    parsed = [(name, *_compose(name)) for name in files]

    regions: list[str] | None = None
    actor_lists: list[tuple[str, list, list]] = []  # (file, entries, entry nodes)
    phrase_lists: list[tuple[str, list, list]] = []  # (file, not-actor entries, entry nodes)
    for name, data, root in parsed:
        required, optional = file_keys(name, folder)
        if not isinstance(data, dict):
            keys = " and ".join(repr(k) for k in required)
            raise RegistryError(name, _line(root), required[-1], f"the registry file must be a mapping with {keys}")
        top = _mapping_nodes(root)
        for key in required:
            if key not in data:
                raise RegistryError(name, 1, key, f"missing top-level key {key!r}")
        for key in data:
            if key not in required and key not in optional:
                raise RegistryError(name, _line(top[key][0]) if key in top else 1, str(key), "unknown top-level key")
        if "regions" in data:
            regions_node = top["regions"][1]
            regions = data["regions"]
            if not isinstance(regions, list) or not regions or not all(isinstance(r, str) for r in regions):
                raise RegistryError(name, _line(regions_node), "regions", "must be a non-empty list of region names")
            if len(set(regions)) != len(regions):
                raise RegistryError(name, _line(regions_node), "regions", "a region is listed twice")
        for key, lists in (("actors", actor_lists), ("not_actors", phrase_lists)):
            if key not in data:
                continue
            list_node = top[key][1]
            entries = data[key]
            if entries is None and (folder or key == "not_actors"):
                entries = []  # a new, still empty file of a folder
            if not isinstance(entries, list):
                raise RegistryError(name, _line(list_node), key, f"must be a list of {'actors' if key == 'actors' else 'phrases'}")
            entry_nodes = list_node.value if isinstance(list_node, yaml.SequenceNode) else []
            lists.append((name, entries, entry_nodes))
    assert regions is not None

    actors: list[Actor] = []
    id_lines: dict[str, str] = {}  # id -> "file:line" of its first definition
    owner_of_key: dict[str, tuple[str, str]] = {}  # normalised alias -> (actor id, "file:line")
    country_checks: list[tuple[str, str, str, int]] = []
    for name, entries, entry_nodes in actor_lists:
        for index, (entry, node) in enumerate(zip(entries, entry_nodes)):
            actor = _load_actor(name, entry, node, index, regions)
            where = _where(name, _line(node), folder)
            if actor.id in id_lines:
                raise RegistryError(
                    name, _line(_mapping_nodes(node)["id"][1]), "id",
                    f"duplicate id {actor.id!r} (first defined on {id_lines[actor.id]})",
                )
            id_lines[actor.id] = where

            fields = _mapping_nodes(node)
            for alias, key_name, alias_node in actor_name_nodes(actor, fields):
                key = _key(alias)
                if not key:
                    raise RegistryError(name, _line(alias_node), key_name, f"actor {actor.id!r}: {alias!r} has no letters or digits")
                owner = owner_of_key.get(key)
                shared = shareable(actor, key_name, alias)
                if owner is not None and owner[0] != actor.id and not (shared and owner[2]):
                    raise RegistryError(
                        name, _line(alias_node), key_name,
                        f"{alias!r} of {actor.id!r} is already claimed by {owner[0]!r} ({owner[1]})",
                    )
                owner_of_key.setdefault(key, (actor.id, _where(name, _line(alias_node), folder), shared))
            if actor.country is not None:
                country_checks.append((name, actor.id, actor.country, _line(fields["country"][1])))
            actors.append(actor)

    states = {a.id for a in actors if a.type == "state"}
    for name, actor_id, country, line in country_checks:
        if country not in states:
            raise RegistryError(name, line, "country", f"actor {actor_id!r}: {country!r} is not the id of a state")

    not_actors: list[NotActor] = []
    phrase_lines: dict[str, str] = {}
    for name, entries, entry_nodes in phrase_lists:
        for index, (entry, node) in enumerate(zip(entries, entry_nodes)):
            not_actor = _load_not_actor(name, entry, node, index)
            line = _line(_mapping_nodes(node)["phrase"][1])
            key = _key(not_actor.phrase)
            if key in owner_of_key:
                owner = owner_of_key[key]
                raise RegistryError(
                    name, line, "phrase", f"{not_actor.phrase!r} is a name of {owner[0]!r} ({owner[1]}); a not-actor phrase never is"
                )
            if key in phrase_lines:
                raise RegistryError(name, line, "phrase", f"{not_actor.phrase!r} is listed twice (first on {phrase_lines[key]})")
            phrase_lines[key] = _where(name, line, folder)
            not_actors.append(not_actor)
    return Registry(actors=tuple(actors), regions=tuple(regions), not_actors=tuple(not_actors))


def shareable(actor: Actor, field: str, alias: str) -> bool:
    """May this alias be another actor's too? Only an acronym that both list as ambiguous
    ("RSF": the Rapid Support Forces and the Rwanda Security Force): the matcher then picks,
    mention by mention, the owner the text supports (see the module docstring)."""
    return field == "aliases" and _is_acronym(alias) and _key(alias) in {_key(a) for a in actor.ambiguous}


def actor_name_nodes(actor: Actor, fields: dict[str, tuple[yaml.Node, yaml.Node]]) -> list[tuple[str, str, yaml.Node]]:
    """(name, field, value node) of every key a loaded actor claims, for messages with lines."""
    alias_nodes = fields["aliases"][1].value if "aliases" in fields else []
    named = [(actor.name, "name", fields["name"][1])]
    named += [(alias, "aliases", node) for alias, node in zip(actor.aliases, alias_nodes)]
    if actor.official_name is not None:
        named.append((actor.official_name, "official_name", fields["official_name"][1]))
    return named


def _load_not_actor(path: str, entry: Any, node: yaml.Node, index: int) -> NotActor:
    line = _line(node)
    if not isinstance(entry, dict):
        raise RegistryError(path, line, f"not_actors[{index}]", "each not-actor must be a mapping with phrase and why")
    fields = _mapping_nodes(node)
    for key in entry:
        if key not in NOT_ACTOR_FIELDS:
            raise RegistryError(path, _line(fields[key][0]) if key in fields else line, str(key), "unknown field of a not-actor phrase")
    for key in NOT_ACTOR_FIELDS:
        if key not in entry:
            raise RegistryError(path, line, key, f"not_actors[{index}]: missing required field")
        value = entry[key]
        if not isinstance(value, str) or not value.strip():
            raise RegistryError(path, _line(fields[key][1]), key, f"not_actors[{index}]: must be a non-empty string")
    if not _key(entry["phrase"]):
        raise RegistryError(path, _line(fields["phrase"][1]), "phrase", f"{entry['phrase']!r} has no letters or digits")
    return NotActor(phrase=entry["phrase"].strip(), why=entry["why"].strip())


def _where(path: str, line: int, folder: bool) -> str:
    """How a message points at another definition: "line 12", or "states.yml:12" in a folder."""
    return f"{Path(path).name}:{line}" if folder else f"line {line}"


def _load_actor(path: str, entry: Any, node: yaml.Node, index: int, regions: list[str]) -> Actor:
    line = _line(node)
    if not isinstance(entry, dict):
        raise RegistryError(path, line, f"actors[{index}]", "each actor must be a mapping")
    fields = _mapping_nodes(node)
    label = repr(entry.get("id", f"#{index + 1}"))
    seen_keys: set[str] = set()
    for key_node, _value in node.value:
        # YAML keeps the last of two equal keys silently; an editor meant something else.
        if key_node.value in seen_keys:
            raise RegistryError(path, _line(key_node), str(key_node.value), f"actor {label}: field given twice")
        seen_keys.add(key_node.value)

    def field_line(key: str) -> int:
        return _line(fields[key][1]) if key in fields else line

    for key in entry:
        if key not in REQUIRED_FIELDS and key not in OPTIONAL_FIELDS:
            raise RegistryError(path, _line(fields[key][0]), str(key), f"actor {label}: unknown field")
    for key in REQUIRED_FIELDS:
        if key not in entry:
            raise RegistryError(path, line, key, f"actor {label}: missing required field")
        value = entry[key]
        if not isinstance(value, str) or not value.strip():
            raise RegistryError(path, field_line(key), key, f"actor {label}: must be a non-empty string")

    actor_id = entry["id"]
    if not ID_PATTERN.fullmatch(actor_id):
        raise RegistryError(path, field_line("id"), "id", f"{actor_id!r} is not a slug (a-z, 0-9, single hyphens)")
    if entry["type"] not in ACTOR_TYPES:
        raise RegistryError(
            path, field_line("type"), "type", f"actor {label}: {entry['type']!r} is not one of {', '.join(ACTOR_TYPES)}"
        )
    if "state_body" in entry and (not isinstance(entry["state_body"], bool) or "country" not in entry):
        raise RegistryError(path, field_line("state_body"), "state_body", f"actor {label}: must be true or false, beside a country")
    for key in ("wikidata", "country", "region", "official_name", "iso_alpha2", "iso_alpha3"):
        if key in entry and not isinstance(entry[key], str):
            raise RegistryError(path, field_line(key), key, f"actor {label}: must be a string")
    if "wikidata" in entry and not WIKIDATA_PATTERN.fullmatch(entry["wikidata"]):
        raise RegistryError(path, field_line("wikidata"), "wikidata", f"actor {label}: {entry['wikidata']!r} is not a Q-id")
    for key, pattern in (("iso_alpha2", ISO_ALPHA2), ("iso_alpha3", ISO_ALPHA3)):
        if key in entry and not pattern.fullmatch(entry[key]):
            raise RegistryError(path, field_line(key), key, f"actor {label}: {entry[key]!r} is not an ISO 3166 code")
    if "region" in entry and entry["region"] not in regions:
        raise RegistryError(path, field_line("region"), "region", f"actor {label}: unknown region {entry['region']!r}")

    lists = {
        key: _string_list(path, entry.get(key), fields[key][1] if key in fields else node, key, actor_id)
        for key in ("aliases", "ambiguous", "context", "not_context", "demonyms", "personal_names")
    }
    own_names = (entry["name"], *lists["aliases"], *([entry["official_name"]] if "official_name" in entry else []))
    names_by_key = {_key(name): name for name in own_names}
    for key in ("ambiguous", "demonyms", "personal_names"):
        for word in lists[key]:
            if _key(word) not in names_by_key:
                raise RegistryError(path, field_line(key), key, f"actor {label}: {word!r} is not its name or one of its aliases")
    return Actor(
        id=actor_id,
        name=entry["name"].strip(),
        type=entry["type"],
        aliases=lists["aliases"],
        description=entry["description"].strip(),
        wikidata=entry.get("wikidata"),
        country=entry.get("country"),
        region=entry.get("region"),
        ambiguous=lists["ambiguous"],
        context=lists["context"],
        not_context=lists["not_context"],
        demonyms=lists["demonyms"],
        personal_names=lists["personal_names"],
        official_name=entry.get("official_name"),
        iso_alpha2=entry.get("iso_alpha2"),
        iso_alpha3=entry.get("iso_alpha3"),
        state_body=entry.get("state_body", False),
    )


# ------------------------------------------------------------------------ matcher


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
        ambiguous = {_key(a) for a in actor.ambiguous}
        demonyms = {_key(a) for a in actor.demonyms}
        personal = {_key(a) for a in actor.personal_names}
        for alias in actor.names:
            key = _key(alias)
            known = keys.get(key)
            if known is not None and known.actor_id not in (None, actor.id):
                # A shared acronym (both owners list it as ambiguous: the loader made sure).
                keys[key] = dataclasses.replace(known, shared_with=(*known.shared_with, actor.id))
                continue
            # One actor may spell a key several ways ("ISIS", "Isis"): the loosest spelling's
            # case rule wins (any non-acronym spelling, any lower-case initial).
            keys[key] = MatchKey(
                actor.id, len(key),
                acronym=_is_acronym(alias) and (known is None or known.acronym),
                capital=_is_capitalised(alias) and (known is None or known.capital),
                ambiguous=key in ambiguous, demonym=key in demonyms, personal=key in personal,
                final_dot=alias.endswith(".") or (known is not None and known.final_dot),
                judged=key in ambiguous or key in demonyms,
            )
    for not_actor in registry.not_actors:
        key = _key(not_actor.phrase)
        keys.setdefault(key, MatchKey(
            None, len(key), acronym=_is_acronym(not_actor.phrase), capital=_is_capitalised(not_actor.phrase),
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


class ActorMatcher:
    """Find registry actors in text. Build once, use for every article."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self._context: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
            actor.id: (tuple(_key(w) for w in actor.context), tuple(_key(w) for w in actor.not_context))
            for actor in registry.actors
        }
        self._cues = country_cues(registry)
        # State bodies -> (their state, the state's names as keys): see `actor_ids`.
        self._state_names: dict[str, tuple[str, tuple[str, ...]]] = {}
        for actor in registry.actors:
            state = registry.get(actor.country) if actor.state_body and actor.country else None
            if state is not None and state.type == "state":
                names = (*state.names, *((state.official_name,) if state.official_name else ()), *state.demonyms)
                self._state_names[actor.id] = (state.id, tuple(f" {_key(n)} " for n in names))
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
                said = f" {_key(mention.text)} "
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
