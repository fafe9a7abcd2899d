"""The registry as `briefings check` sees it: every problem at once, not just the first.

`builder.archive.registry_load.load_registry` stops at the first problem (it is what a
build needs); a contributor fixing a pull request wants all of them, each with its file and
line. The registry is one registry whatever the number of its files (`registry/`:
`regions.yml`, one file per type, `not-actors.yml`), so an id or an alias claimed twice is
reported across files, at the second place, naming the first.

Check also warns (as problems: `check` fails, a build does not) about a single-word alias
that is a common English word and is not marked ambiguous ("Mission", "Front", "Army"):
matched wherever an article uses the word, it would link the actor everywhere.
"""

from __future__ import annotations

import dataclasses
import functools
from pathlib import Path
from typing import Any

import yaml

from builder.archive.actors import Actor, Registry, RegistryError
from builder.archive.registry_load import (
    _compose, _load_actor, actor_name_nodes, file_keys, load_registry, registry_files, shareable,
)
from builder.archive.textfold import is_acronym, name_key
from builder.errors import BuildError

# An alias is a common English word when its lower-cased form is at least this frequent in
# English (wordfreq's Zipf scale, case-blind: 4.0 is ten times per million words; "army"
# 5.1, "front" 5.3, "mission" 4.9, but also "putin" 4.1 and "britain" 4.7) and the
# dictionary (Webster's, via english-words) knows it as a lower-case word and not as a
# proper noun: "army" but not "Putin" (no entry), "Britain" or "Turkey" (proper nouns).
COMMON_WORD_ZIPF = 4.0


def check_registry(path: Path, shown: str) -> tuple[Registry, list[BuildError]]:
    """The registry to check briefings against, and every problem of its files.

    `shown` is how problems name `path` (repository-relative); a folder's files are
    `shown/<file>`. When the registry is broken, briefings are checked against what could
    be read.
    """
    try:
        registry = load_registry(path)
    except RegistryError as exc:
        first = exc
    else:
        # A registry load_registry accepts has no problem but, maybe, common words.
        return registry, common_word_aliases(registry, path, shown)
    registry, problems = _walk(path, shown)
    problem = BuildError(_shown_file(Path(first.path), path, shown), first.message, line=first.line or 1, field=first.field)
    if not any((p.path, p.line, p.field) == (problem.path, problem.line, problem.field) for p in problems):
        problems.append(problem)
    return registry, problems + common_word_aliases(registry, path, shown)


def _shown_file(file: Path, path: Path, shown: str) -> str:
    return f"{shown}/{file.name}" if path.is_dir() else shown


def _walk(path: Path, shown: str) -> tuple[Registry, list[BuildError]]:
    """Every actor of every file, leniently: the problems that recur in pull requests (an
    actor's own fields, duplicate ids, one name on two actors, a country that is no state),
    all of them, and the actors that could be read."""
    folder = path.is_dir()
    problems: list[BuildError] = []
    regions: list[str] = []
    actor_files: list[tuple[Path, Any, yaml.Node]] = []
    for file in registry_files(path):
        file_shown = _shown_file(file, path, shown)
        try:
            data, root = _compose(str(file))
        except RegistryError as exc:
            problems.append(BuildError(file_shown, exc.message, line=exc.line or 1, field=exc.field))
            continue
        keys = file_keys(file, folder)[0]
        top = _mapping(root)
        if "regions" in keys:
            regions += [n.value for n in getattr(top.get("regions", (None, None))[1], "value", []) if isinstance(n, yaml.ScalarNode)]
        if "actors" in keys and isinstance(data, dict) and isinstance(data.get("actors"), list):
            actor_files.append((file, data["actors"], top["actors"][1]))

    actors: list[Actor] = []
    id_places: dict[str, str] = {}  # id -> where it was first defined
    owners: dict[str, tuple[str, str, bool]] = {}  # normalised name or alias -> (actor id, where, shareable)
    countries: list[tuple[str, int, str, str]] = []
    for file, entries, list_node in actor_files:
        file_shown = _shown_file(file, path, shown)

        def where(line: int) -> str:
            return f"{file.name}:{line}" if folder else f"line {line}"

        for index, (entry, node) in enumerate(zip(entries, getattr(list_node, "value", []))):
            fields = _mapping(node)
            line = node.start_mark.line + 1
            found: list[BuildError] = []
            try:
                actor = _load_actor(str(file), entry, node, index, regions)
            except RegistryError as exc:
                actor = _lenient_actor(entry, fields)
                message = exc.message
                if exc.field == "description" and actor is not None:
                    message = f"actor {actor.id!r} has no description; write one factual line"
                found.append(BuildError(file_shown, message, line=exc.line or 1, field=exc.field))
            if actor is None:
                problems += found
                continue
            if actor.id in id_places:
                problems.append(BuildError(file_shown, f"duplicate id {actor.id!r} (first defined on {id_places[actor.id]})",
                                           line=_value_line(fields["id"]), field="id"))
                continue
            id_places[actor.id] = where(_value_line(fields["id"]))
            kept: list[str] = []
            for name, field, name_node in actor_name_nodes(actor, fields):
                key = name_key(name)
                owner = owners.get(key)
                if owner is not None and owner[0] != actor.id and not (shareable(actor, field, name) and owner[2]):
                    found.append(BuildError(file_shown, f"{name!r} of {actor.id!r} is already a name of {owner[0]!r} ({owner[1]}); "
                                            "an alias may belong to one actor only", line=name_node.start_mark.line + 1, field=field))
                    continue
                owners.setdefault(key, (actor.id, where(name_node.start_mark.line + 1), shareable(actor, field, name)))
                if field == "aliases":
                    kept.append(name)
            if actor.country is not None and "country" in fields:
                countries.append((file_shown, _value_line(fields["country"]), actor.id, actor.country))
            problems += found
            actors.append(dataclasses.replace(actor, aliases=tuple(kept)))  # a name on two actors stays with the first
    states = {a.id for a in actors if a.type == "state"}
    for file_shown, line, actor_id, country in countries:
        if country not in states:
            problem = BuildError(file_shown, f"actor {actor_id!r}: {country!r} is not the id of a state", line=line, field="country")
            if not any((p.path, p.line, p.field) == (problem.path, problem.line, problem.field) for p in problems):
                problems.append(problem)
    return Registry(actors=tuple(actors), regions=tuple(regions)), problems


def _lenient_actor(entry: Any, fields: dict[str, tuple[yaml.Node, yaml.Node]]) -> Actor | None:
    """What can be read of an actor `_load_actor` rejected (None without an id)."""
    if not isinstance(entry, dict) or not isinstance(entry.get("id"), str) or not entry["id"].strip():
        return None

    def text(key: str) -> str | None:
        value = entry.get(key)
        return value.strip() if isinstance(value, str) and value.strip() else None

    def strings(key: str) -> tuple[str, ...]:
        value = entry.get(key)
        return tuple(v.strip() for v in value if isinstance(v, str) and v.strip()) if isinstance(value, list) else ()

    aliases = strings("aliases")
    alias_nodes = [n for n in getattr(fields.get("aliases", (None, None))[1], "value", [])]
    if len(alias_nodes) != len(aliases):  # a non-string alias: keep names and their lines paired
        aliases = tuple(n.value for n in alias_nodes if isinstance(n, yaml.ScalarNode))
        fields["aliases"] = (fields["aliases"][0], yaml.SequenceNode("tag:yaml.org,2002:seq",
                                                                     [n for n in alias_nodes if isinstance(n, yaml.ScalarNode)]))
    if "name" not in fields:
        fields["name"] = fields["id"]
    return Actor(
        id=entry["id"], name=text("name") or entry["id"], type=text("type") or "", aliases=aliases,
        description=text("description") or "", country=text("country"), region=text("region"),
        ambiguous=strings("ambiguous"), context=strings("context"), not_context=strings("not_context"),
        demonyms=strings("demonyms"), personal_names=strings("personal_names"),
        official_name=text("official_name") if "official_name" in fields else None,
    )


# ------------------------------------------------------------------ common words


def common_word_aliases(registry: Registry, path: Path, shown: str) -> list[BuildError]:
    """A problem for each single-word alias that is a common English word and not marked
    ambiguous (acronyms and demonyms aside: they have their own rules; an actor's name is
    what it is called, and the case rule keeps "china" the porcelain from China)."""
    flagged: list[tuple[Actor, str, float]] = []
    for actor in registry.actors:
        exempt = {name_key(a) for a in (actor.name, *actor.ambiguous, *actor.demonyms)}
        for name in dict.fromkeys(actor.aliases):
            key = name_key(name)
            if " " in key or key in exempt or is_acronym(name):
                continue
            frequency = _common_word_frequency(key)
            if frequency is not None:
                flagged.append((actor, name, frequency))
    if not flagged:
        return []
    places = _name_places(path, shown)
    problems = []
    for actor, name, frequency in flagged:
        file_shown, line, field = places.get((actor.id, name), (shown, 1, "aliases"))
        problems.append(BuildError(
            file_shown, f"{name!r} of {actor.id!r} is a common English word (Zipf frequency {frequency:.1f} >= "
            f"{COMMON_WORD_ZIPF}): list it under `ambiguous:` with context words, or drop it", line=line, field=field,
        ))
    return problems


def _common_word_frequency(word: str) -> float | None:
    """The word's Zipf frequency in English when it is a common lower-case word, else None."""
    from wordfreq import zipf_frequency  # a check-time dependency: imported only here

    frequency = zipf_frequency(word, "en")
    if frequency < COMMON_WORD_ZIPF:
        return None
    words = _dictionary()
    return frequency if word in words and word.capitalize() not in words else None


@functools.cache
def _dictionary() -> frozenset[str]:
    """Webster's words (english-words' "web2" list), as the dictionary writes them: common words
    in lower case, proper nouns capitalised."""
    from english_words import get_english_words_set  # a check-time dependency: imported only here

    return frozenset(get_english_words_set(["web2"], alpha=True))


def _name_places(path: Path, shown: str) -> dict[tuple[str, str], tuple[str, int, str]]:
    """(actor id, name as written) -> (file as shown, line, field) over the registry's files."""
    places: dict[tuple[str, str], tuple[str, int, str]] = {}
    for file in registry_files(path):
        try:
            _, root = _compose(str(file))
        except RegistryError:
            continue
        for node in getattr(_mapping(root).get("actors", (None, None))[1], "value", []):
            fields = _mapping(node)
            actor_id = _scalar(fields.get("id"))
            for field in ("name", "official_name", "aliases"):
                value = fields.get(field, (None, None))[1]
                for item in value.value if isinstance(value, yaml.SequenceNode) else [value] if value is not None else []:
                    if isinstance(item, yaml.ScalarNode):
                        places.setdefault((actor_id, item.value), (_shown_file(file, path, shown), item.start_mark.line + 1, field))
    return places


# ------------------------------------------------------------------ composed YAML


def _mapping(node: Any) -> dict[str, tuple[yaml.Node, yaml.Node]]:
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {k.value: (k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)}


def _scalar(pair: tuple[yaml.Node, yaml.Node] | None) -> str | None:
    if pair is None or not isinstance(pair[1], yaml.ScalarNode) or pair[1].tag.endswith(":null"):
        return None
    return str(pair[1].value)


def _value_line(pair: tuple[yaml.Node, yaml.Node]) -> int:
    return pair[1].start_mark.line + 1
