"""Pagefind's index of the briefings, as a post-build step over any built site.

Pagefind splits its index into chunks fetched on demand: a first query transfers a few hundred
KB whatever the size of the archive (Material's one search_index.json is 79 MB at 10,000
briefings). Briefing pages get `data-pagefind-body` on their article, an invisible block of
filters (actor, region, year) and meta (date, source), and `data-pagefind-ignore` on the facts
list (the related list and the citation carry it already). Every page gets the search glue
(pagefind_ui/: our small dialog on Pagefind's JS API behind Material's look).

Only briefings are indexed, each reduced to its `<article>` in a staging folder outside the
site (Material's chrome is most of a page's bytes: 2.4x less indexing time). The MkDocs plugin
(builder.mkdocs.pagefind) does this page by page as MkDocs writes them; `index_site` does it
after any generator has written the site (`briefings pagefind --site DIR`: Zensical, ProperDocs).
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Mapping

from builder.fsutil import write_atomic

ASSETS = Path(__file__).resolve().parent / "pagefind_ui"  # the search dialog (ours) on Pagefind's JS API
ASSET_FILES = ("pagefind-material.js", "pagefind-material.css")
BUNDLE_DIR = "pagefind"

_ARTICLE = re.compile(r'<article class="md-content__inner md-typeset"')
_MARKED_ARTICLE = re.compile(r"<article[^>]* data-pagefind-body.*?</article>", re.DOTALL)
_LANG = re.compile(r'<html[^>]* lang="([^"]+)"')
_FACTS = re.compile(r'<dl class="ba-facts"')



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


def with_glue(output: str, page_url: str) -> str:
    """A page's HTML with the search glue's stylesheet and script (`glue_tags`) added."""
    head, body = glue_tags(relative_root(page_url))
    output = output.replace("</head>", head + "</head>", 1)
    at = output.rfind("</body>")
    return output[:at] + body + output[at:] if at >= 0 else output + body


class PagefindError(Exception):
    """Pagefind failed or overran, in its own words."""


def run_pagefind(staging: Path, bundle: Path, timeout: int) -> None:
    """Index the staged briefings into `bundle`; PagefindError when Pagefind fails or overruns."""
    try:
        result = subprocess.run(pagefind_command(str(staging), str(bundle)), capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise PagefindError(f"pagefind: indexing took more than {timeout} s") from None
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise PagefindError("pagefind failed: " + (detail[-1] if detail else f"exit code {result.returncode}"))


def index_site(site_dir: Path, briefings: Mapping[str, dict], *, timeout: int = 600) -> int:
    """Mark and index a built site in place; return how many briefings were indexed.

    `briefings`: site URL of each briefing page ("briefings/2021/x/") -> its header fields
    (builder.site.briefing_page.header). Pages are rewritten atomically; a page already marked
    (a second run) is left as it is. Raises PagefindError if Pagefind fails.
    """
    site_dir = Path(site_dir)
    staging = Path(tempfile.mkdtemp(prefix="briefings-pagefind-"))
    staged = 0
    try:
        for root, dirs, names in os.walk(site_dir):
            dirs[:] = sorted(d for d in dirs if d != BUNDLE_DIR)
            for name in sorted(names):
                if not name.endswith(".html"):
                    continue
                path = Path(root) / name
                rel = path.relative_to(site_dir).as_posix()
                url = rel[: -len("index.html")] if rel.endswith("index.html") else rel
                output = path.read_text(encoding="utf-8")
                if "data-pagefind-body" in output or "assets/pagefind/pagefind-material.js" in output:
                    marked = output
                else:
                    marked = with_glue(mark_briefing(output, briefings[url]) if url in briefings else output, url)
                    write_atomic(path, marked)
                document = index_document(marked) if url in briefings else None
                if document is not None:
                    target = staging / rel
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_text(document, encoding="utf-8")
                    staged += 1
        for name in ASSET_FILES:
            write_atomic(site_dir / "assets" / "pagefind" / name, (ASSETS / name).read_bytes())
        if staged:
            run_pagefind(staging, site_dir / BUNDLE_DIR, timeout)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return staged
