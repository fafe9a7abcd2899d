"""The persistent cache of each briefing's actor mentions, so that a build skips matching
a text it matched before against the same registry (builder.site.incremental uses it).

One SQLite file (`.cache/render/render.sqlite3` by default): SQLite makes each build's
writes one atomic transaction, and a build that fails or is killed leaves the previous
cache whole. Entries are keyed by a hash of the cache version, a salt, the registry's and
the body's text and the sidecar's exclusions; values are JSON. The site is the same byte for
byte without it. No MkDocs import here.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
from pathlib import Path
from typing import Any

log = logging.getLogger("mkdocs.plugins.briefings")

CACHE_VERSION = "3"  # bump when what an entry holds, or how it is used, changes
FILENAME = "render.sqlite3"
TABLES = ("mentions",)


class MentionStore:
    """Entries by table and key; `get` during the build, `put` in one transaction that `commit`
    ends (or `rollback` drops): a killed or failed build leaves the previous cache whole."""

    def __init__(self, folder: Path, salt: str):
        self.path = Path(folder) / FILENAME
        self.salt = salt
        self.used: set[tuple[str, str]] = set()
        self._db: sqlite3.Connection | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path)
            for table in TABLES:
                self._db.execute(f"CREATE TABLE IF NOT EXISTS {table} (key TEXT PRIMARY KEY, entry TEXT NOT NULL)")
        except sqlite3.Error as error:  # an optimisation only: build without it
            log.info("render cache %s unusable (%s); matching every briefing", self.path, error)
            self.close()

    def key(self, *parts: str) -> str:
        digest = hashlib.sha256()
        for part in (CACHE_VERSION, self.salt, *parts):
            digest.update(part.encode("utf-8", "surrogatepass"))
            digest.update(b"\0")
        return digest.hexdigest()

    def get(self, key: str, table: str = "mentions") -> Any:
        if self._db is None:
            return None
        try:
            row = self._db.execute(f"SELECT entry FROM {table} WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error as error:
            log.info("render cache %s unreadable (%s); matching every briefing", self.path, error)
            self.close()
            return None
        if row is None:
            return None
        self.used.add((table, key))
        return json.loads(row[0])

    def put(self, key: str, entry: Any, table: str = "mentions") -> None:
        """Store an entry in the build's open transaction: SQLite keeps it (spilling to disk),
        not this process, so a build of 10,000 pages does not hold every page's HTML twice."""
        if self._db is None:
            return
        try:
            self._db.execute(f"INSERT OR REPLACE INTO {table} VALUES (?, ?)", (key, json.dumps(entry, separators=(",", ":"))))
        except sqlite3.Error as error:
            log.info("render cache %s not written (%s); matching every briefing", self.path, error)
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
