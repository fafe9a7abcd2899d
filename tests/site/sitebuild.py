"""Build a throwaway copy of the site with `mkdocs build --strict` and read it back (site and browser tests)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def make_site_project(root: Path, *, docs: Path, registry: Path) -> Path:
    """A folder laid out like the repository: mkdocs.yml, site_overrides/, the registry, docs/.

    A registry folder is copied to registry/, as in the repository; a one-file registry (the
    fixtures') to actors.yml, and mkdocs.yml's `registry:` option then names it.
    """
    root.mkdir(parents=True, exist_ok=True)
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    if registry.is_dir():
        shutil.copytree(registry, root / "registry")
    else:
        assert "      registry: registry\n" in config, "mkdocs.yml changed: update tests/site/sitebuild.py"
        config = config.replace("      registry: registry\n", "      registry: actors.yml\n")
        shutil.copy(registry, root / "actors.yml")
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    shutil.copytree(REPO / "site_overrides", root / "site_overrides")
    shutil.copytree(docs, root / "docs", dirs_exist_ok=True)
    # The site's hand-written pages (about, contributing, registry guide...): the nav names them.
    for page in (REPO / "docs").glob("*.md"):
        if not (root / "docs" / page.name).exists():
            shutil.copy(page, root / "docs" / page.name)
    (root / "raw").mkdir(exist_ok=True)
    return root


def run_mkdocs_build(root: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(root / "mkdocs.yml"), "-d", str(root / "site")],
        cwd=root, env=env, capture_output=True, text=True, timeout=300,
    )


@dataclass
class BuiltSite:
    root: Path
    site: Path
    result: subprocess.CompletedProcess

    def html(self, url_path: str) -> str:
        """The HTML of a page by its site URL ("actors/mali/")."""
        path = self.site / url_path
        if url_path.endswith("/") or url_path == "":
            path = path / "index.html"
        return path.read_text(encoding="utf-8")

    def links(self, url_path: str, within: str | None = None) -> list[tuple[str, str]]:
        """(site-relative target URL, link text) of every <a href> of a page, resolved.

        `within` limits the links to those inside elements with that class.
        """
        parser = LinkParser(within)
        parser.feed(self.html(url_path))
        base = "http://site/" + url_path
        out = []
        for href, text in parser.links:
            absolute = urljoin(base, href)
            parts = urlsplit(absolute)
            if parts.netloc != "site":
                out.append((absolute, text))
            else:
                out.append((parts.path[1:] + (f"#{parts.fragment}" if parts.fragment else ""), text))
        return out


class LinkParser(HTMLParser):
    """Collects links, and ids; optionally only inside elements having a given class."""

    def __init__(self, within: str | None = None):
        super().__init__(convert_charrefs=True)
        self.within = within
        self.depth = 0  # > 0 while inside a `within` element
        self.stack: list[bool] = []
        self.links: list[tuple[str, str]] = []
        self.ids: set[str] = set()
        self._href: str | None = None
        self._text: list[str] = []

    VOID = {"br", "hr", "img", "input", "link", "meta", "source", "wbr", "area", "base", "col", "embed", "param", "track"}

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(attributes["id"])
        if tag in self.VOID:
            return
        opens = self.within is not None and self.within in (attributes.get("class") or "").split()
        self.stack.append(opens)
        self.depth += opens
        if tag == "a" and attributes.get("href") is not None and (self.within is None or self.depth > 0):
            self._href, self._text = attributes["href"], []

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if tag == "a" and self._href is not None:
            self.links.append((self._href, " ".join("".join(self._text).split())))
            self._href = None
        if self.stack:
            self.depth -= self.stack.pop()

    def handle_data(self, data):
        if self._href is not None:
            self._text.append(data)


