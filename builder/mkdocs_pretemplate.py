"""Pages' theme templates rendered on forked workers while MkDocs writes the pages.

After the page loop, MkDocs fills the theme's template for every page, one after another on
one core: at 10,000 briefings Material's templates take ~10 s there, while the second core
waits. From on_env (last) every page has its HTML, table of contents and metadata, so the
plugin forks workers that do for each page what MkDocs' `_build_page` does up to the
template's output (the page's context, every plugin's on_page_context, the template), and
hand the output back (`Built`). The parent still builds each page's context and runs every
on_page_context itself (Material's search indexes the page there), then the theme's
`get_template` gives it, for a page a worker built, a template (`_Prebuilt`) whose render
returns the worker's output, but only if the context the parent built has the same digest
(`context_digest`: the page, its metadata and HTML, the context's plain values) as the
worker's; otherwise it renders the template itself. A worker hands back nothing for a page
whose build logged anything (the parent's build logs it, once) or raised.

Workers run the other plugins' on_page_context on their own copy of the site: only plugins
known to keep no state between pages (`KNOWN_PAGE_CONTEXT`) may have one, otherwise no
worker starts.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Iterator

from mkdocs.commands.build import get_context

from builder import forkpool, mkdocs_prerender
from builder.mkdocs_prerender import WorkerRenders

if TYPE_CHECKING:
    import jinja2
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page

# From this many pages to write, a build forks workers for their templates (Material's
# templates ~0.9 ms a page; forking and sending the output back ~0.1 s).
PARALLEL_FROM = 500
MAX_WORKERS = 4
AHEAD = 256  # pages sent to the workers ahead of the one MkDocs writes

# Modules whose on_page_context only reads the page or only adds to the context from the
# page and the site (the same in a worker as in the parent): Material's search and ours.
KNOWN_PAGE_CONTEXT = frozenset({"material.plugins.search.plugin", "builder.mkdocs_plugin"})

_PLAIN = (str, int, float, bool, type(None))


def context_digest(context: dict[str, Any]) -> int:
    """A digest of what a page's template reads that can differ between a worker and the
    parent: the page (path, title, metadata, HTML) and the context's plain values and keys.
    Python's own hash: a forked worker has the parent's hash seed and, for objects whose
    repr shows an address, the parent's addresses; it costs a fraction of a JSON dump and a
    cryptographic hash, and the parent computes it for every page it writes."""
    page = context["page"]
    plain = tuple((key, value if isinstance(value, _PLAIN) else type(value).__name__)
                  for key, value in sorted(context.items(), key=_first))
    return hash((page.file.src_uri, str(page.title), page.content or "", repr(page.meta), len(context["pages"]), plain))


def _first(item: tuple[str, Any]) -> str:
    return item[0]


def can_fork_templates(config: MkDocsConfig) -> bool:
    """True if every on_page_context comes from a module the workers can run it from."""
    handlers = config.plugins.events.get("page_context", [])
    return all(getattr(handler, "__module__", None) in KNOWN_PAGE_CONTEXT for handler in handlers)


@dataclass
class Built:
    """A page's template output from a worker, and the digest of the context it rendered;
    neither if the worker could not vouch for it."""

    src_uri: str
    digest: int | None = None
    output: str | None = None

    @property
    def usable(self) -> bool:
        return self.output is not None


class TemplateWorker:
    """Renders one page's theme template, in a forked worker (as MkDocs' `_build_page`)."""

    def __init__(self, config: MkDocsConfig, nav: Navigation, doc_files: list[File],
                 get_template: Callable[[str], jinja2.Template]):
        self.config, self.nav, self.doc_files, self.get_template = config, nav, doc_files, get_template
        self.by_uri = {file.src_uri: file for file in doc_files}
        self._started = False

    def __call__(self, src_uri: str) -> Built:
        before = mkdocs_prerender.worker_records_logged()
        if not self._started:  # this worker process's first page
            self._started = True
            _skip_search_indexing(self.config)
        config, file = self.config, self.by_uri.get(src_uri)
        page: Page | None = file.page if file is not None else None
        if page is None:
            return Built(src_uri)
        config._current_page = page
        page.active = True
        try:
            context = get_context(self.nav, self.doc_files, config, page)
            template = self.get_template(page.meta.get("template", "main.html"))
            context = config.plugins.on_page_context(context, page=page, config=config, nav=self.nav)
            output = template.render(context)
            digest = context_digest(context)
        except Exception:  # the parent's build of the page meets it again, and reports it
            return Built(src_uri)
        finally:
            page.active = False
            config._current_page = None
            page.content = None  # this worker's copy of the page lets go of its HTML
        if mkdocs_prerender.worker_records_logged() != before:
            return Built(src_uri)
        return Built(src_uri, digest, output)


def _skip_search_indexing(config: MkDocsConfig) -> None:
    """In a worker: Material's search indexes each page in on_page_context (a third of a
    worker's time), into an index nobody reads there; its change to the page's HTML stays."""
    for plugin in config.plugins.values():
        index = getattr(plugin, "search_index", None)
        if type(plugin).__module__ == "material.plugins.search.plugin" and hasattr(index, "add_entry_from_context"):
            index.add_entry_from_context = lambda page: None


class _Prebuilt:
    """The template MkDocs gets for a page a worker built: the worker's output if the parent's
    context has the same digest, else the real template's render."""

    def __init__(self, templates: PrebuiltTemplates, template: jinja2.Template, built: Built):
        self.templates, self.template, self.built = templates, template, built

    def render(self, context: dict[str, Any]) -> str:
        if context_digest(context) == self.built.digest:
            self.templates.used += 1
            return self.built.output  # type: ignore[return-value]
        return self.template.render(context)

    def __getattr__(self, name: str) -> Any:  # anything else a plugin asks of a template
        return getattr(self.template, name)


class PrebuiltTemplates:
    """The workers' outputs, handed to MkDocs through the theme environment's `get_template`."""

    def __init__(self, env: jinja2.Environment, config: MkDocsConfig, renders: WorkerRenders, window: _Window):
        self.env, self.config, self.renders, self.window = env, config, renders, window
        self.used = 0  # outputs MkDocs took
        self._get_template = env.get_template
        env.get_template = self.get_template  # type: ignore[method-assign]  # this build's environment only

    def get_template(self, name: Any, parent: str | None = None, globals: Any = None) -> Any:
        template = self._get_template(name, parent, globals)
        page = self.config._current_page
        # A page's own template (includes and extends name a parent), asked for once per page.
        if parent is None and page is not None and name == page.meta.get("template", "main.html"):
            built = self.renders.take(page.file.src_uri)
            if built is not None:
                return _Prebuilt(self, template, built)
        return template

    def close(self) -> None:
        self.window.close(self.renders.pages)  # first: stopping the pool waits for its feeder thread
        self.renders.close()
        self.env.get_template = self._get_template  # type: ignore[method-assign]


def build_templates(env: jinja2.Environment, config: MkDocsConfig, nav: Navigation, doc_files: list[File],
                    src_uris: list[str], *, workers: int) -> PrebuiltTemplates:
    """Start rendering the templates of the pages `src_uris` (in MkDocs' order) on `workers`
    forked processes, now, and hand their outputs to MkDocs through `env`."""
    worker = TemplateWorker(config, nav, doc_files, env.get_template)
    window = _Window(AHEAD)
    renders = WorkerRenders(forkpool.fork_imap(worker, window.jobs(src_uris), workers=workers, chunksize=8),
                            src_uris, workers, taken=window.release)
    renders.start()
    return PrebuiltTemplates(env, config, renders, window)


class _Window:
    """At most `size` pages sent to the workers and not yet taken by MkDocs. The workers are
    faster than MkDocs' loop, which also indexes and writes each page: without a bound, the
    outputs waiting for it would pile up in the parent's memory (~100 MB at 10,000)."""

    def __init__(self, size: int):
        self._free = threading.Semaphore(size)
        self._closed = False

    def jobs(self, src_uris: list[str]) -> Iterator[str]:
        for src_uri in src_uris:  # run by the pool's feeder thread: waiting here stops only it
            self._free.acquire()
            if self._closed:
                return
            yield src_uri

    def release(self) -> None:
        self._free.release()

    def close(self, pages: int) -> None:
        self._closed = True
        self._free.release(pages + 1)  # a feeder thread waiting for a page goes on, and stops
