"""Issue 17, "Site at 1,500+ actors": no generated page grows past 150 KB.

A generated archive of 1,000 briefings on a registry of 1,600 actors (benchmarks/generate.py),
whose descriptions are padded to 160 characters, the longest of the real registry, so that the
registry pages weigh what they will. Built with the repository's mkdocs.yml and `--strict`;
every HTML page the site has (actor pages, the actors index, the registry pages, regions,
the archive, the home, the briefings) must stay under 150 KB.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from scalesite import REPO

sys.path.insert(0, str(REPO / "benchmarks"))

from generate import generate  # noqa: E402

pytestmark = pytest.mark.scale

BRIEFINGS = 1000
ACTORS = 1600
MAX_PAGE_BYTES = 150_000
DESCRIPTION = ("{}, part of the synthetic registry; it signed, broke and renegotiated several ceasefires with its "
               "neighbours and is watched by every mission in the region since the crisis of 2012.")


def realistic_descriptions(registry: Path) -> None:
    data = yaml.safe_load(registry.read_text(encoding="utf-8"))
    for actor in data["actors"]:
        actor["description"] = DESCRIPTION.format(actor["description"].rstrip("."))[:160]
    registry.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


@pytest.fixture(scope="module")
def big_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("site-1600-actors") / "project"
    made = generate(root, BRIEFINGS, actors=ACTORS)
    assert made.actors == ACTORS
    realistic_descriptions(root / "registry" / "actors.yml")
    shutil.copytree(REPO / "site_overrides", root / "site_overrides")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    for page in (REPO / "docs").glob("*.md"):  # about, contributing...: the nav names them
        shutil.copy(page, root / "docs" / page.name)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    for command in ([sys.executable, "-m", "builder", "ingest", "raw"],
                    [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(root / "site")]):
        done = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=900)
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return root / "site"


def test_no_page_of_a_site_with_1600_actors_reaches_150_kb(big_site):
    sizes = {p.relative_to(big_site).as_posix(): p.stat().st_size for p in big_site.rglob("*.html")}
    too_big = {path: size for path, size in sizes.items() if size >= MAX_PAGE_BYTES}
    assert not too_big, too_big
    # The pages this is about are there, and hold what they should.
    actor_pages = [p for p in sizes if re.fullmatch(r"actors/[^/]+/index\.html", p)]
    registry_pages = [p for p in sizes if p.startswith("registry/")]
    assert len(actor_pages) > 1000 and len(registry_pages) > 1
    for path in ("index.html", "actors/index.html", "registry/index.html", "archive/index.html", "regions/index.html"):
        assert path in sizes, path
    index = (big_site / "actors/index.html").read_text(encoding="utf-8")
    assert index.count('<li><a href="') == len(actor_pages)  # every actor with a page, once
    listed = sum((big_site / p).read_text(encoding="utf-8").count("<li><") for p in registry_pages)
    assert listed == ACTORS  # every actor of the registry, with or without a page
