"""Open data: the archive as JSON and CSV files under `api/`, each with its JSON Schema.

Three tables, each described once (`TABLES`: its columns and their kinds), from which come
the JSON file, its CSV twin and the schema published beside them:

- `api/briefings.json|.csv`: one row per briefing (metadata, actor ids, its page's URL);
- `api/actors.json|.csv`: one row per registry actor (its page's URL when it has one, how
  many briefings name it, the first and last date it is named);
- `api/edges.json|.csv`: actors named together, one row per pair, with the number of
  briefings they share and the first and last date of those.

Deterministic: the same archive gives byte-identical files (rows sorted, no clock: a file
says what it was generated from by counts and the newest briefing's date). CSV files are
UTF-8 without a byte order mark, RFC 4180 (comma, CRLF line ends, double quotes around a
field that holds a comma, a quote or a line break); a list is one field, its items joined
with ";" (a ";" or "\\" inside an item is escaped with a backslash); an empty field is JSON's
null. Text is untrusted: a field that a spreadsheet would run as a formula (it starts with
=, +, -, @, a tab or a carriage return; or with an apostrophe) is written with a leading
apostrophe, OWASP's advice against CSV injection; the JSON holds every value exactly. No MkDocs import here.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations
from typing import Any, Iterable, Sequence

from builder import urls
from builder.archive.model import Briefing
from builder.site.actor_lists import actors_with_pages
from builder.site.graph import ArchiveGraph
from builder.site.markup import GeneratedPage, Registry

# The data format's version: "1.x" files only ever gain fields; a change that removes or
# renames a field, or changes its meaning, is "2.0" (docs/open-data.md, "Versions").
FORMAT_VERSION = "1.0"
API_DIR = "api"
SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
LIST_SEPARATOR = ";"

# Column kinds: how a value is written in JSON and CSV, and its JSON Schema.
TEXT, OPTIONAL_TEXT, DATE, URL, LIST, COUNT = "text", "optional text", "date", "url", "list", "count"
_DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_KIND_SCHEMAS: dict[str, dict[str, Any]] = {
    TEXT: {"type": "string"},
    OPTIONAL_TEXT: {"type": ["string", "null"], "minLength": 1},
    DATE: {"type": ["string", "null"], "format": "date", "pattern": _DATE_PATTERN},
    URL: {"type": ["string", "null"], "format": "uri", "pattern": "^https?://"},
    LIST: {"type": "array", "items": {"type": "string", "minLength": 1}},
    COUNT: {"type": "integer", "minimum": 0},
}


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    description: str


@dataclass(frozen=True)
class Table:
    name: str  # the files' stem and the JSON key of the rows: "briefings"
    title: str
    description: str
    columns: tuple[Column, ...]


BRIEFINGS = Table("briefings", "Briefings", "Every briefing of the archive, sorted by path (oldest first).", (
    Column("path", TEXT, "The briefing's source file under docs/: a stable identifier."),
    Column("title", TEXT, "The briefing's title."),
    Column("date", DATE, "Publication date of the original (YYYY-MM-DD); null when unknown."),
    Column("source", OPTIONAL_TEXT, "The publication the original appeared in."),
    Column("authors", LIST, "Authors of the original."),
    Column("url", URL, "The original article's URL."),
    Column("region", OPTIONAL_TEXT, "The region the briefing concerns."),
    Column("section", OPTIONAL_TEXT, "The original's section (Analysis, Commentary...)."),
    Column("summary", OPTIONAL_TEXT, "The lede, one or two sentences."),
    Column("tags", LIST, "The briefing's own tags."),
    Column("actors", LIST, "Ids of the actors the briefing names (see actors.json), as the site links them."),
    Column("page_url", TEXT, "The briefing's page on this site (absolute URL)."),
))
ACTORS = Table("actors", "Actors", "Every actor of the registry, named in a briefing or not, sorted by id.", (
    Column("id", TEXT, "The actor's registry id."),
    Column("name", TEXT, "The actor's name."),
    Column("type", TEXT, "state, armed-group, person, organisation, operation, mission or place."),
    Column("region", OPTIONAL_TEXT, "The actor's region."),
    Column("country", OPTIONAL_TEXT, "Id of the state the actor belongs to, when it has one."),
    Column("description", OPTIONAL_TEXT, "One line on who the actor is."),
    Column("aliases", LIST, "Other names the actor is found by."),
    Column("wikidata", OPTIONAL_TEXT, "The actor's Wikidata item (Q...)."),
    Column("page_url", URL, "The actor's page on this site; null when no briefing names it (no page)."),
    Column("briefings", COUNT, "How many briefings name the actor."),
    Column("first_mention", DATE, "Date of the oldest dated briefing naming the actor."),
    Column("last_mention", DATE, "Date of the newest dated briefing naming the actor."),
))
EDGES = Table("edges", "Co-occurrence edges", "Pairs of actors named in the same briefings, sorted by source, then target.", (
    Column("source", TEXT, "Id of one actor (the smaller id of the pair)."),
    Column("target", TEXT, "Id of the other actor."),
    Column("briefings", COUNT, "How many briefings name both."),
    Column("first_date", DATE, "Date of the oldest dated briefing naming both."),
    Column("last_date", DATE, "Date of the newest dated briefing naming both."),
))
TABLES = (BRIEFINGS, ACTORS, EDGES)


def api_path(table: Table, suffix: str) -> str:
    """The docs-relative path of one of a table's files: suffix ".json", ".csv" or ".schema.json"."""
    return f"{API_DIR}/{table.name}{suffix}"


API_FILES = tuple(api_path(t, s) for t in TABLES for s in (".json", ".csv", ".schema.json"))


# --------------------------------------------------------------------------- rows


def _text(value: str | None) -> str | None:
    return value if value else None  # "" and None are one thing: an empty CSV field


def briefing_rows(graph: ArchiveGraph, *, site_url: str) -> list[dict[str, Any]]:
    rows = []
    for briefing in sorted(graph.briefings, key=lambda b: b.path):
        meta = briefing.meta
        rows.append({
            "path": briefing.path,
            "title": meta.title,
            "date": meta.date,
            "source": _text(meta.source),
            "authors": list(meta.authors),
            "url": meta.url,
            "region": _text(meta.region),
            "section": _text(meta.section),
            "summary": _text(meta.summary),
            "tags": list(meta.tags),
            "actors": list(graph.actors_of.get(briefing.path, meta.actors)),
            "page_url": urls.absolute_url(site_url, briefing.path),
        })
    return rows


def _dates(briefings: Iterable[Briefing]) -> tuple[str | None, str | None]:
    dated = sorted(b.meta.date for b in briefings if b.meta.date)
    return (dated[0], dated[-1]) if dated else (None, None)


def actor_rows(registry: Registry, graph: ArchiveGraph, *, site_url: str) -> list[dict[str, Any]]:
    with_pages = {actor.id for actor in actors_with_pages(registry, graph)}
    rows = []
    for actor in sorted(registry.actors, key=lambda a: a.id):
        named_in = graph.briefings_by_actor.get(actor.id, ())
        first, last = _dates(named_in)
        rows.append({
            "id": actor.id,
            "name": actor.name,
            "type": actor.type,
            "region": _text(actor.region),
            "country": _text(actor.country),
            "description": _text(" ".join(actor.description.split())),  # YAML folded text: one line
            "aliases": list(actor.aliases),
            "wikidata": _text(actor.wikidata),
            "page_url": urls.absolute_url(site_url, urls.actor_page(actor.id)) if actor.id in with_pages else None,
            "briefings": len(named_in),
            "first_mention": first,
            "last_mention": last,
        })
    return rows


def edge_rows(graph: ArchiveGraph) -> list[dict[str, Any]]:
    """Every pair of actors named together: one pass over the briefings, k(k-1)/2 pairs for a
    briefing naming k actors (like `ArchiveGraph.together`, which counts the same pairs)."""
    shared: dict[tuple[str, str], list[Briefing]] = defaultdict(list)
    for briefing in graph.briefings:
        for pair in combinations(sorted(set(graph.actors_of.get(briefing.path, ()))), 2):
            shared[pair].append(briefing)
    rows = []
    for (source, target), briefings in sorted(shared.items()):
        first, last = _dates(briefings)
        rows.append({"source": source, "target": target, "briefings": len(briefings), "first_date": first, "last_date": last})
    return rows


# --------------------------------------------------------------------------- files


def to_json(data: Any) -> str:
    """JSON text as the api files write it: UTF-8 as is, two-space indent, a final newline."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def to_csv(table: Table, rows: Sequence[dict[str, Any]]) -> str:
    """The rows as RFC 4180 CSV with a header line: lists joined with ";", null as an empty field."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # the excel dialect: RFC 4180 quoting
    writer.writerow([column.name for column in table.columns])
    for row in rows:
        writer.writerow([_csv_field(column.kind, row[column.name]) for column in table.columns])
    return out.getvalue()


# A spreadsheet runs these as formulas; an apostrophe is added before each, and so before a
# field that starts with an apostrophe itself, so that a reader drops exactly one.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")


def _csv_field(kind: str, value: Any) -> str:
    if kind == LIST:
        text = LIST_SEPARATOR.join(item.replace("\\", "\\\\").replace(LIST_SEPARATOR, "\\" + LIST_SEPARATOR) for item in value)
    else:
        text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def schema(table: Table, *, site_url: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a table's JSON file."""
    row = {
        "type": "object",
        "required": [column.name for column in table.columns],
        "additionalProperties": False,
        "properties": {c.name: {**_KIND_SCHEMAS[c.kind], "description": c.description} for c in table.columns},
    }
    count = {"type": "integer", "minimum": 0}
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": urls.absolute_url(site_url, api_path(table, ".schema.json")),
        "title": f"{table.title} (open data, format {FORMAT_VERSION})",
        "description": table.description,
        "type": "object",
        "required": ["version", "generated_from", table.name],
        "additionalProperties": False,
        "properties": {
            "version": {"type": "string", "pattern": r"^1\.[0-9]+$",
                        "description": "The data format's version: 1.x files only gain fields."},
            "generated_from": {
                "type": "object",
                "description": "What the file was made from (no clock: the same archive gives the same bytes).",
                "required": ["site_name", "site_url", "briefings", "actors", "newest_briefing"],
                "additionalProperties": False,
                "properties": {
                    "site_name": {"type": "string"},
                    "site_url": {"type": "string", "format": "uri"},
                    "briefings": {**count, "description": "Briefings in the archive."},
                    "actors": {**count, "description": "Actors in the registry."},
                    "newest_briefing": {**_KIND_SCHEMAS[DATE], "description": "Date of the newest dated briefing."},
                },
            },
            table.name: {"type": "array", "items": row},
        },
    }


def api_files(registry: Registry, graph: ArchiveGraph, *, site_url: str, site_name: str) -> list[GeneratedPage]:
    """The nine files of `api/` (JSON, CSV and schema of each table), sorted by path."""
    generated_from = {
        "site_name": site_name,
        "site_url": site_url,
        "briefings": len(graph.briefings),
        "actors": len(registry.actors),
        "newest_briefing": _dates(graph.briefings)[1],
    }
    rows = {
        BRIEFINGS.name: briefing_rows(graph, site_url=site_url),
        ACTORS.name: actor_rows(registry, graph, site_url=site_url),
        EDGES.name: edge_rows(graph),
    }
    files = []
    for table in TABLES:
        document = {"version": FORMAT_VERSION, "generated_from": generated_from, table.name: rows[table.name]}
        files.append(GeneratedPage(api_path(table, ".json"), to_json(document)))
        files.append(GeneratedPage(api_path(table, ".csv"), to_csv(table, rows[table.name])))
        files.append(GeneratedPage(api_path(table, ".schema.json"), to_json(schema(table, site_url=site_url))))
    return sorted(files, key=lambda file: file.path)
