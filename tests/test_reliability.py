"""Issue 16, as a new user met it: a batch never hangs, an install never half-works, one bad
file never sinks a run, `clean` writes nothing but its output, and no symbolic link smuggles
a file from outside the repository into the archive or the site.

Each test runs the real command line on real or generated inputs.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from builder import forkpool
from builder.ingest import briefing
from builder.archive.files import load_archive
from builder.cli import main

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

from generate import generate  # noqa: E402

SAMPLE_HTML = REPO / "tests" / "cases" / "extraction" / "diet-ru.html"
SAMPLE_TEXT = REPO / "raw" / "mali-wagner-leverage.txt"
BOMB = """---
title: A draft with a bomb in its frontmatter
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
---
Body of the draft.
"""

needs_fork = pytest.mark.skipif(not forkpool.available(), reason="this platform cannot fork")


def tree_digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def batch(tmp_path, monkeypatch):
    """100 generated raw articles (text dumps and HTML pages) and their registry, as a project."""
    root = tmp_path / "project"
    generate(root, 100, seed=16, html_share=0.2)
    monkeypatch.chdir(root)
    return root


def raw_names(root: Path) -> list[Path]:
    return sorted(p for p in (root / "raw").iterdir() if p.suffix in (".txt", ".html"))


def fail_on(monkeypatch, victim: Path, failure) -> None:
    """Make building `victim` call `failure()` (the forked workers inherit the patch)."""
    real = briefing.build_briefing

    def build(raw, ctx, **kwargs):
        if raw.path.name == victim.name:
            failure()
        return real(raw, ctx, **kwargs)

    monkeypatch.setattr(briefing, "build_briefing", build)


def run_cli(*args: str, timeout: float = 180, cwd: Path | None = None, env: dict | None = None):
    """The command line in its own process: a hang is a failed test, not a hung suite."""
    return subprocess.run([sys.executable, "-m", "builder", *args], capture_output=True, text=True,
                          timeout=timeout, cwd=cwd, env=env)


# ------------------------------------------------------------------ 1. a batch never hangs


@needs_fork
@pytest.mark.parametrize("position", [0, 50, 99])
@pytest.mark.parametrize("command", ["clean", "ingest"])
def test_one_failing_file_in_a_batch_of_100_costs_that_file_only(batch, position, command):
    """On d33157e this hung: the worker's BuildError could not be unpickled by the pool."""
    bad = raw_names(batch)[position]
    bad.write_bytes(b"")  # an empty file: a BuildError in a worker
    out = ["--out", str(batch / "cleaned")] if command == "clean" else []
    result = run_cli(command, "raw", *out, cwd=batch)
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("raw/") or line.startswith(str(bad))]
    assert len(errors) == 1 and bad.name in errors[0] and "empty" in errors[0]
    written = list((batch / ("cleaned" if command == "clean" else "docs")).rglob("*.md"))
    assert len(written) == 99


@needs_fork
def test_a_worker_killed_mid_job_costs_its_file_and_the_run_goes_on(batch, monkeypatch, capsys):
    victim = raw_names(batch)[42]
    fail_on(monkeypatch, victim, lambda: os.kill(os.getpid(), signal.SIGKILL))  # as the OOM killer would
    started = time.monotonic()
    assert main(["ingest", "raw", "--jobs", "2"]) == 1
    assert time.monotonic() - started < 120
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if victim.name in line]
    assert len(lines) == 1 and "SIGKILL" in lines[0] and "nothing written" in lines[0]
    briefings, problems = load_archive(Path("docs"))
    assert problems == [] and len(briefings) == 99


@needs_fork
def test_a_bug_on_one_file_is_named_as_a_bug_not_as_bad_input_and_the_run_goes_on(batch, monkeypatch, capsys):
    victim = raw_names(batch)[7]
    fail_on(monkeypatch, victim, lambda: 1 / 0)
    assert main(["ingest", "raw"]) == 1
    err = capsys.readouterr().err
    line = next(line for line in err.splitlines() if line.startswith(f"raw/{victim.name}"))
    assert "internal error" in line and "ZeroDivisionError: division by zero" in line and "bug of the builder" in line
    assert "Traceback" in err  # the cause, for the bug report
    assert len(list(Path("docs").rglob("*.md"))) == 99


def test_ingest_killed_at_any_point_leaves_no_partial_briefing_and_the_next_run_finishes(tmp_path):
    """SIGKILL at several points of a run; after each, every briefing present is whole, and a
    last run completes the archive to exactly what one uninterrupted run writes."""
    reference = tmp_path / "reference"
    generate(reference, 60, seed=3)
    assert run_cli("ingest", "raw", cwd=reference).returncode == 0
    expected = tree_digest(reference / "docs")

    root = tmp_path / "killed"
    generate(root, 60, seed=3)
    for wait_for in (1, 15, 40):
        process = subprocess.Popen([sys.executable, "-m", "builder", "ingest", "raw"],
                                   cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 120
        while process.poll() is None and time.monotonic() < deadline:
            if len(list((root / "docs").rglob("*.md"))) >= wait_for:
                break
            time.sleep(0.01)
        try:
            os.killpg(process.pid, signal.SIGKILL)  # the command and its workers
        except ProcessLookupError:
            pass  # the run ended before this point (a slow poll on a loaded machine): still checked below
        process.wait()
        briefings, problems = load_archive(root / "docs")
        assert problems == []  # whatever was written is whole
        assert all(path in expected for path in tree_digest(root / "docs") if not Path(path).name.startswith("."))
    # As a kill between a temporary file's creation and its rename leaves it:
    leftover = root / "docs" / "briefings" / ".2024-01-01-x.md.k2j3h4.tmp"
    leftover.parent.mkdir(parents=True, exist_ok=True)
    leftover.write_text("---\ntitle: half", encoding="utf-8")
    assert run_cli("ingest", "raw", cwd=root).returncode == 0
    assert tree_digest(root / "docs") == expected  # no leftover temporary file either


def test_a_second_ingest_while_one_runs_exits_with_a_clear_message(batch, capsys):
    from filelock import FileLock

    holder = FileLock(batch / ".cache" / "ingest.lock")
    (batch / ".cache").mkdir(exist_ok=True)
    with holder:
        assert main(["ingest", "raw"]) == 1
        assert "another `briefings ingest` is running" in capsys.readouterr().err
        assert list((batch / "docs").rglob("*.md")) == []
    assert main(["ingest", "raw"]) == 0


# ------------------------------------------------------------------ 2. an install never half-works


BLOCK_MODULE = """
import importlib.abc, sys
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "lxml_html_clean" or name.startswith("lxml_html_clean."):
            raise ModuleNotFoundError("No module named 'lxml_html_clean'", name=name)
        return None
sys.meta_path.insert(0, Block())
from builder.cli import main
raise SystemExit(main(sys.argv[1:]))
"""


def test_a_missing_dependency_is_reported_as_itself_once_not_as_no_article_text(repo_copy):
    """As after `pip install -e .` with a venv's own old pip, which leaves lxml_html_clean out."""
    result = subprocess.run([sys.executable, "-c", BLOCK_MODULE, "clean", str(SAMPLE_HTML)],
                            capture_output=True, text=True, timeout=120, cwd=repo_copy)
    assert result.returncode == 1
    assert "no article text" not in result.stderr
    assert "lxml_html_clean" in result.stderr and "dependency" in result.stderr
    assert result.stderr.count("lxml_html_clean") <= 2  # once, with its cause


# ------------------------------------------------------------------ 3. one hostile draft


def test_a_yaml_bomb_draft_is_refused_at_once_and_the_other_files_are_written(batch):
    (batch / "raw" / "bomb.md").write_text(BOMB, encoding="utf-8")
    result = run_cli("ingest", "raw", cwd=batch, timeout=60)
    assert result.returncode == 1
    bomb_lines = [line for line in result.stderr.splitlines() if "bomb.md" in line]
    assert bomb_lines == ["raw/bomb.md:3: frontmatter: YAML anchors and aliases (&name, *name) are not allowed; "
                          "write the values out"]
    assert len(list((batch / "docs").rglob("*.md"))) == 100


def test_a_yaml_bomb_sidecar_is_refused_naming_the_sidecar_and_line(repo_copy, capsys):
    sidecar = repo_copy / "raw" / "mali-wagner-leverage.yml"
    sidecar.write_text("source: X\n" + BOMB.split("---\n")[1].split("title:", 1)[1].split("\n", 1)[1], encoding="utf-8")
    assert main(["clean", "raw/mali-wagner-leverage.txt"]) == 1
    assert "raw/mali-wagner-leverage.yml:2: sidecar: YAML anchors and aliases" in capsys.readouterr().err


# ------------------------------------------------------------------ 4. clean writes only its output


def test_clean_writes_nothing_but_its_output(repo_copy, tmp_path, capsys):
    before = tree_digest(repo_copy)
    out = tmp_path / "out"
    assert main(["clean", "raw", "--out", str(out)]) == 0
    assert tree_digest(repo_copy) == before and not (repo_copy / ".cache").exists()
    articles = sorted(p.stem + ".md" for p in Path("raw").iterdir() if p.suffix in (".txt", ".html", ".md"))
    assert sorted(p.name for p in out.iterdir()) == articles  # one per raw article, whatever raw/ holds
    assert main(["clean", "raw/mali-wagner-leverage.txt"]) == 0
    assert capsys.readouterr().out.startswith("---\ntitle: ")
    assert tree_digest(repo_copy) == before


def test_clean_reads_the_boilerplate_cache_that_ingest_wrote(repo_copy, capsys):
    assert main(["ingest", "raw"]) == 0
    cache = tree_digest(repo_copy / ".cache")
    capsys.readouterr()
    assert main(["clean", "raw/mali-wagner-leverage.txt"]) == 0
    printed = capsys.readouterr().out
    assert tree_digest(repo_copy / ".cache") == cache
    ingested = next((repo_copy / "docs" / "briefings").rglob("2021-10-06-*.md")).read_text(encoding="utf-8")
    assert printed == ingested


# ------------------------------------------------------------------ 5. symbolic links


@pytest.fixture
def secret(tmp_path):
    path = tmp_path / "outside" / "id_rsa.txt"
    path.parent.mkdir()
    path.write_text("SECRET-KEY-MATERIAL a paragraph long enough to be an article.\n" * 5, encoding="utf-8")
    return path


def test_clean_refuses_a_link_out_of_the_folder_it_was_given(repo_copy, secret, capsys):
    (repo_copy / "raw" / "evil.txt").symlink_to(secret)
    assert main(["clean", "raw"]) == 1
    captured = capsys.readouterr()
    assert "SECRET-KEY-MATERIAL" not in captured.out
    assert "raw/evil.txt: a symbolic link to a file outside raw: refused" in captured.err
    assert main(["clean", "raw/evil.txt"]) == 1
    assert "SECRET-KEY-MATERIAL" not in capsys.readouterr().out


def test_ingest_refuses_a_link_out_of_the_repository_or_into_its_git_data(repo_copy, secret, capsys):
    (repo_copy / "raw" / "evil.txt").symlink_to(secret)
    (repo_copy / ".git").mkdir()
    (repo_copy / ".git" / "config.txt").write_text(secret.read_text(encoding="utf-8"), encoding="utf-8")
    (repo_copy / "raw" / "git.txt").symlink_to(repo_copy / ".git" / "config.txt")
    assert main(["ingest", "raw"]) == 1
    err = capsys.readouterr().err
    assert "raw/evil.txt: raw file is outside the repository" in err
    assert "raw/git.txt: raw file is outside the repository" in err
    for written in (repo_copy / "docs").rglob("*.md"):
        assert "SECRET-KEY-MATERIAL" not in written.read_text(encoding="utf-8")


def test_check_reports_links_out_of_the_repository_under_docs_and_raw(repo_copy, secret, capsys):
    assert main(["ingest", "raw"]) == 0
    (repo_copy / "raw" / "evil.txt").symlink_to(secret)
    (repo_copy / "docs" / "briefings" / "2021" / "2021-01-01-evil.md").symlink_to(secret)
    (repo_copy / "docs" / "stolen").symlink_to(secret.parent, target_is_directory=True)
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    for path in ("raw/evil.txt", "docs/briefings/2021/2021-01-01-evil.md", "docs/stolen"):
        assert f"{path}:1: file: a symbolic link to a file outside the repository: refused" in out
    assert "SECRET-KEY-MATERIAL" not in out


def test_the_site_refuses_a_link_out_of_the_repository(repo_copy, secret):
    from builder.site.load import SiteError, load_site

    assert main(["ingest", "raw"]) == 0
    (repo_copy / "docs" / "briefings" / "2021" / "2021-01-01-evil.md").symlink_to(secret)
    with pytest.raises(SiteError) as raised:
        load_site(repo_copy / "docs", repo_copy / "registry")
    assert "docs/briefings/2021/2021-01-01-evil.md: a symbolic link to a file outside the repository" in str(raised.value)
