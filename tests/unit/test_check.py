"""`check`: every problem of a seeded archive reported with its file, line and field; none on a clean one."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from builder.archive.check import check_archive, normalised_url
from builder.archive.duplicates import near_duplicates
from builder.cli import main

CASE = Path(__file__).resolve().parents[1] / "cases" / "check"
REPO = Path(__file__).resolve().parents[2]
B = "docs/briefings"

# (file, text on the reported line, field, part of the message): one of each problem.
EXPECTED = [
    # registry
    ("registry/state-forces.yml", "- Wagner PMC # PROBLEM", "aliases", "already a name of 'wagner-group' (armed-groups.yml:11)"),
    ("registry/states.yml", "- id: mali # PROBLEM", "id", "duplicate id 'mali' (first defined on states.yml:2)"),
    ("registry/state-forces.yml", "- id: fama # PROBLEM", "description", "no description"),
    ("registry/state-forces.yml", "- Army # PROBLEM", "aliases", "'Army' of 'fama' is a common English word"),
    # frontmatter against the schema
    (f"{B}/2022/2022-01-05-bad-fields.md", "colour: red", "colour", "unknown field"),
    (f"{B}/2022/2022-01-05-bad-fields.md", "summary:", "summary", "single line of text"),
    (f"{B}/2022/2022-01-05-bad-fields.md", "region: Mars", "region", "not a region"),
    (f"{B}/2022/2022-01-05-bad-fields.md", "actors:", "actors", "unknown actor id 'atlantis'"),
    (f"{B}/2022/2022-02-30-bad-date.md", "date:", "date", "not a date"),
    (f"{B}/undated/no-title.md", "---", "title", "required field"),
    # duplicates
    (f"{B}/2022/2022-03-01-same-raw.md", "raw_sha256:", "raw_sha256", "2021-10-06-clean-briefing.md"),
    (f"{B}/2022/2022-03-02-same-url.md", "url:", "url", "same URL as docs/briefings/2021/2021-10-06-clean-briefing.md"),
    (f"{B}/2022/2022-03-03-near-copy.md", "The transitional government", "body", "identical to docs/briefings/2021/"),
    # file names
    (f"{B}/2022/2022-02-30-bad-date.md", "date:", "filename", "briefings/undated/<slug>.md"),
    (f"{B}/2022/2022-04-01-Bad_Slug.md", "date:", "filename", "lower-case"),
    (f"{B}/2022/2022-05-01-wrong-date.md", "date:", "filename", "does not match the date 2022-05-02"),
    # bodies
    (f"{B}/2022/2022-06-01-raw-html.md", "<script>", "body", "raw HTML '<script>'"),
    (f"{B}/2022/2022-06-02-javascript-link.md", "javascript:", "body", "unsafe link"),
    (f"{B}/2022/2022-06-03-broken-link.md", "no-such-briefing.md", "body", "broken link '../2021/no-such-briefing.md'"),
    (f"{B}/2022/2022-06-03-broken-link.md", "actors/atlantis/", "body", "broken link '../../actors/atlantis/index.md'"),
    # the registry gained actors the briefing does not list yet
    (f"{B}/2022/2022-07-01-stale-actors.md", "actors:", "actors", "jnim, burkina-faso"),
    # raw files
    ("raw/never-ingested.txt", "A raw article", "raw", "never ingested"),
]


def line_of(root: Path, rel: str, needle: str) -> int:
    lines = (root / rel).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, start=1) if needle in line)


def run_check(root: Path, only=None):
    return check_archive(root, docs_dir=Path("docs"), registry_path=Path("registry"), raw_dir=Path("raw"), only=only)


@pytest.fixture()
def seeded(tmp_path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(CASE, root)
    return root


def test_every_seeded_problem_is_reported_with_file_line_and_field(seeded):
    problems = run_check(seeded)
    found = {(p.path, p.line, p.field): p.message for p in problems}
    for rel, needle, field, fragment in EXPECTED:
        key = (rel, line_of(seeded, rel, needle), field)
        assert key in found, f"not reported: {key} ({fragment}); got:\n" + "\n".join(map(str, problems))
        assert fragment in found[key], f"{key}: {found[key]!r} lacks {fragment!r}"
    # ... and nothing else: the clean briefing, the valid links, the excluded actor are fine.
    expected = {(rel, line_of(seeded, rel, needle), field) for rel, needle, field, _ in EXPECTED}
    assert set(found) == expected


def test_problems_are_sorted_and_printed_as_path_line_field_message(seeded):
    problems = run_check(seeded)
    assert problems == sorted(problems, key=lambda p: (p.path, p.line or 0, p.field or "", p.message))
    first = str(problems[0])
    assert first.startswith("docs/briefings/2022/2022-01-05-bad-fields.md:")
    registry_problem = next(p for p in problems if p.path.startswith("registry/"))
    assert str(registry_problem).startswith("registry/state-forces.yml:6: aliases: ")
    assert registry_problem.github_annotation().startswith("::error file=registry/state-forces.yml,line=6,")


def test_clean_links_footnotes_and_sidecar_exclusions_are_not_problems(seeded):
    flagged = {p.path for p in run_check(seeded)}
    assert f"{B}/2021/2021-10-06-clean-briefing.md" not in flagged  # actor, region, archive and .md links
    assert f"{B}/2022/2022-07-02-excluded-actor.md" not in flagged  # France excluded by raw/excluded-actor.yml
    assert "raw/excluded-actor.txt" not in flagged and "raw/clean-briefing.txt" not in flagged


def test_registry_gaining_an_alias_makes_a_briefing_stale(seeded):
    clean = f"{B}/2021/2021-10-06-clean-briefing.md"
    assert not [p for p in run_check(seeded) if p.path == clean]
    registry = seeded / "registry" / "states.yml"
    registry.write_text(registry.read_text().replace(
        "    description: Western European state.",
        "    description: Western European state.\n  - id: sahel\n    name: Sahel\n    type: place\n"
        "    description: The semi-arid belt south of the Sahara.",
    ))
    stale = [p for p in run_check(seeded) if p.path == clean]
    assert [(p.field, p.line) for p in stale] == [("actors", line_of(seeded, clean, "actors:"))]
    assert "sahel" in stale[0].message and "actors refresh" in stale[0].message


def test_only_limits_the_report_to_the_named_files(seeded):
    named = seeded / B / "2022/2022-03-03-near-copy.md"
    problems = run_check(seeded, only=[named])
    assert [(p.path, p.field) for p in problems] == [(f"{B}/2022/2022-03-03-near-copy.md", "body")]
    # A changed sidecar stands for its article; a changed registry brings every actors problem.
    assert {p.path for p in run_check(seeded, only=[Path("raw/never-ingested.yml")])} == {"raw/never-ingested.txt"}
    fields = {(p.path, p.field) for p in run_check(seeded, only=[Path("registry/states.yml")])}
    assert (f"{B}/2022/2022-07-01-stale-actors.md", "actors") in fields and ("registry/states.yml", "id") in fields
    assert ("registry/state-forces.yml", "aliases") not in fields  # another file of the registry: not asked for
    fields = {(p.path, p.field) for p in run_check(seeded, only=[Path("registry")])}
    assert {("registry/states.yml", "id"), ("registry/state-forces.yml", "aliases")} <= fields


def test_html_escaped_by_the_builder_and_code_are_not_raw_html(tmp_path):
    root = tmp_path
    shutil.copytree(CASE / "registry", root / "registry")
    page = root / B / "2022" / "2022-01-01-escaped.md"
    page.parent.mkdir(parents=True)
    page.write_text(
        "---\ntitle: Escaped\ndate: 2022-01-01\n---\n\n"
        "The page said &lt;script&gt; and \\<b\\> and 3 < 4 > 2.\n\n```html\n<div>code</div>\n```\n\n"
        "[ok](https://example.org) [mail](mailto:a@example.org) [top](#top)\n\n"
        "[x]: https://example.org/ref\n",
        encoding="utf-8",
    )
    assert [str(p) for p in run_check(root) if p.path.startswith("docs/")] == []


@pytest.mark.parametrize("target", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html;base64,PHA+", "vbscript:msgbox",
                                    "&#106;avascript:alert(1)", "<java\tscript:alert(1)>"])
def test_script_links_in_every_spelling_are_unsafe(tmp_path, target):
    shutil.copytree(CASE / "registry", tmp_path / "registry")
    page = tmp_path / B / "2022" / "2022-01-01-link.md"
    page.parent.mkdir(parents=True)
    page.write_text(f"---\ntitle: Link\ndate: 2022-01-01\n---\n\nRead [this]({target}).\n\n[ref]: {target}\n", encoding="utf-8")
    problems = [p for p in run_check(tmp_path) if p.path.startswith("docs/") and "unsafe link" in p.message]
    assert [(p.line, p.field) for p in problems] == [(6, "body"), (8, "body")]


def test_near_duplicates_finds_edited_copies_only():
    base = " ".join(f"word{i} common{i % 7}" for i in range(400))
    edited = base.replace("word10 ", "changed ").replace("word300 ", "other ")
    unrelated = " ".join(f"term{i} common{i % 7}" for i in range(400))
    assert [(i, j) for i, j, _ in near_duplicates([base, unrelated, edited])] == [(0, 2)]
    assert near_duplicates(["short text", "short text", "another short one"])[0][:2] == (0, 1)


def test_urls_are_compared_without_noise():
    assert normalised_url("https://www.Example.org/a/b/?utm_source=x#top") == normalised_url("http://example.org/a/b")
    assert normalised_url("https://example.org/a?id=1") != normalised_url("https://example.org/a?id=2")


def test_cli_exit_codes_summary_and_github_annotations(seeded, monkeypatch, capsys):
    monkeypatch.chdir(seeded)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    assert main(["check"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == f"check: {len(EXPECTED)} problems in {len({rel for rel, *_ in EXPECTED})} files"
    assert out[0].startswith("docs/briefings/") and any(line.startswith("registry/state-forces.yml:6:") for line in out)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert main(["check", f"{B}/2022/2022-06-01-raw-html.md"]) == 1
    out = capsys.readouterr().out.splitlines()
    line = line_of(seeded, f"{B}/2022/2022-06-01-raw-html.md", "<script>")
    assert out[0].startswith(f"::error file={B}/2022/2022-06-01-raw-html.md,line={line},title=body::raw HTML")
    assert out[-1] == "check: 1 problems in 1 files"


def _sample(tmp_path: Path, *, committed: bool) -> Path:
    """The repository's sample archive: the sample raw files ingested now, or its committed briefings."""
    root = tmp_path / "sample"
    root.mkdir()
    shutil.copytree(REPO / "registry", root / "registry")
    shutil.copytree(REPO / "raw", root / "raw")
    if committed and (REPO / "docs" / "briefings").is_dir():
        shutil.copytree(REPO / "docs" / "briefings", root / "docs" / "briefings")
    result = subprocess.run([sys.executable, "-m", "builder", "ingest"], cwd=root, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert list((root / "docs" / "briefings").rglob("*.md")), "no sample briefings"
    return root


def test_the_clean_sample_archive_has_no_problems(tmp_path):
    root = _sample(tmp_path, committed=False)
    assert [str(p) for p in run_check(root)] == []
    result = subprocess.run([sys.executable, "-m", "builder", "check"], cwd=root, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip().endswith("check: 0 problems in 0 files")


def test_the_committed_sample_archive_is_clean_once_refreshed(tmp_path):
    """Whatever registry changes came after the sample was committed, `actors refresh` catches up."""
    root = _sample(tmp_path, committed=True)
    bodies = {p: p.read_text().split("\n---\n", 1)[1] for p in (root / B).rglob("*.md")}
    result = subprocess.run([sys.executable, "-m", "builder", "actors", "refresh"], cwd=root, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert [str(p) for p in run_check(root)] == []
    assert {p: p.read_text().split("\n---\n", 1)[1] for p in bodies} == bodies


def test_links_mkdocs_strict_would_reject_are_problems(tmp_path):
    """Absolute links and links to folders pass no `mkdocs build --strict` with our validation settings."""
    shutil.copytree(CASE / "registry", tmp_path / "registry")
    page = tmp_path / B / "2022" / "2022-01-01-links.md"
    page.parent.mkdir(parents=True)
    page.write_text(
        "---\ntitle: Links\ndate: 2022-01-01\n---\n\n"
        "[abs](/actors/mali/index.md)\n\n[folder](../../actors/mali/)\n\n[fine](../../actors/mali/index.md#top)\n\n"
        "[page 2](../../actors/mali/page/2/index.md) [feed](../../actors/mali/feed.xml) [home](../../index.md)\n"
        "[2021, page 2](../../archive/2021/page/2/index.md) [Africa](../../regions/africa/page/3/index.md)\n",
        encoding="utf-8",
    )
    problems = [p for p in run_check(tmp_path) if p.path.startswith("docs/")]
    assert [(p.line, p.field) for p in problems] == [(6, "body"), (8, "body")]
    assert "absolute links" in problems[0].message
    assert "'../../actors/mali/index.md'" in problems[1].message


FRONTMATTERS = [
    "title: yes", "title: No", "title: on", "title: 1984", "title: 1e3", "title: .5", "title: 0x1f", "title: 12:30",
    "title: null", "title: ~", "title:", "title: 'It''s'", "title: ''''", "title: a: b", "title: a #b", "title: a#b",
    "title: -x", "title: - x", "title: x\t", "title: '  padded'", "title: \"double\"", "title: [a, b]", "tags: []",
    "summary: long text\n  continued here\n  and here", "summary: 'quoted\n  continued'", "summary: a\n\n  b",
    "actors:\n- mali\n- 'x: y'\n- 2021", "authors:\n- A long\n  name", "cited_source:\n  author: X\n  date: 2023-01-02",
    "date: 2021-10-06", "date: 2021-13-01", "date: 2021-10-06 12:00:00", "title: x\ntitle: y", "review:\n- date missing",
    "title: %x", "title: @x", "title: `x`", "title: !x", "title: &a x", "title: *a", "title: |", "title: >",
    "title: x\n- y", "actors:\n  - mali", "title: Mali’s “junta”: a test", "title: Mali's junta", "title: 50% off",
]


@pytest.mark.parametrize("text", FRONTMATTERS)
def test_fast_frontmatter_agrees_with_yaml_or_declines(text):
    from builder.archive.fast_read import fast_frontmatter
    from builder.archive.schema import SafeTextDateLoader

    import yaml

    fast = fast_frontmatter("\n" + text + "\n")
    if fast is not None:
        assert fast == yaml.load("\n" + text + "\n", Loader=SafeTextDateLoader)


def test_fast_frontmatter_reads_what_the_builder_writes():
    import dataclasses

    import yaml

    from builder.archive.fast_read import fast_frontmatter
    from builder.archive.model import BriefingMeta
    from builder.archive.schema import SafeTextDateLoader, dump_yaml, meta_mapping

    titles = ["Mali: a title", "Is it?", "#1 topic", "50% of Mali", "‘quoted’ words", "'single' start", 'with "double"',
              "yes", "2021", "Mali's junta", "- dash", "a  b", "trailing:"]
    read_fast = 0
    for title in titles:
        meta = BriefingMeta(title=title, date="2021-10-06", summary=" ".join(["A long summary sentence."] * 12),
                            authors=("Alex Thurston", "O'Brien"), actors=("mali", "wagner-group"), review=("date missing",))
        fm = "\n" + dump_yaml(meta_mapping(dataclasses.replace(meta, generated_sha256="0" * 64)))
        fast = fast_frontmatter(fm)
        if fast is not None:
            read_fast += 1
            assert fast == yaml.load(fm, Loader=SafeTextDateLoader), title
    assert read_fast >= len(titles) // 2  # the fast path is the common path


def test_a_body_is_checked_even_when_its_frontmatter_is_unusable(tmp_path):
    shutil.copytree(CASE / "registry", tmp_path / "registry")
    page = tmp_path / B / "2022" / "2022-01-01-broken.md"
    page.parent.mkdir(parents=True)
    page.write_text("---\ntitle: [not, text]\n---\n\n<b>bold</b> [x](<javascript:alert(1)>)\n", encoding="utf-8")
    problems = [(p.line, p.field, p.message.split(" ")[0]) for p in run_check(tmp_path) if p.path.startswith("docs/")]
    assert problems == [(2, "title", "must"), (5, "body", "raw"), (5, "body", "unsafe")]


def test_broken_and_orphan_sidecars_are_reported_unchanged_ones_not_reread(seeded, monkeypatch):
    (seeded / "raw" / "never-ingested.yml").write_text("source: X\ncolour: red\n")
    (seeded / "raw" / "orphan.yml").write_text("source: X\n")
    found = {(p.path, p.line, p.field) for p in run_check(seeded) if p.path.endswith(".yml") and p.path.startswith("raw/")}
    assert found == {("raw/never-ingested.yml", 2, "colour"), ("raw/orphan.yml", 1, "sidecar")}

    # A sidecar with the bytes a briefing was ingested with passed read_sidecar then.
    import hashlib

    import builder.archive.check

    sidecar = seeded / "raw" / "excluded-actor.yml"
    page = seeded / B / "2022" / "2022-07-02-excluded-actor.md"
    sha = hashlib.sha256(sidecar.read_bytes()).hexdigest()
    page.write_text(page.read_text().replace("raw: raw/excluded-actor.txt\n", f"raw: raw/excluded-actor.txt\nsidecar_sha256: {sha}\n"))
    read = []
    monkeypatch.setattr(builder.archive.check, "read_sidecar", lambda path: read.append(path.name) or {})
    run_check(seeded)
    assert "excluded-actor.yml" not in read and "never-ingested.yml" in read
