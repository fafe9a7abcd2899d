"""A new contributor, from a fresh clone, following only CONTRIBUTING.md, adds a third article.

The clone is the repository's tracked files copied into a temporary folder; every command is
the one CONTRIBUTING.md gives, run with this virtual environment (the contributor's `.venv`).
The walk ends, as the guide promises, in a passing `briefings check` and `mkdocs build --strict`
with the new briefing on the site.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
ARTICLE = REPO / "tests" / "cases" / "walkthrough"
NAME = "burkina-jnim-djibo"


def fresh_clone(target: Path) -> Path:
    """The files a `git clone` of the current tree would have (tracked files, as in the working tree)."""
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("needs git and a git checkout of the repository")
    # safe.directory: in a CI container the checkout belongs to another user than the tests.
    listed = subprocess.run(
        ["git", "-c", "safe.directory=*", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True
    ).stdout
    for rel in filter(None, listed.decode("utf-8").split("\0")):
        source = REPO / rel
        if source.is_file():  # a tracked file deleted in the working tree is not in a clone either
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / rel)
    return target


def guide_commands() -> str:
    """The shell commands CONTRIBUTING.md gives, code blocks only."""
    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    return "\n".join(re.findall(r"```bash\n(.*?)```", text, flags=re.DOTALL))


def run(clone: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=clone, capture_output=True, text=True, timeout=600)


def test_contributing_guide_gives_the_commands_this_walkthrough_runs():
    commands = guide_commands()
    for command in (
        ".venv/bin/briefings ingest raw/<short-name>.txt",
        ".venv/bin/briefings check",
        ".venv/bin/mkdocs build --strict",
        ".venv/bin/briefings actors refresh",
    ):
        assert command in commands, f"CONTRIBUTING.md no longer says {command!r}"


def test_a_new_contributor_adds_a_third_article(tmp_path):
    clone = fresh_clone(tmp_path / "clone")
    before = set((clone / "docs" / "briefings").rglob("*.md"))

    # 2. Drop the raw article (a text dump with the site's navigation and footer) and its sidecar.
    shutil.copy(ARTICLE / f"{NAME}.txt", clone / "raw" / f"{NAME}.txt")
    shutil.copy(ARTICLE / f"{NAME}.yml", clone / "raw" / f"{NAME}.yml")

    # 3. Ingest it: `.venv/bin/briefings ingest raw/<short-name>.txt`.
    ingest = run(clone, "-m", "builder", "ingest", f"raw/{NAME}.txt")
    assert ingest.returncode == 0, ingest.stderr
    written = re.findall(r"^wrote (\S+\.md)$", ingest.stdout, flags=re.MULTILINE)
    assert len(written) == 1 and re.fullmatch(r"docs/briefings/2024/2024-03-12-[a-z0-9-]*djibo\.md", written[0]), written
    briefing = clone / written[0]
    assert set((clone / "docs" / "briefings").rglob("*.md")) == before | {briefing}

    # 4. Review it: the facts of the sidecar, the actors of the text, the article without the page around it.
    text = briefing.read_text(encoding="utf-8")
    meta = yaml.safe_load(text.split("---\n")[1])
    assert meta["title"] == "Burkina Faso's junta loses ground to JNIM around Djibo"
    assert str(meta["date"]) == "2024-03-12" and meta["source"] == "Example Review" and meta["region"] == "Africa"
    assert {"burkina-faso", "jnim", "ibrahim-traore"} <= set(meta["actors"])
    assert "review" not in meta
    body = text.split("\n---\n", 1)[1]
    assert "Djibo, a town of some 300,000 people" in body and "the siege of Djibo is unlikely to be the last" in body
    for boilerplate in ("Skip to main content", "Subscribe to our newsletter", "All rights reserved", "Share this article"):
        assert boilerplate not in body

    # 5. Check: `.venv/bin/briefings check` must report nothing.
    check = run(clone, "-m", "builder", "check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.splitlines()[-1] == "check: 0 problems in 0 files"

    # 6. Build: `.venv/bin/mkdocs build --strict` must pass, with the new briefing on the site.
    build = run(clone, "-m", "mkdocs", "build", "--strict")
    assert build.returncode == 0, build.stdout + build.stderr
    page = clone / "site" / "briefings" / "2024" / briefing.stem / "index.html"
    assert page.is_file(), f"{page} was not built"
    assert "Burkina Faso's junta loses ground to JNIM around Djibo" in html.unescape(page.read_text(encoding="utf-8"))
    actor_page = clone / "site" / "actors" / "jnim" / "index.html"
    assert briefing.stem in actor_page.read_text(encoding="utf-8"), "the JNIM actor page does not list the new briefing"
