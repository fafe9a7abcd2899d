"""The briefing file format: YAML frontmatter (fixed key order) + Markdown body.

`parse_briefing` reads one file and reports *every* problem of its frontmatter with the
line and field it concerns; `dump_briefing` writes the canonical form. Both sides go
through python-frontmatter for the `---` split and `yaml.safe_load`/`yaml.compose`
(safe) for the YAML, so line numbers come from the YAML parser itself.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
from pathlib import Path
from typing import Any, Iterable

import frontmatter
import yaml

from builder.errors import BuildError
from builder.yamlsafe import first_expansion
from builder.archive.fast_read import fast_frontmatter_lines
from builder.archive.model import Briefing, BriefingMeta, CitedSource

FIELD_ORDER = tuple(f.name for f in dataclasses.fields(BriefingMeta))
REQUIRED_FIELDS = ("title",)
LIST_FIELDS = ("authors", "tags", "actors", "review")
TEXT_FIELDS = ("title", "source", "url", "region", "section", "summary", "image_credit", "raw")
CITED_SOURCE_FIELDS = tuple(f.name for f in dataclasses.fields(CitedSource))

_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SAFE_URL = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)
_FRONTMATTER_HANDLER = frontmatter.YAMLHandler()


_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: same safety, faster


class SafeTextDateLoader(_BaseLoader):
    """yaml.SafeLoader that keeps timestamps as text, so that `2023-13-01` is reported, not raised."""


SafeTextDateLoader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))

# Limits for YAML from outside (a draft's frontmatter, a sidecar). What the builder writes is
# a few KB, flat, with no anchors; a "billion laughs" bomb is a few hundred bytes of anchors
# and aliases that expand to gigabytes, and deep nesting exhausts the parser's recursion.
MAX_YAML_CHARS = 64 * 1024


def load_untrusted_yaml(path: str | Path, yaml_text: str, *, first_line: int, field: str) -> Any:
    """`yaml.load` (safe, dates as text) of YAML from outside, after refusing, before anything
    is built, text over MAX_YAML_CHARS, anchors and aliases, and nesting deeper than
    `yamlsafe.MAX_DEPTH`. `first_line`: the file's line of the text's first line. Raises BuildError
    (naming `path`, the line and `field`) for those, yaml.YAMLError for broken YAML."""
    if len(yaml_text) > MAX_YAML_CHARS:
        raise BuildError(path, f"{field} is {len(yaml_text) // 1024} KB long; at most {MAX_YAML_CHARS // 1024} KB",
                         line=first_line, field=field)
    found = first_expansion(yaml_text)
    if found is not None:
        raise BuildError(path, found[1], line=first_line + found[0], field=field)
    return yaml.load(yaml_text, Loader=SafeTextDateLoader)  # a SafeLoader: no arbitrary objects


def iso_date(value: Any) -> str | None:
    """An ISO date string from a YAML date or a string, or None if it is not a real date."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and _ISO_DATE.match(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            return None
    return None


def safe_url(value: str) -> bool:
    """Only absolute http(s) URLs: no javascript:, data: or relative tricks."""
    return bool(_SAFE_URL.match(value))


def _key_lines(yaml_text: str, first_line: int) -> dict[str, int]:
    """Line of each top-level key, as the YAML parser saw it (1-based, in the file)."""
    try:
        node = yaml.compose(yaml_text, Loader=_BaseLoader)
    except yaml.YAMLError:
        return {}
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {
        k.value: first_line + k.start_mark.line for k, _ in node.value if isinstance(k, yaml.ScalarNode)
    }


def split_frontmatter(path: str, text: str) -> tuple[dict[str, Any], str, dict[str, int]]:
    """(frontmatter mapping, body, line of each key). Raises BuildError on broken YAML."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if not _FRONTMATTER_HANDLER.detect(text):
        raise BuildError(path, "no YAML frontmatter: the file must start with a '---' line", line=1)
    try:
        fm_text, body = _FRONTMATTER_HANDLER.split(text)
    except ValueError:
        raise BuildError(path, "frontmatter is not closed by a '---' line", line=1) from None
    # fm_text starts with the newline after the first ---: its line 0 is the file's line 1.
    fast = fast_frontmatter_lines(fm_text, 1)  # what the builder writes, without a YAML parser
    if fast is not None:
        return fast[0], body, fast[1]
    try:
        data = load_untrusted_yaml(path, fm_text, first_line=1, field="frontmatter")
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise BuildError(path, f"broken YAML ({problem}); fix the syntax", line=line, field="frontmatter") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise BuildError(path, "frontmatter must be a mapping of field: value", line=2, field="frontmatter")
    return data, body, _key_lines(fm_text, 1)


def validate_frontmatter(
    path: str,
    data: dict[str, Any],
    key_lines: dict[str, int],
    *,
    known_actors: Iterable[str] | None = None,
    regions: Iterable[str] | None = None,
) -> tuple[BriefingMeta | None, list[BuildError]]:
    """Check every field; return the typed metadata (None if unusable) and all problems."""
    problems: list[BuildError] = []

    def problem(field: str, message: str) -> None:
        problems.append(BuildError(path, message, line=key_lines.get(field, 1), field=field))

    values: dict[str, Any] = {}
    for key in data:
        if key not in FIELD_ORDER:
            problem(str(key), f"unknown field; allowed fields are: {', '.join(FIELD_ORDER)}")
    for key in REQUIRED_FIELDS:
        if data.get(key) in (None, ""):
            problem(key, "required field is missing or empty")
    for key in TEXT_FIELDS:
        value = data.get(key)
        if value is None:
            continue
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            problem(key, "must be a single line of text")
            continue
        values[key] = str(value).strip()
    for key in LIST_FIELDS:
        value = data.get(key)
        if value is None:
            continue
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
            problem(key, "must be a list of text items")
            continue
        values[key] = tuple(str(v).strip() for v in value)
    if "date" in data and data["date"] is not None:
        date = iso_date(data["date"])
        if date is None:
            problem("date", f"{data['date']!r} is not a date; write it as YYYY-MM-DD")
        else:
            values["date"] = date
    if values.get("url") and not safe_url(values["url"]):
        problem("url", "must be an absolute http:// or https:// URL")
    for key in ("raw_sha256", "sidecar_sha256", "generated_sha256"):
        value = data.get(key)
        if value is not None:
            if isinstance(value, str) and _HEX64.match(value):
                values[key] = value
            else:
                problem(key, "must be a 64-character lowercase hex SHA-256")
    raw = values.get("raw")
    if raw and (raw.startswith("/") or ".." in raw.split("/")):
        problem("raw", "must be a path inside the repository (no leading '/', no '..')")
    cited = data.get("cited_source")
    if cited is not None:
        if not isinstance(cited, dict):
            problem("cited_source", f"must be a mapping with keys {', '.join(CITED_SOURCE_FIELDS)}")
        else:
            unknown = sorted(set(map(str, cited)) - set(CITED_SOURCE_FIELDS))
            if unknown:
                problem("cited_source", f"unknown key(s) {', '.join(unknown)}; allowed: {', '.join(CITED_SOURCE_FIELDS)}")
            fields = {k: (str(v).strip() if v is not None else None) for k, v in cited.items() if k in CITED_SOURCE_FIELDS}
            if cited.get("date") is not None:
                fields["date"] = iso_date(cited["date"])
                if fields["date"] is None:
                    problem("cited_source", f"date {cited['date']!r} is not a date; write it as YYYY-MM-DD")
            values["cited_source"] = CitedSource(**fields)
    if known_actors is not None and "actors" in values:
        known = known_actors if isinstance(known_actors, (set, frozenset)) else set(known_actors)
        for actor_id in values["actors"]:
            if actor_id not in known:
                problem("actors", f"unknown actor id {actor_id!r}; add it to the registry or remove it")
    if regions is not None and values.get("region"):
        allowed = list(regions)
        if values["region"] not in allowed:
            problem("region", f"{values['region']!r} is not a region; use one of: {', '.join(allowed)}")
    if "title" not in values or not values["title"]:
        return None, problems
    return BriefingMeta(**values), problems


def parse_briefing(path: str, text: str, *, known_actors=None, regions=None) -> tuple[Briefing | None, list[BuildError]]:
    """Parse one briefing file; all frontmatter problems are returned, none raised."""
    try:
        data, body, key_lines = split_frontmatter(path, text)
    except BuildError as exc:
        return None, [exc]
    meta, problems = validate_frontmatter(path, data, key_lines, known_actors=known_actors, regions=regions)
    if meta is None:
        return None, problems
    return Briefing(meta=meta, body=body.strip("\n") + "\n", path=path), problems


def _yaml_value(value: Any) -> Any:
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, CitedSource):
        return {k: v for k, v in dataclasses.asdict(value).items() if v is not None}
    return value


def meta_mapping(meta: BriefingMeta, *, with_hash: bool = True) -> dict[str, Any]:
    """Frontmatter as an ordered mapping, empty fields left out."""
    out: dict[str, Any] = {}
    for name in FIELD_ORDER:
        if name == "generated_sha256" and not with_hash:
            continue
        value = _yaml_value(getattr(meta, name))
        if value in (None, "", [], {}):
            continue
        out[name] = value
    return out


# libyaml's emitter when PyYAML has it (10x faster; same output for our plain data).
_BaseDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Dumper(_BaseDumper):
    """Safe dumper that writes ISO dates as plain YAML dates and never uses aliases."""

    def ignore_aliases(self, data):  # noqa: D401 - yaml API
        return True


def _str_presenter(dumper, value: str):
    # Plain scalars where YAML allows them; a date-looking string stays a date for readers.
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _str_presenter)


def dump_yaml(mapping: dict[str, Any]) -> str:
    text = yaml.dump(mapping, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)
    # ISO date strings are written unquoted so that YAML readers see dates, as MkDocs plugins expect.
    return re.sub(r"^(date|  date): '(\d{4}-\d{2}-\d{2})'$", r"\1: \2", text, flags=re.MULTILINE)


def content_hash(meta: BriefingMeta, body: str) -> str:
    """Hash of what the builder writes, without the hash itself: a mismatch means a hand edit."""
    text = "---\n" + dump_yaml(meta_mapping(meta, with_hash=False)) + "---\n\n" + body.strip("\n") + "\n"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def dump_briefing(meta: BriefingMeta, body: str) -> str:
    """The canonical text of a briefing file (byte-identical for the same input)."""
    return "---\n" + dump_yaml(meta_mapping(meta)) + "---\n\n" + body.strip("\n") + "\n"


def stamped_text(meta: BriefingMeta, body: str) -> str:
    """The file's text with `generated_sha256` last in the frontmatter (one YAML dump, not two).

    The hash covers the text without its own line, so it equals `content_hash(meta, body)`.
    """
    text = dump_briefing(dataclasses.replace(meta, generated_sha256=None), body)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    end = text.index("\n---\n", 3) + 1
    return f"{text[:end]}generated_sha256: {digest}\n{text[end:]}"


def is_hand_edited(briefing: Briefing) -> bool:
    """True when the file no longer matches the hash the builder stored when writing it."""
    stored = briefing.meta.generated_sha256
    if stored is None:
        return True  # written or rewritten by a person
    return content_hash(briefing.meta, briefing.body) != stored


def briefing_text(briefing: Briefing) -> str:
    """The file's text, with the hash that lets a later run tell a hand edit from our own output."""
    return stamped_text(briefing.meta, briefing.body)
