"""The registry as `briefings check` sees it: every problem at once, not just the first.

`builder.actors.load_registry` stops at the first problem (it is what a build needs);
a contributor fixing a pull request wants all of them, each with its line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from builder.actors import Actor, Registry, RegistryError, load_registry, normalise
from builder.errors import BuildError

def check_registry(path: Path, shown: str) -> tuple[Registry, list[BuildError]]:
    """The registry to check briefings against, and every problem of the file.

    `load_registry` stops at the first problem; a reviewer wants them all, so the file is
    walked here for the problems that recur in pull requests (duplicate ids, one alias on two
    actors, actors without a description), and whatever else `load_registry` rejects is
    added. When the file is broken, briefings are checked against what could be read.
    """
    try:
        # Whatever the walk below reports, load_registry rejects too (a missing or duplicate
        # id, an empty description, a name claimed twice): a registry it accepts has no problem.
        return load_registry(path), []
    except RegistryError:
        pass
    problems: list[BuildError] = []
    try:
        source = path.read_text(encoding="utf-8")
        root = yaml.compose(source, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, UnicodeDecodeError) as exc:
        return Registry(actors=(), regions=()), [BuildError(shown, f"cannot read the registry ({exc.__class__.__name__})", line=1)]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return Registry(actors=(), regions=()), [
            BuildError(shown, f"broken YAML ({getattr(exc, 'problem', None) or 'syntax error'})", line=mark.line + 1 if mark else 1, field="yaml")
        ]
    top = _mapping(root)
    regions = [n.value for n in getattr(top.get("regions", (None, None))[1], "value", []) if isinstance(n, yaml.ScalarNode)]
    actor_nodes = getattr(top.get("actors", (None, None))[1], "value", [])
    actors: list[Actor] = []
    id_lines: dict[str, int] = {}
    owners: dict[str, tuple[str, int]] = {}  # normalised name or alias -> (actor id, line)
    for node in actor_nodes if isinstance(actor_nodes, list) else []:
        fields = _mapping(node)
        line = node.start_mark.line + 1
        actor_id = _scalar(fields.get("id"))
        label = repr(actor_id) if actor_id else f"on line {line}"
        if not actor_id:
            problems.append(BuildError(shown, "actor has no id", line=line, field="id"))
            continue
        if actor_id in id_lines:
            problems.append(BuildError(shown, f"duplicate id {actor_id!r} (first defined on line {id_lines[actor_id]})",
                                       line=_value_line(fields["id"]), field="id"))
            continue
        id_lines[actor_id] = _value_line(fields["id"])
        if not (_scalar(fields.get("description")) or "").strip():
            where = _value_line(fields["description"]) if "description" in fields else line
            problems.append(BuildError(shown, f"actor {label} has no description; write one factual line", line=where, field="description"))
        name = _scalar(fields.get("name")) or actor_id
        alias_nodes = [n for n in getattr(fields.get("aliases", (None, None))[1], "value", []) if isinstance(n, yaml.ScalarNode)]
        names = [(name, "name", _value_line(fields["name"]) if "name" in fields else line)]
        names += [(n.value, "aliases", n.start_mark.line + 1) for n in alias_nodes]
        kept: list[str] = []
        for alias, field, alias_line in names:
            key = normalise(str(alias))[0].strip()
            owner = owners.get(key)
            if owner is not None and owner[0] != actor_id:
                problems.append(BuildError(shown, f"{alias!r} of {actor_id!r} is already a name of {owner[0]!r} (line {owner[1]}); "
                                           "an alias may belong to one actor only", line=alias_line, field=field))
                continue
            owners.setdefault(key, (actor_id, alias_line))
            if field == "aliases":
                kept.append(str(alias))
        ambiguous = {normalise(a)[0].strip() for a in _scalars(fields.get("ambiguous"))}
        actors.append(Actor(
            id=actor_id, name=name, type=_scalar(fields.get("type")) or "", aliases=tuple(kept),
            description=_scalar(fields.get("description")) or "", country=_scalar(fields.get("country")),
            region=_scalar(fields.get("region")),
            ambiguous=tuple(a for a in kept if normalise(a)[0].strip() in ambiguous),
            context=tuple(_scalars(fields.get("context"))), not_context=tuple(_scalars(fields.get("not_context"))),
        ))
    try:
        registry = load_registry(path)
    except RegistryError as exc:
        if not any(p.line == (exc.line or 1) and p.field == exc.field for p in problems):
            problems.append(BuildError(shown, exc.message, line=exc.line or 1, field=exc.field))
        registry = Registry(actors=tuple(actors), regions=tuple(regions))
    return registry, problems


def _mapping(node: Any) -> dict[str, tuple[yaml.Node, yaml.Node]]:
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {k.value: (k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)}


def _scalar(pair: tuple[yaml.Node, yaml.Node] | None) -> str | None:
    if pair is None or not isinstance(pair[1], yaml.ScalarNode) or pair[1].tag.endswith(":null"):
        return None
    return str(pair[1].value)


def _scalars(pair: tuple[yaml.Node, yaml.Node] | None) -> list[str]:
    if pair is None or not isinstance(pair[1], yaml.SequenceNode):
        return []
    return [n.value for n in pair[1].value if isinstance(n, yaml.ScalarNode)]


def _value_line(pair: tuple[yaml.Node, yaml.Node]) -> int:
    return pair[1].start_mark.line + 1


