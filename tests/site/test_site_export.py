"""`export`: the whole site as a plain docs tree, compared with stored expected output.

Regenerate the expected files after an intended change with one command:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/site/test_site_export.py

then review the diff of tests/site/expected/ like any other change.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from builder.site.export import export
from builder.site.load import SiteError
from sitebuild import FIXTURES

EXPECTED = Path(__file__).resolve().parent / "expected"


def tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8") for p in sorted(root.rglob("*")) if p.is_file()}


HOSTILE = "briefings/2022/2022-08-17-barkhane-withdrawal.md"  # the fixture's raw HTML, for the plugin's sanitiser
HOSTILE_LINES = ('<script>alert("not on our site")</script>\n', '<p onclick="alert(1)">', '<a href="javascript:alert(2)">')


def safe_docs(tmp_path: Path) -> Path:
    """The fixture archive without its raw HTML, which `check` refuses (and so does export)."""
    docs = tmp_path / "docs"
    if not docs.exists():
        shutil.copytree(FIXTURES / "docs", docs)
        path = docs / HOSTILE
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        path.write_text("".join(line for line in lines if not line.startswith(HOSTILE_LINES)), encoding="utf-8")
    return docs


def run_export(out: Path) -> int:
    return export(out, docs_dir=safe_docs(out.parent), registry_path=FIXTURES / "actors.yml")


def test_export_matches_expected(tmp_path):
    count = run_export(tmp_path / "out")
    written = tree(tmp_path / "out")
    assert count == len(written)
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.rmtree(EXPECTED, ignore_errors=True)
        shutil.copytree(tmp_path / "out", EXPECTED)
    expected = tree(EXPECTED)
    # The actors index and the registry are exported like the other generated pages, with the
    # briefings (as their pages show them) and docs/'s own pages.
    assert {"actors/index.md", "registry/index.md", HOSTILE} <= set(written)
    leverage = written["briefings/2021/2021-10-06-mali-wagner-leverage.md"]
    assert '<header class="ba-briefing-header">' in leverage and '<section class="ba-related"' in leverage
    assert "[Wagner Group](../../actors/wagner-group/index.md)" in leverage  # first mention linked
    assert sorted(written) == sorted(expected), "pages added or removed; regenerate with UPDATE_GOLDEN=1"
    for path, content in written.items():
        assert content == expected[path], f"{path} differs; regenerate with UPDATE_GOLDEN=1 if intended"


def test_export_is_deterministic_and_incremental(tmp_path):
    out = tmp_path / "out"
    run_export(out)
    first = tree(out)
    times = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    stale = out / "actors" / "removed-actor" / "index.md"
    stale.parent.mkdir(parents=True)
    stale.write_text("old page", encoding="utf-8")
    stale_registry = out / "registry" / "page" / "9" / "index.md"  # the registry was longer
    stale_registry.parent.mkdir(parents=True)
    stale_registry.write_text("old page", encoding="utf-8")
    keep = out / "notes.txt"
    keep.write_text("not ours", encoding="utf-8")
    run_export(out)
    assert not stale.exists() and not stale.parent.exists()  # generated pages of removed actors go
    assert not (out / "registry" / "page").exists()
    assert keep.exists()  # files export does not own stay
    assert {k: v for k, v in tree(out).items() if k != "notes.txt"} == first
    assert {p: p.stat().st_mtime_ns for p in times} == times  # unchanged files are not rewritten
    assert not list(out.rglob("*.tmp"))


def test_export_refuses_bad_input_before_writing(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(FIXTURES / "docs", docs)
    path = docs / "briefings/2023/2023-03-14-jnim-expands-south.md"
    path.write_text(path.read_text(encoding="utf-8").replace("- jnim\n", "- jnim-x\n", 1), encoding="utf-8")
    with pytest.raises(SiteError, match=r"2023-03-14-jnim-expands-south\.md:13: actors: unknown actor id 'jnim-x'"):
        export(tmp_path / "out", docs_dir=docs, registry_path=FIXTURES / "actors.yml")
    assert not (tmp_path / "out").exists()


def test_export_refuses_raw_html_in_briefings(tmp_path):
    # A plain generator does not sanitise HTML: the briefing is refused, line by line.
    with pytest.raises(SiteError) as refused:
        export(tmp_path / "out", docs_dir=FIXTURES / "docs", registry_path=FIXTURES / "actors.yml")
    lines = str(refused.value).splitlines()[1:]
    assert len(lines) == 3 and all(HOSTILE in line and "body: raw HTML" in line for line in lines)
    assert [line.split(f"{HOSTILE}:", 1)[1].split(":")[0] for line in lines] == ["19", "20", "21"]  # file lines
    assert not (tmp_path / "out").exists()


def test_export_command_reports_bad_input_without_a_traceback(tmp_path):
    result = subprocess.run([sys.executable, "-m", "builder", "export", "--out", str(tmp_path / "out"),
                             "--docs", str(FIXTURES / "docs"), "--registry", str(FIXTURES / "actors.yml")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.count(f"{HOSTILE}:") == 3 and not (tmp_path / "out").exists()


def test_export_copies_the_hand_written_pages(tmp_path):
    docs = safe_docs(tmp_path)
    (docs / "about.md").write_text("# About\n\nBy hand.\n", encoding="utf-8")
    (docs / "assets").mkdir()
    (docs / "assets" / "shot.png").write_bytes(b"\x89PNG\r\n\x1a\n-not-utf-8-\xff")
    export(tmp_path / "out", docs_dir=docs, registry_path=FIXTURES / "actors.yml")
    assert (tmp_path / "out" / "about.md").read_text(encoding="utf-8") == "# About\n\nBy hand.\n"
    assert (tmp_path / "out" / "assets" / "shot.png").read_bytes() == (docs / "assets" / "shot.png").read_bytes()
