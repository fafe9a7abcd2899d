"""MkDocs plugin `briefings-pagefind`: search that scales, with Pagefind's chunked index.

    plugins:
      - briefings
      - briefings-pagefind:
          search: pagefind          # or `material`: this plugin then does nothing at all

With `search: pagefind`, drop Material's `search` plugin from mkdocs.yml (both would index).
The marking, the staging and the indexing are builder.site.search_index's, which also runs
them after any other generator (`briefings pagefind --site DIR`); here they run event by event:

- on_startup: notes whether this is `mkdocs serve`; the index is not rebuilt on every
  live reload there unless `index_on_serve` (indexing 10,000 pages takes seconds).
- on_files: adds the search UI glue (`assets/pagefind/pagefind-material.{js,css}`) in memory,
  unless docs/ has its own.
- on_post_page: briefing pages (those the `briefings` plugin gave `page.meta.briefing`) are
  marked for Pagefind and staged (reduced to their article); every page gets the glue.
- on_post_build: runs the `pagefind` binary shipped by the `pagefind_bin` package over the
  staged briefings, into site_dir/pagefind.

Output: the word index and fragments are byte-identical from run to run; Pagefind 1.5.2 writes
filter values in hash-map order, so the filter files' bytes (and names) vary.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from builder.site.search_index import (
    ASSET_FILES, ASSETS, BUNDLE_DIR, PagefindError, index_document, mark_briefing, run_pagefind, with_glue,
)

log = logging.getLogger("mkdocs.plugins.briefings-pagefind")

class PagefindConfig(Config):
    search = c.Choice(("pagefind", "material"), default="pagefind")
    """`pagefind`: chunked index + Pagefind UI behind Material's look. `material`: this plugin
    does nothing (keep Material's `search` plugin in mkdocs.yml)."""
    index_on_serve = c.Type(bool, default=False)
    """Also index under `mkdocs serve` (costs seconds per reload on a big archive)."""
    timeout = c.Type(int, default=600)
    """Seconds the pagefind binary may take."""


class PagefindPlugin(BasePlugin[PagefindConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.serving = False
        self.staging: Path | None = None  # briefings reduced to their article, for Pagefind
        self.staged = 0
        self.last_index_seconds: float | None = None

    @property
    def enabled(self) -> bool:
        return self.config.search == "pagefind"

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if self.enabled and "search" in config.plugins:
            log.info("both Material's search and Pagefind index the site; drop `search` from plugins to save time")
        return config

    @property
    def indexing(self) -> bool:
        return self.enabled and (not self.serving or self.config.index_on_serve)

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        self._drop_staging()
        if self.indexing:
            self.staging = Path(tempfile.mkdtemp(prefix="briefings-pagefind-"))
            self.staged = 0

    def on_build_error(self, *, error: Exception) -> None:
        self._drop_staging()

    def on_shutdown(self) -> None:
        self._drop_staging()

    def _drop_staging(self) -> None:
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging = None

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        if not self.enabled:
            return files
        for name in ASSET_FILES:
            path = f"assets/pagefind/{name}"
            if files.get_file_from_path(path) is None:
                files.append(File.generated(config, path, content=(ASSETS / name).read_bytes()))
        return files

    # After the briefings plugin and the theme: this works on the final HTML.
    @event_priority(-50)
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        if not self.enabled:
            return output
        briefing = (page.meta or {}).get("briefing")
        if isinstance(briefing, dict):
            output = mark_briefing(output, briefing)
            document = index_document(output) if self.staging is not None else None
            if document is not None:
                target = self.staging / page.file.dest_path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(document, encoding="utf-8")
                self.staged += 1
        return with_glue(output, page.url)

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.staging is None:
            return
        if self.staged == 0:
            log.warning("pagefind: no briefing pages, no search index")
            self._drop_staging()
            return
        started = time.perf_counter()
        bundle = Path(config.site_dir) / BUNDLE_DIR
        try:
            run_pagefind(self.staging, bundle, self.config.timeout)
        except PagefindError as error:  # the build fails with Pagefind's words
            raise PluginError(f"{error} ({config.site_dir})") from None
        finally:
            self._drop_staging()
        self.last_index_seconds = time.perf_counter() - started
        log.info("pagefind: indexed %d briefings in %.1f s", self.staged, self.last_index_seconds)
