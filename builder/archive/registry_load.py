"""Loading the actor registry: its YAML files read (refusing YAML bombs), every entry
validated, the whole turned into a `Registry` (`load_registry`).

Separate from the data types (`builder.archive.actors`), which every wing uses; loading is
needed only where the registry is read, and `builder.archive.check_registry` reuses its
pieces to report every problem at once.

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
`builder.archive.check_registry` reports every problem at once, for ``briefings check``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from builder.archive.actors import ACTOR_TYPES, Actor, NotActor, Registry, RegistryError
from builder.archive.textfold import is_acronym, name_key
from builder.yamlsafe import first_expansion

REQUIRED_FIELDS = ("id", "name", "type", "description")
OPTIONAL_FIELDS = (
    "aliases", "wikidata", "country", "region", "ambiguous", "context", "not_context",
    "demonyms", "personal_names", "official_name", "iso_alpha2", "iso_alpha3", "state_body",
)
ISO_ALPHA2 = re.compile(r"[A-Z]{2}")
ISO_ALPHA3 = re.compile(r"[A-Z]{3}")
ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
WIKIDATA_PATTERN = re.compile(r"Q[1-9][0-9]*")

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
                key = name_key(alias)
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
            key = name_key(not_actor.phrase)
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
    return field == "aliases" and is_acronym(alias) and name_key(alias) in {name_key(a) for a in actor.ambiguous}


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
    if not name_key(entry["phrase"]):
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
    names_by_key = {name_key(name): name for name in own_names}
    for key in ("ambiguous", "demonyms", "personal_names"):
        for word in lists[key]:
            if name_key(word) not in names_by_key:
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
