"""A persistent cache of rendered Markdown, so a second build skips Python-Markdown,
and of each briefing's actor mentions, so it skips matching the text against the registry.

One SQLite file (`.cache/render/render.sqlite3` by default): SQLite makes each build's
writes one atomic transaction, and a build that fails or is killed leaves the previous
cache whole. An entry is keyed by a hash of the cache version, the libraries' versions, the
site's Markdown settings, the page's path and its final Markdown; its value is what a render
produced (HTML, table of contents, anchors), as JSON. Pages whose render logged a problem
are never stored, so the problem is reported on every build. Mentions are keyed by the
registry's and the body's text and the sidecar's exclusions. No MkDocs import here.
"""

from __future__ import annotations

import hashlib
import json
import logging
import posixpath
import re
import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

log = logging.getLogger("mkdocs.plugins.briefings")

CACHE_VERSION = "2"  # bump when what an entry holds, or how it is used, changes
FILENAME = "render.sqlite3"
TABLES = ("render", "mentions")

# Relative links MkDocs rewrote from Markdown links: on a hit, each must still reach a file.
_LINK = re.compile(r'\s(?:href|src)="([^"#:]*?)(?:#[^"]*)?"')


def settings_salt(*parts: Any) -> str:
    """A stable digest of the settings a render depends on (extensions, their options, versions)."""
    text = json.dumps(parts, sort_keys=True, default=repr)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def resolve_link(page_url: str, target: str) -> str:
    """The site URL a relative link on the page at `page_url` points at (as a browser would
    resolve it: urljoin's result, without query and fragment), by path arithmetic."""
    target = target.split("?", 1)[0]
    if not target:  # only a query: the page itself
        return page_url
    directory = page_url.rpartition("/")[0]
    path = target if target.startswith("/") else ("/" + directory + "/" if directory else "/") + target
    if "//" in path or "\\" in path:  # leave the unusual to urljoin
        return urlsplit(urljoin("http://site/" + page_url, target)).path[1:]
    resolved = posixpath.normpath(path)
    if resolved != "/" and (path.endswith("/") or path.endswith("/.") or path.endswith("/..")):
        resolved += "/"
    return resolved[1:]


def links_resolve(html: str, page_url: str, urls: set[str]) -> bool:
    """Whether every relative link or image in `html` still points at one of the site's URLs."""
    for match in _LINK.finditer(html):
        target = match.group(1)
        if not target or target.startswith("//"):
            continue
        if resolve_link(page_url, target) not in urls:
            return False
    return True


class RenderCache:
    """Entries by table and key; `get` during the build, `put` in one transaction that `commit`
    ends (or `rollback` drops): a killed or failed build leaves the previous cache whole."""

    def __init__(self, folder: Path, salt: str):
        self.path = Path(folder) / FILENAME
        self.salt = salt
        self.used: set[tuple[str, str]] = set()
        self.hits = self.misses = 0
        self._db: sqlite3.Connection | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path)
            for table in TABLES:
                self._db.execute(f"CREATE TABLE IF NOT EXISTS {table} (key TEXT PRIMARY KEY, entry TEXT NOT NULL)")
        except sqlite3.Error as error:  # an optimisation only: build without it
            log.info("render cache %s unusable (%s); rendering every page", self.path, error)
            self.close()

    def key(self, *parts: str) -> str:
        digest = hashlib.sha256()
        for part in (CACHE_VERSION, self.salt, *parts):
            digest.update(part.encode("utf-8", "surrogatepass"))
            digest.update(b"\0")
        return digest.hexdigest()

    def get(self, key: str, table: str = "render") -> Any:
        if self._db is None:
            return None
        try:
            row = self._db.execute(f"SELECT entry FROM {table} WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error as error:
            log.info("render cache %s unreadable (%s); rendering every page", self.path, error)
            self.close()
            return None
        if row is None:
            return None
        self.used.add((table, key))
        return json.loads(row[0])

    def keys(self) -> set[str]:
        """The keys of every stored render (to tell which pages a build must render)."""
        if self._db is None:
            return set()
        try:
            return {key for (key,) in self._db.execute("SELECT key FROM render")}
        except sqlite3.Error as error:
            log.info("render cache %s unreadable (%s); rendering every page", self.path, error)
            self.close()
            return set()

    def put(self, key: str, entry: Any, table: str = "render") -> None:
        """Store an entry in the build's open transaction: SQLite keeps it (spilling to disk),
        not this process, so a build of 10,000 pages does not hold every page's HTML twice."""
        if self._db is None:
            return
        try:
            self._db.execute(f"INSERT OR REPLACE INTO {table} VALUES (?, ?)", (key, json.dumps(entry, separators=(",", ":"))))
        except sqlite3.Error as error:
            log.info("render cache %s not written (%s); rendering every page", self.path, error)
            self.close()
            return
        self.used.add((table, key))

    def commit(self, *, prune: bool) -> None:
        """End the build's transaction; with `prune` (a full build), first drop the entries it did not use."""
        if self._db is None:
            return
        try:
            if prune:
                self._db.execute("CREATE TEMP TABLE IF NOT EXISTS used (key TEXT PRIMARY KEY)")
                for table in TABLES:
                    self._db.execute("DELETE FROM used")
                    self._db.executemany("INSERT OR IGNORE INTO used VALUES (?)", ((k,) for t, k in self.used if t == table))
                    self._db.execute(f"DELETE FROM {table} WHERE key NOT IN (SELECT key FROM used)")
            self._db.commit()
        except sqlite3.Error as error:
            log.info("render cache %s not written (%s)", self.path, error)
            self.rollback()
        self.used.clear()

    def rollback(self) -> None:
        """Forget the build's new entries (a failed build): the cache stays as the last good build left it."""
        if self._db is not None:
            try:
                self._db.rollback()
            except sqlite3.Error:
                self.close()
        self.used.clear()

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
        self._db = None


def anchors_by_uri(links_to_anchors: dict[Any, dict[str, str]] | None) -> dict[str, dict[str, str]] | None:
    """MkDocs' {File: {anchor: link}} as {src_uri: {anchor: link}} (JSON-able)."""
    if links_to_anchors is None:
        return None
    return {file.src_uri: dict(links) for file, links in links_to_anchors.items()}

