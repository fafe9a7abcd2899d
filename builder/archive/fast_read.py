"""Reading briefing files fast, for `briefings check` over thousands of them: the frontmatter
as `schema.dump_yaml` writes it, read without a YAML parser (`fast_frontmatter_lines`), the
line of each top-level key, and the file's text without a text-mode file object.

Separate from `builder.archive.schema`, the one definition of the format: this only reads
what the builder writes, and declines (None) whatever else, which then goes through the
schema's YAML loader.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

# What `dump_yaml` writes, read without a YAML parser: 10,000 briefings through libyaml would
# be a good part of a check's time. Anything unusual is left to `SafeTextDateLoader`.

_TOP_KEY = re.compile(r"([a-z_][a-z0-9_]*):(?: (.*))?")
_PLAIN_START = frozenset("-?:,[]{}#&*!|>'\"%@`<= \t")
_SCALAR_TAGS = ("tag:yaml.org,2002:str", "tag:yaml.org,2002:timestamp")


_RESOLVERS = {first: tuple(p for tag, p in resolvers if tag not in _SCALAR_TAGS)
              for first, resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.items()}
_PLAIN_SEEN: dict[str, str | None] = {}  # ids, names, dates, regions recur from briefing to briefing
_PLAIN_SEEN_MAX = 100_000


def _plain(value: str) -> str | None:
    """A plain or single-quoted one-line YAML scalar that means the text itself, else None."""
    if value in _PLAIN_SEEN:
        return _PLAIN_SEEN[value]
    result = _plain_uncached(value)
    if len(_PLAIN_SEEN) < _PLAIN_SEEN_MAX:
        _PLAIN_SEEN[value] = result
    return result


def _plain_uncached(value: str) -> str | None:
    if not value or value[0] in _PLAIN_START:
        if len(value) >= 2 and value[0] == value[-1] == "'" and "'" not in value[1:-1].replace("''", ""):
            return value[1:-1].replace("''", "'")
        return None
    if ": " in value or " #" in value or value[-1] in " \t:" or "\t" in value:
        return None
    for pattern in _RESOLVERS.get(value[0], ()):
        if pattern.match(value):
            return None  # a number, a boolean or null: let YAML say which
    return value


def fast_frontmatter(fm_text: str) -> dict[str, Any] | None:
    """The frontmatter as `dump_yaml` writes it, read without a YAML parser; None when unsure.

    Top-level `key: text` (plain or single-quoted, folded over indented lines) and
    `key:` + `- item` lists only; anything else (nested mappings such as cited_source,
    flow lists, double quotes, numbers, booleans) returns None and goes through libyaml.
    The result is what `yaml.load` with `schema.SafeTextDateLoader` gives.
    """
    read = fast_frontmatter_lines(fm_text, 1)
    return read[0] if read is not None else None


def _continues(line: str) -> bool:
    return line[:2] == "  " and line[:3] != "  -"


def fast_frontmatter_lines(fm_text: str, first_line: int) -> tuple[dict[str, Any], dict[str, int]] | None:
    """`fast_frontmatter` and the line of each key (what `scan_key_lines` finds), in one pass."""
    data: dict[str, Any] = {}
    key_lines: dict[str, int] = {}
    lines = fm_text.split("\n")
    count, i = len(lines), 0

    def folded(first: str, i: int) -> tuple[str | None, int]:
        if i >= count or not _continues(lines[i]):
            return _plain(first), i  # the usual case: one line
        parts = [first]
        while i < count and _continues(lines[i]):
            parts.append(lines[i].strip())
            i += 1
        if parts[0][0] == "'" or any(not p or _plain(p) is None for p in parts[1:]):
            return None, i
        return _plain(" ".join(parts)), i

    while i < count:
        line = lines[i]
        i += 1
        if not line:
            continue
        match = _TOP_KEY.fullmatch(line)
        if match is None or match.group(1) in data:
            return None
        key, rest = match.groups()
        key_lines[key] = first_line + i - 1
        if rest:
            value, i = folded(rest, i)
            if value is None:
                return None
            data[key] = value
            continue
        items: list[str] = []
        while i < count and lines[i][:2] == "- ":
            item, i = folded(lines[i][2:], i + 1)
            if item is None:
                return None
            items.append(item)
        if not items and i < count and lines[i][:1] in (" ", "\t", "-"):
            return None  # a nested mapping or an odd list
        data[key] = items if items else None
    return data, key_lines


def read_text(path: str | Path) -> str:
    """`path.read_text(encoding="utf-8")` (newlines translated alike) without a text-mode file object."""
    with open(path, "rb") as file:
        text = file.read().decode("utf-8")
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def scan_key_lines(fm_text: str, first_line: int) -> dict[str, int]:
    """Line of each top-level key: a key starts a line at column 0 (what dump_yaml writes)."""
    lines: dict[str, int] = {}
    for number, line in enumerate(fm_text.split("\n"), start=first_line):
        if line[:1] and line[0] not in " \t#-" and ":" in line:
            key = line.split(":", 1)[0].strip().strip("'\"")
            lines.setdefault(key, number)
    return lines
