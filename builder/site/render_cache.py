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
import re
import sqlite3
from pathlib import Path
from typing import Any, Iterable
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


def links_resolve(html: str, page_url: str, urls: set[str]) -> bool:
    """Whether every relative link or image in `html` still points at one of the site's URLs."""
    base = "http://site/" + page_url
    for match in _LINK.finditer(html):
        target = match.group(1)
        if not target or target.startswith("//"):
            continue
        if urlsplit(urljoin(base, target)).path[1:] not in urls:
            return False
    return True


class RenderCache:
    """Entries by table and key; `get` during the build, `put` kept in memory until `commit`."""

    def __init__(self, folder: Path, salt: str):
        self.path = Path(folder) / FILENAME
        self.salt = salt
        self.pending: dict[tuple[str, str], str] = {}
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

    def put(self, key: str, entry: Any, table: str = "render") -> None:
        if self._db is not None:
            self.pending[(table, key)] = json.dumps(entry, separators=(",", ":"))
            self.used.add((table, key))

    def commit(self, *, prune: bool) -> None:
        """Write the new entries; with `prune` (a full build), drop the entries it did not use."""
        if self._db is None:
            return
        try:
            with self._db:  # one transaction
                for table in TABLES:
                    rows = [(key, entry) for (where, key), entry in self.pending.items() if where == table]
                    self._db.executemany(f"INSERT OR REPLACE INTO {table} VALUES (?, ?)", rows)
                    if prune:
                        self._db.execute("CREATE TEMP TABLE IF NOT EXISTS used (key TEXT PRIMARY KEY)")
                        self._db.execute("DELETE FROM used")
                        self._db.executemany("INSERT OR IGNORE INTO used VALUES (?)", ((k,) for t, k in self.used if t == table))
                        self._db.execute(f"DELETE FROM {table} WHERE key NOT IN (SELECT key FROM used)")
        except sqlite3.Error as error:
            log.info("render cache %s not written (%s)", self.path, error)
        self.pending.clear()
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


def sorted_ids(ids: Iterable[str] | None) -> list[str] | None:
    return sorted(ids) if ids is not None else None
