"""MkDocs plugin `briefings-pagefind`: search that scales, with Pagefind's chunked index.

Material's built-in search writes one `search_index.json` holding every word of every page
(79 MB at 10,000 briefings) that each reader's browser downloads and indexes before the first
result. Pagefind splits its index into chunks fetched on demand: a first query transfers a
few hundred KB whatever the size of the archive.

    plugins:
      - briefings
      - briefings-pagefind:
          search: pagefind          # or `material`: this plugin then does nothing at all

With `search: pagefind`, drop Material's `search` plugin from mkdocs.yml (both would index).

What it does, event by event:

- on_startup: notes whether this is `mkdocs serve`; the index is not rebuilt on every
  live reload there unless `index_on_serve` (indexing 10,000 pages takes seconds, the
  edit-to-visible target is 2 s).
- on_files: adds the small search UI glue (`assets/pagefind/pagefind-material.{js,css}`)
  in memory, unless docs/ has its own.
- on_post_page: briefing pages (those the `briefings` plugin gave `page.meta.briefing`) get
  `data-pagefind-body` on the article, an invisible block of filters (actor, region, year)
  and meta (date, source), and `data-pagefind-ignore` on the facts list and
  the related-briefings list, so results and excerpts come from the briefing's own text.
  Only briefings are indexed. Every page gets the glue's stylesheet and script; the script
  adds a search button to Material's header and opens a search dialog on `/`, `s` or `f`
  (Material's own shortcuts). The dialog is our own small UI on Pagefind's JS API
  (`pagefind.js`), not Pagefind's default UI, which loads every filter list to show counts
  before the first result: here a first query fetches only pagefind.js, its WebAssembly, the
  page metadata, the word-index chunks it needs and ten result fragments; the actor, region
  and year lists load when the reader opens the filter panel.
- on_post_build: runs the `pagefind` binary shipped by the `pagefind_bin` package.

Pagefind parses every HTML file it is given, and Material's page chrome (navigation, header,
scripts) is most of a briefing page's bytes. So each briefing is also written, reduced to its
`<article>`, into a staging folder outside site_dir, and Pagefind indexes that folder
(`--site staging --output-path site_dir/pagefind`): the same URLs, 2.4x less indexing time.
Output: the word index and fragments are byte-identical from run to run; Pagefind 1.5.2 writes
filter values in hash-map order, so the filter files' bytes (and names) vary.
"""

from __future__ import annotations

import html
import logging
import re
import shutil
import subprocess
import sys
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

log = logging.getLogger("mkdocs.plugins.briefings-pagefind")

ASSETS = Path(__file__).resolve().parent / "pagefind_ui"
ASSET_FILES = ("pagefind-material.js", "pagefind-material.css")
BUNDLE_DIR = "pagefind"

_ARTICLE = re.compile(r'<article class="md-content__inner md-typeset"')
_MARKED_ARTICLE = re.compile(r"<article[^>]* data-pagefind-body.*?</article>", re.DOTALL)
_LANG = re.compile(r'<html[^>]* lang="([^"]+)"')
_FACTS = re.compile(r'<dl class="ba-facts"')


class PagefindConfig(Config):
    search = c.Choice(("pagefind", "material"), default="pagefind")
    """`pagefind`: chunked index + Pagefind UI behind Material's look. `material`: this plugin
    does nothing (keep Material's `search` plugin in mkdocs.yml)."""
    index_on_serve = c.Type(bool, default=False)
    """Also index under `mkdocs serve` (costs seconds per reload on a big archive)."""
    timeout = c.Type(int, default=600)
    """Seconds the pagefind binary may take."""


def relative_root(page_url: str) -> str:
    """From a page's URL ("briefings/2020/x/", "about.html", "") to the site root."""
    return "../" * page_url.count("/")


def search_data(briefing: dict) -> str:
    """The invisible filters and meta block of one briefing page (Pagefind reads the
    text of the elements; `data-pagefind-ignore` keeps it out of the searchable words)."""
    parts: list[str] = []

    def span(attribute: str, name: str, value: str | None) -> None:
        if value:
            parts.append(f'<span data-pagefind-{attribute}="{name}">{html.escape(str(value))}</span>')

    for actor in briefing.get("actors") or ():
        span("filter", "actor", actor.get("name"))
    region = briefing.get("region") or {}
    span("filter", "region", region.get("name") if isinstance(region, dict) else region)
    date = briefing.get("date") or ""
    span("filter", "year", date[:4] if date else None)
    span("meta", "date", date)
    span("meta", "source", briefing.get("source"))
    # No data-pagefind-sort: the UI does not offer sorting, and a date sort adds a quarter to
    # the metadata file every first query downloads (95 -> 70 KB at 10,000 briefings).
    return '<div hidden data-pagefind-ignore="index" class="ba-search-data">' + "".join(parts) + "</div>"


def mark_briefing(output: str, briefing: dict) -> str:
    """A rendered briefing page with Pagefind's attributes; other HTML unchanged."""
    match = _ARTICLE.search(output)
    if match is None:
        return output
    end = output.index(">", match.end()) + 1
    output = output[: match.end()] + " data-pagefind-body" + output[match.end(): end] + search_data(briefing) + output[end:]
    # The related-briefings section carries data-pagefind-ignore="all" from its template.
    return _FACTS.sub('<dl class="ba-facts" data-pagefind-ignore', output, count=1)


def index_document(output: str) -> str | None:
    """What Pagefind needs of a marked briefing page: its language and its article."""
    article = _MARKED_ARTICLE.search(output)
    if article is None:
        return None
    lang = _LANG.search(output[:2000])
    return (f'<!doctype html><html lang="{lang.group(1) if lang else "en"}"><head><meta charset="utf-8"></head>'
            f"<body>{article.group(0)}</body></html>")


def glue_tags(root: str) -> tuple[str, str]:
    """(head tag, end-of-body tag) that load the search glue from a page at `root`."""
    head = f'<link rel="stylesheet" href="{root}assets/pagefind/pagefind-material.css">'
    body = (f'<script src="{root}assets/pagefind/pagefind-material.js" '
            f'data-bundle="{root}{BUNDLE_DIR}/" defer></script>')
    return head, body


def pagefind_executable() -> list[str]:
    """The binary the `pagefind_bin` wheel ships (`pagefind[bin]`), else `python -m pagefind`."""
    try:
        from pagefind_bin import get_executable
    except ImportError:
        return [sys.executable, "-m", "pagefind"]
    return [str(get_executable())]


def pagefind_command(source_dir: str, bundle_dir: str) -> list[str]:
    return [*pagefind_executable(), "--site", source_dir, "--output-path", bundle_dir, "--silent"]


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
        head, body = glue_tags(relative_root(page.url))
        output = output.replace("</head>", head + "</head>", 1)
        at = output.rfind("</body>")
        return output[:at] + body + output[at:] if at >= 0 else output + body

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.staging is None:
            return
        if self.staged == 0:
            log.warning("pagefind: no briefing pages, no search index")
            self._drop_staging()
            return
        started = time.perf_counter()
        bundle = str(Path(config.site_dir) / BUNDLE_DIR)
        try:
            result = subprocess.run(
                pagefind_command(str(self.staging), bundle), capture_output=True, text=True, timeout=self.config.timeout,
            )
        except subprocess.TimeoutExpired:
            raise PluginError(f"pagefind: indexing {config.site_dir} took more than {self.config.timeout} s") from None
        finally:
            self._drop_staging()
        if result.returncode != 0:
            detail = (result.stderr or result.stdout).strip().splitlines()
            raise PluginError("pagefind failed: " + (detail[-1] if detail else f"exit code {result.returncode}"))
        self.last_index_seconds = time.perf_counter() - started
        log.info("pagefind: indexed %d briefings in %.1f s", self.staged, self.last_index_seconds)
