"""Generated archives built into sites with the Pagefind plugin (scale and browser tests)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "benchmarks"))

from generate import generate  # noqa: E402

SMALL_SITE_BRIEFINGS = 60  # the scale tests' site: every behaviour, a few seconds to build


def has_entry_point() -> bool:
    from importlib.metadata import entry_points

    return any(e.name == "briefings-pagefind" for e in entry_points(group="mkdocs.plugins"))


def pagefind_config(root: Path) -> Path:
    """The repository's mkdocs.yml with Pagefind instead of Material's search.

    The `briefings-pagefind` plugin by its entry point; as a hooks module
    (builder/mkdocs/pagefind_hooks.py) in a virtualenv installed before the entry point existed.
    """
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    if "briefings-pagefind" in text:
        return _write(root, text)  # the repository has switched already
    assert "plugins:\n  - search\n" in text, "mkdocs.yml changed: update tests/scale/scalesite.py"
    if has_entry_point():
        text = text.replace("plugins:\n  - search\n", "plugins:\n  - briefings-pagefind\n")
    else:
        text = text.replace("plugins:\n  - search\n", "plugins:\n")
        text += f"\nhooks:\n  - {REPO / 'builder' / 'pagefind_hooks.py'}\n"
    return _write(root, text)


def _write(root: Path, text: str) -> Path:
    path = root / "mkdocs.yml"
    path.write_text(text, encoding="utf-8")
    return path


def build_generated_site(root: Path, n: int, *, seed: int = 0) -> Path:
    """Generate `n` raw articles, ingest them, build the site with Pagefind: the site folder."""
    generate(root, n, seed=seed)
    shutil.copytree(REPO / "site_overrides", root / "site_overrides")
    for page in (REPO / "docs").glob("*.md"):  # about, contributing...: the nav names them
        shutil.copy(page, root / "docs" / page.name)
    config = pagefind_config(root)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    ingest = subprocess.run([sys.executable, "-m", "builder", "ingest", "raw"], cwd=root, env=env,
                            capture_output=True, text=True, timeout=600)
    assert ingest.returncode == 0, ingest.stderr[-3000:]
    build = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(root / "site")],
                           cwd=root, env=env, capture_output=True, text=True, timeout=900)
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    return root / "site"
