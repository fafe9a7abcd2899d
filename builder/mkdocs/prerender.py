"""Pages the render cache lacks, rendered on forked workers before MkDocs' own page loop.

MkDocs renders every page one after another, on one core: on a cold build of 10,000
briefings Python-Markdown is a third of the time. The render cache already treats a page's
render as a function of its path, its final Markdown and the site's settings; so in on_nav,
once the navigation exists, the plugin works out each page's final Markdown (cheap: from the
texts it loaded in on_files), and when many are not in the cache it forks workers that render
them (`Page.render`, as MkDocs does) and hand back render-cache entries (`Rendered`). In the
page loop the parent takes an entry only if the page's real final Markdown has the same key,
exactly as it takes a cache hit; otherwise it renders the page itself. A worker hands back
nothing for a page whose render logged anything (the parent's render logs it, once) or raised.

Workers are forked: they inherit the config and files; each page's final Markdown goes to
them with the page (`Job`). They never touch the parent's SQLite connection.
"""

from __future__ import annotations

import logging
import pickle
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

from mkdocs.structure.pages import Page

from builder import forkpool
from builder.site.render_cache import anchors_by_uri

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File, Files

# From this many pages to render on, a build forks workers (forking and sending the pages
# back cost ~0.1 s; Python-Markdown ~2 ms a briefing). Tests lower it to run them on small sites.
PARALLEL_FROM = 500
MAX_WORKERS = 4


@dataclass
class Rendered:
    """A page from a worker: the render-cache key of the Markdown it rendered and the entry
    (compressed: fewer bytes through the pipe), or neither if the worker could not vouch for it."""

    src_uri: str
    key: str | None = None
    packed_entry: bytes | None = None

    @property
    def usable(self) -> bool:
        return self.packed_entry is not None

    def entry(self) -> dict[str, Any] | None:
        return None if self.packed_entry is None else pickle.loads(zlib.decompress(self.packed_entry))


def toc_tokens(items) -> list[dict]:
    return [{"level": a.level, "id": a.id, "name": a.title, "children": toc_tokens(a.children)} for a in items]


def render_entry(page: Page, html: str) -> dict[str, Any]:
    """What Page.render left on `page`, as a JSON-able render-cache entry."""
    return {
        "html": html,
        "toc": toc_tokens(page.toc),
        "title": page._title_from_render,
        "anchors": sorted(page.present_anchor_ids or ()),
        "links": anchors_by_uri(page.links_to_anchors),
    }


_records_handled = 0  # log records a worker would have shown


def _count_record(logger: logging.Logger, record: logging.LogRecord) -> None:
    """Logger.handle in a worker: count the record, show nothing (the parent's render will)."""
    global _records_handled
    if record.levelno >= logging.INFO:
        _records_handled += 1


def worker_records_logged() -> int:
    """In a forked worker: the log records it has had so far, counted and not shown (the
    parent's build shows them). The first call stops the worker's logging."""
    if logging.Logger.handle is not _count_record:
        logging.Logger.handle = _count_record  # type: ignore[method-assign]  # a worker process only
    return _records_handled


@dataclass
class Job:
    """One page for a worker: its final Markdown (as the parent expects it) and its cache key.
    The text travels with the job so that a worker does not read the parent's briefing
    objects: each object a forked worker reads becomes its own copy of a page of memory."""

    src_uri: str
    markdown: str
    key: str


class Worker:
    """Renders one page, in a forked worker."""

    def __init__(self, config: MkDocsConfig, files: Files):
        self.config, self.files = config, files

    def __call__(self, job: Job) -> Rendered:
        before = worker_records_logged()
        config, files = self.config, self.files
        file = files.get_file_from_path(job.src_uri)
        if file is None:
            return Rendered(job.src_uri)
        had_page = file.page is not None
        page = file.page if had_page else Page(None, file, config)
        try:
            page.markdown = job.markdown
            config._current_page = page
            page.render(config, files)
            entry = render_entry(page, page.content)
        except Exception:  # the parent's page loop meets it again, and reports it
            return Rendered(job.src_uri)
        finally:
            config._current_page = None
            page.markdown = page.content = None  # this worker's copy of the page lets go of its texts
            if not had_page:
                file.page = None
        if worker_records_logged() != before:
            return Rendered(job.src_uri)
        return Rendered(job.src_uri, job.key, zlib.compress(pickle.dumps(entry, pickle.HIGHEST_PROTOCOL), 1))


class WorkerRenders:
    """Renders arriving from the workers while MkDocs' page loop runs (the workers take the
    pages in the loop's order, so each one is there or nearly when the loop reaches it, and
    few wait in memory). `take` waits for one page, `close` stops the workers."""

    def __init__(self, renders: Iterator[Any], src_uris: list[str], workers: int,
                 taken: Callable[[], None] | None = None):
        self.workers, self.pages = workers, len(src_uris)
        self._taken = taken  # called as each page sent to the workers is taken
        self.rendered = 0  # pages the workers handed back with a render
        self._renders = renders
        self._pending = set(src_uris)
        self._arrived: dict[str, Rendered] = {}

    def start(self) -> None:
        """Fork the workers now (at the first page's result), not when MkDocs reads its first page."""
        self._pull()

    def _pull(self) -> bool:
        rendered = next(self._renders, None)
        if rendered is None:  # the workers are done
            return False
        self._arrived[rendered.src_uri] = rendered
        return True

    def take(self, src_uri: str) -> Any:
        """The worker's result for `src_uri` (a `Rendered`, or any result with `src_uri` and
        `usable`), if it has a usable one; None for a page not sent to them."""
        if src_uri not in self._pending:
            return None
        self._pending.discard(src_uri)
        if self._taken is not None:
            self._taken()
        while src_uri not in self._arrived:
            if not self._pull():
                return None
        rendered = self._arrived.pop(src_uri)
        if not rendered.usable:
            return None
        self.rendered += 1
        return rendered

    def close(self) -> None:
        self._renders.close()  # ends the pool, if its pages were not all taken
        self._pending.clear()
        self._arrived.clear()


def render_pages(config: MkDocsConfig, files: Files, jobs: Iterable[Job], src_uris: list[str], *,
                 workers: int) -> WorkerRenders:
    """Start rendering the pages `jobs` describe (`src_uris`, in order; made lazily, as workers
    take them) on `workers` forked processes, now."""
    renders = WorkerRenders(forkpool.fork_imap(Worker(config, files), jobs, workers=workers, chunksize=16), src_uris, workers)
    renders.start()
    return renders
