"""MkDocs plugin `briefings`: the archive's generated pages and briefing rendering.

A thin adapter. The work happens in `builder.site` (no MkDocs import there); here we
only hand its results to MkDocs at the right events:

- on_files: read the registry and every briefing, fail the build on any bad input
  (one `path:line: field: message` line per problem), then add the generated pages
  (home, actors, registry, regions, archive, feeds) in memory with `File.generated`. Nothing is
  ever written into docs_dir: under `mkdocs serve` that would trigger a rebuild loop.
- on_page_markdown (briefings only): link the first mention of each actor, add the
  review notice, and give the theme the header and related-briefings data.
- on_page_markdown / on_page_content (generated pages): their raw HTML listings skip
  Markdown (`builder.mkdocs.rawhtml`), which would only re-parse them, slowly.
- on_page_content (briefings only): sanitise the HTML, since briefings are untrusted.
- on_page_markdown (last) / on_page_content (first): the render cache
  (`builder.site.render_cache`): a page whose final Markdown was rendered before, with the
  same settings, gets its HTML, table of contents and anchors back without Python-Markdown.
- on_serve: also watch the registry and raw/; docs/ and raw/ with native file events
  (`builder.mkdocs.watch`), not MkDocs' polling, which is slow on a big archive.
- on_env (serve only): compiled theme templates are kept across rebuilds.
- on_nav / on_page_context: Material's navigation is rendered once per set of relative
  links for the pages outside the nav (`builder.mkdocs.navcache`).
- on_nav (last): when many pages are not in the render cache (a cold build), they are
  rendered on forked workers first, one per core (`builder.mkdocs.prerender`); the page loop
  takes each render as it takes a cache hit.
- on_page_content (last) / on_post_page (last): a page of ours drops its Markdown once it
  has HTML, and its HTML once it is written (less held until the build ends).

Under `mkdocs serve` this instance lives across rebuilds (it has `on_startup`), and with it
a `SiteCache`: a rebuild re-reads only the briefings, sidecars and registry that changed.
With `--dirty`, MkDocs renders again only the pages it finds modified; `TrackedFile` tells
it which ones are: a briefing whose file changed, the generated pages whose text changed,
and the briefings whose related list or actors changed (builder.site.incremental).
"""

from __future__ import annotations

import functools
import gc
import html
import logging
import os
import threading
from collections.abc import Iterable
from pathlib import Path

import jinja2
import jinja2.bccache
import markdown as python_markdown
import mkdocs

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils.meta import get_data as get_markdown_and_meta

from builder import forkpool
from builder.mkdocs import prerender as mkdocs_prerender
from builder.mkdocs.prerender import WorkerRenders, render_entry
from builder.archive.model import Briefing
from builder.mkdocs import navcache, rawhtml
from builder.site import briefing_page
from builder.site.linking import first_mentions, linkable_mentions
from builder.site.incremental import SiteCache, changed_briefings, changed_pages
from builder.site.load import DEFAULT_SITE_URL, Site, SiteError, load_site
from builder.site.render_cache import RenderCache, links_resolve, settings_salt
from builder.site.sanitize import sanitize_html
from builder.mkdocs.watch import EventRelay, relay_big_folders

log = logging.getLogger("mkdocs.plugins.briefings")


class BriefingsConfig(Config):
    registry = c.Type(str, default="registry")
    """The actor registry, relative to mkdocs.yml: a folder of files (or one file)."""
    raw_dir = c.Type(str, default="raw")
    """Raw articles, relative to mkdocs.yml; watched by `mkdocs serve`."""
    link_actors = c.Type(bool, default=True)
    """Link the first mention of each actor in a briefing's text to the actor page."""
    related_briefings = c.Type(int, default=5)
    """How many related briefings (sharing the most actors) to list under a briefing; 0 for none."""
    native_watch = c.Type(bool, default=True)
    """Under `mkdocs serve`, watch docs/ and raw/ with the OS's file events instead of polling."""
    render_cache = c.Type(str, default=".cache/render")
    """Folder of the persistent cache of rendered pages, relative to mkdocs.yml; "" for none."""


class TrackedFile(File):
    """A file whose `is_modified` (asked by dirty builds only) knows what the plugin knows.

    MkDocs counts an in-memory (generated) file as always modified, and a Markdown file as
    modified only when it is newer than its output, though its page also shows other files.
    """

    changed = True  # the plugin's word: the page's text or inputs changed since the last build
    known = False  # the plugin saw this briefing's file at the last build: `changed` says it all

    def is_modified(self) -> bool:
        if self.changed:
            return True
        if self.generated_by is not None:
            return not os.path.isfile(self.abs_dest_path)
        # Two stats per briefing (MkDocs compares the source's and the output's mtimes) are a
        # tenth of a rebuild at 10,000 briefings; the plugin stamped every file already.
        return False if self.known else super().is_modified()


class _DirtyNotice(logging.Filter):
    """MkDocs warns on every dirty build that pages may be stale, which aborts a `strict: true`
    site; with this plugin's tracking the archive's pages are not stale: say it as information."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno == logging.WARNING and record.getMessage().startswith("A 'dirty' build is being performed"):
            record.levelno, record.levelname = logging.INFO, "INFO"
        return True


DIRTY_NOTICE = _DirtyNotice()


class _ProblemCounter(logging.Handler):
    """Counts what a render reports (a page that reported something is not cached)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.WARNING or record.name.startswith("mkdocs.structure"):
            self.count += 1


class TemplateBytecode(jinja2.BytecodeCache):
    """Compiled theme templates kept in memory across `mkdocs serve` rebuilds.

    MkDocs makes a new Jinja environment for each rebuild, which compiles every template of
    Material again (~0.3 s of a one-briefing rebuild). Jinja checks each bucket against its
    template's source checksum, so an edited override is compiled again.
    """

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self.compiled.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


class IdleCollector:
    """Garbage collection for `mkdocs serve`, out of the rebuild the reader waits for.

    After a build, the objects alive (the parsed archive, MkDocs' pages and files) are frozen
    (`gc.freeze`): the next rebuild's collections no longer walk the millions of them, half a
    second of a one-briefing rebuild at 10,000 briefings. The cycles that die meanwhile are
    reclaimed by a full collection once the server has been idle for `delay` seconds.
    """

    def __init__(self, delay: float = 2.0) -> None:
        self.delay = delay
        self._timer: threading.Timer | None = None

    def build_starts(self) -> None:
        self._cancel()

    def build_ended(self) -> None:
        gc.freeze()
        self._cancel()
        self._timer = threading.Timer(self.delay, self.collect)
        self._timer.daemon = True
        self._timer.start()

    @staticmethod
    def collect() -> None:
        gc.unfreeze()
        gc.collect()
        gc.freeze()

    def stop(self) -> None:
        self._cancel()
        gc.unfreeze()

    def _cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None


def _skip_render(page: Page, config: MkDocsConfig, files: Files) -> None:
    page.content = ""


class BriefingsPlugin(BasePlugin[BriefingsConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.site: Site | None = None
        self.briefings: dict[str, Briefing] = {}
        self.generated: set[str] = set()  # src_uri of the generated pages in use
        self.stashed: dict[str, list[str]] = {}  # src_uri -> its HTML blocks, from on_page_markdown to on_page_content
        self.root = Path(".")
        self.dirty = False
        self.cache = SiteCache()
        self.built: Site | None = None  # the site of the last build that succeeded, in this process
        self.render: RenderCache | None = None  # None: no render cache in this build
        self.render_hits: dict[str, dict] = {}  # src_uri -> cached render, until on_page_content
        self.render_misses: dict[str, tuple[str, int]] = {}  # src_uri -> (key, problems before its render)
        self.site_urls: set[str] | None = None
        self.problems = _ProblemCounter()
        self.templates: TemplateBytecode | None = None  # under `mkdocs serve` only
        self.relay: EventRelay | None = None  # under `mkdocs serve`: file events for docs/ and raw/
        self.collector: IdleCollector | None = None  # under `mkdocs serve`
        self.nav_targets: list[str] = []  # site URLs the navigation links to (builder.mkdocs.navcache)
        self.in_nav: set[str] = set()  # src_uri of the pages in the navigation
        self.worker_renders: WorkerRenders | None = None  # this build's pages rendered on workers, from on_nav to on_env
        self.worker_rendered = 0  # how many, this build
        self.command = "build"

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup keeps this instance (and its cache) across `mkdocs serve` rebuilds.
        self.dirty, self.command = dirty, command
        self.templates = TemplateBytecode() if command == "serve" else None
        self.collector = IdleCollector() if command == "serve" else None
        if dirty:
            logging.getLogger("mkdocs.commands.build").addFilter(DIRTY_NOTICE)

    def on_shutdown(self) -> None:
        logging.getLogger("mkdocs.commands.build").removeFilter(DIRTY_NOTICE)
        if self.relay is not None:
            self.relay.stop()
            self.relay = None
        if self.collector is not None:
            self.collector.stop()
        self._close_render_cache()  # and forget it: MkDocs may hand this instance to another build

    # Paths in the plugin config are relative to mkdocs.yml, not to the working directory;
    # problems name them relative to the working directory when inside it (as users type them).
    def _path(self, value: str | os.PathLike) -> Path:
        path = os.path.abspath(self.root / value)
        relative = os.path.relpath(path)
        return Path(path if relative.startswith("..") else relative)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if self.collector is not None:
            self.collector.build_starts()
        self.root = Path(config.config_file_path).parent if config.config_file_path else Path(".")
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        self._open_render_cache(config)
        self.cache.store = self.render  # actor mentions persist there too
        try:
            self.site = load_site(
                self._path(config.docs_dir),
                self._path(self.config.registry),
                site_url=config.site_url or DEFAULT_SITE_URL,
                site_name=config.site_name,
                cache=self.cache,
            )
        except SiteError as error:
            raise PluginError(str(error)) from None
        self.briefings = {b.path: b for b in self.site.briefings}
        self.generated = set()
        self.stashed = {}
        pages = changed_pages(self.built, self.site) if self.dirty else None
        for page in self.site.pages:
            if files.get_file_from_path(page.path) is not None:
                log.info("docs/%s is written by hand; the generated page is not used", page.path)
                continue
            file = TrackedFile.generated(config, page.path, content=page.content)
            file.changed = pages is None or page.path in pages
            files.append(file)
            self.generated.add(page.path)
        if self.dirty:
            briefings = changed_briefings(self.built, self.site, self.config.related_briefings)
            reread = self.cache.reparsed  # files new or changed since the last build in this process
            for path in self.briefings:
                file = files.get_file_from_path(path)
                if file is not None and type(file) is File:
                    file.__class__ = TrackedFile  # the same object, now asking the plugin (no copy of 10,000 files)
                    file.changed = briefings is None or path in briefings or path in reread
                    file.known = briefings is not None
        return files

    def _open_render_cache(self, config: MkDocsConfig) -> None:
        self.render_hits, self.render_misses, self.site_urls = {}, {}, None
        events = config.plugins.events
        # A cached page skips Python-Markdown: only if no other plugin's page_markdown runs
        # after ours (it would change the Markdown) or page_content before ours (it would see none).
        usable = (
            bool(self.config.render_cache)
            and events["page_markdown"][-1] == self.on_page_markdown
            and events["page_content"][0] == self._page_content_first
        )
        if not usable:
            self._close_render_cache()
            return
        salt = settings_salt(
            config.markdown_extensions, config.mdx_configs, config.use_directory_urls,
            python_markdown.__version__, mkdocs.__version__,
        )
        folder = self._path(self.config.render_cache)
        if self.render is None or self.render.salt != salt or self.render.path.parent != folder:
            self._close_render_cache()
            self.render = RenderCache(folder, salt)
        logging.getLogger("mkdocs").addHandler(self.problems)

    def _close_render_cache(self) -> None:
        if self.render is not None:
            self.render.close()
        self.render = None

    # Before other plugins read page.meta (e.g. tags), so they see the actors as tags; and last
    # (nothing else changes the Markdown in this site's config), for the render cache.
    @event_priority(50)
    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        text = self._page_markdown(markdown, page=page)
        src = page.file.src_uri
        if self.render is None or (src not in self.generated and src not in self.briefings):
            return text
        key = self.render.key(src, text)
        rendered = self.worker_renders.take(src) if self.worker_renders is not None else None
        entry = rendered.entry() if rendered is not None and rendered.key == key else None
        if entry is not None:  # rendered on a worker, this build, from this very Markdown
            self.render.put(key, entry)
            return self._reuse_render(page, text, entry)
        entry = self.render.get(key)
        if entry is not None:
            if self.site_urls is None:
                self.site_urls = {f.url for f in files}
            targets = [files.get_file_from_path(uri) for uri in (entry["links"] or {})]
            if links_resolve(entry["html"], page.file.url, self.site_urls) and None not in targets:
                self.render.hits += 1
                return self._reuse_render(page, text, entry)
        self.render.misses += 1
        self.render_misses[src] = (key, self.problems.count)
        return text

    def _reuse_render(self, page: Page, text: str, entry: dict) -> str:
        self.render_hits[page.file.src_uri] = entry
        # This page object only: MkDocs calls page.render next, and even an empty
        # text costs a Python-Markdown instance (~1 ms a page); on_page_content puts the render back.
        page.render = _skip_render.__get__(page)
        return text

    def _page_markdown(self, markdown: str, *, page: Page) -> str:
        if page.file.src_uri in self.generated:
            markdown, self.stashed[page.file.src_uri] = rawhtml.stash(markdown)
            return markdown
        briefing = self.briefings.get(page.file.src_uri)
        if briefing is None or self.site is None:
            return markdown
        site, path = self.site, briefing.path
        actors = [a for a in map(site.registry.get, site.graph.actors_of.get(path, ())) if a is not None]
        # Material prints page.meta.title as HTML (like titles MkDocs takes from headings).
        page.meta["title"] = html.escape(briefing.meta.title)
        page.meta["tags"] = briefing_page.tags(briefing.meta, actors)
        page.meta["briefing"] = briefing_page.header(briefing.meta, actors, site.mention_counts.get(path),
                                                     site.first_mentions.get(path, ()))

        limit = self.config.related_briefings
        related = site.graph.related_briefings(path, limit) if limit > 0 else []
        page.meta["briefing"]["related"] = {"items": briefing_page.related(path, related)}  # the theme renders it
        return self._briefing_markdown(briefing, markdown)

    def _briefing_markdown(self, briefing: Briefing, markdown: str) -> str:
        """A briefing's final Markdown: its first mentions linked, its review notice."""
        assert self.site is not None
        mentions = []
        if self.config.link_actors:
            # MkDocs hands over the body the archive parsed (up to blank lines at the ends):
            # reuse the mentions found in on_files rather than matching the text again.
            if markdown.strip("\n") + "\n" == briefing.body:
                markdown, mentions = briefing.body, self.site.first_mentions[briefing.path]
            else:
                mentions = first_mentions(linkable_mentions(markdown, self.site.matcher))
        # Another plugin's text may name an actor no briefing names: it has no page to link to.
        return briefing_page.render_markdown(briefing, markdown, mentions, self.site.graph.briefings_by_actor)

    def _expected_markdown(self, src_uri: str, contents: dict[str, str]) -> str:
        """The final Markdown on_page_markdown will give a page of ours if no other plugin
        changes it, from the texts loaded in on_files (`contents`: generated pages' text).
        A prediction: the page loop goes by the Markdown it really gets."""
        if src_uri in self.generated:
            return rawhtml.stash(get_markdown_and_meta(contents[src_uri])[0])[0]
        briefing = self.briefings[src_uri]
        return self._briefing_markdown(briefing, briefing.body)

    @event_priority(100)  # first: the render cache gives the page its HTML back
    def _page_content_first(self, html_text: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        src = page.file.src_uri
        if src in self.render_hits:
            entry = self.render_hits.pop(src)
            html_text = entry["html"]
            page.toc = get_toc(entry["toc"])
            page._title_from_render = entry["title"]
            page.present_anchor_ids = set(entry["anchors"])
            if entry["links"] is not None:  # None if rendered while logging at DEBUG (MkDocs keeps none then)
                page.links_to_anchors = {files.get_file_from_path(uri): links for uri, links in entry["links"].items()}
            del page.render
        elif src in self.render_misses:
            key, problems = self.render_misses.pop(src)
            if self.render is not None and self.problems.count == problems:
                self.render.put(key, render_entry(page, html_text))
        return self._page_content(html_text, page=page)

    def _page_content(self, html_text: str, *, page: Page) -> str:
        src = page.file.src_uri
        if src in self.stashed:  # generated pages: their HTML listings skipped Markdown
            return rawhtml.unstash(html_text, self.stashed.pop(src))
        if src in self.briefings:
            related = page.meta["briefing"]["related"]
            if related["items"]:
                anchors = page.present_anchor_ids = set(page.present_anchor_ids or ())
                related["id"] = briefing_page.related_anchor(anchors)
                anchors.add(related["id"])
            return briefing_page.exclude_from_search(sanitize_html(html_text))
        return html_text

    # Memory: MkDocs keeps every page's Markdown and HTML until the build ends (plain Material
    # at 10,000 briefings: ~700 MB). Of the pages this plugin owns, the Markdown is not read
    # once the HTML exists, and the HTML not once the page is written (their titles come from
    # page.meta or the render, not from either text).
    @event_priority(-100)  # last: every other plugin has seen the Markdown
    def _release_markdown(self, html_text: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if self._owns(page):
            page.markdown = ""
        return html_text

    on_page_content = CombinedEvent(_page_content_first, _release_markdown)

    def _owns(self, page: Page) -> bool:
        """A briefing or a generated page (not a hand-written one such as about.md)."""
        return page.file.src_uri in self.briefings or page.file.src_uri in self.generated

    def _ours_to_write(self, doc_files: Iterable[File]) -> list[str]:
        """src_uri of the pages of ours among `doc_files` that this build writes (all of them,
        or under --dirty the modified ones): what the worker pools may take on."""
        return [f.src_uri for f in doc_files
                if (f.src_uri in self.briefings or f.src_uri in self.generated) and (not self.dirty or f.is_modified())]

    @event_priority(-100)  # last: every other plugin has seen the page
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        if self._owns(page):
            page.content = None
        return output

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self.built = self.site  # what the next dirty build compares with
        if self.collector is not None:
            self.collector.build_ended()
        logging.getLogger("mkdocs").removeHandler(self.problems)
        if self.render is not None:
            log.info("render cache: %d pages reused, %d rendered (%d on workers)",
                     self.render.hits, self.render.misses + self.worker_rendered, self.worker_rendered)
            self.render.hits = self.render.misses = self.worker_rendered = 0
            self.render.commit(prune=not self.dirty)  # a full build used every live entry

    def on_build_error(self, *, error: Exception) -> None:
        self._stop_workers()
        self.built = None  # some pages may be missing or stale: the next build renders all
        logging.getLogger("mkdocs").removeHandler(self.problems)
        if self.render is not None:
            self.render.rollback()

    def on_env(self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        if self.templates is not None and env.bytecode_cache is None:
            env.bytecode_cache = self.templates
        navcache.install(env)  # a fresh cache of navigation HTML for this build
        self._stop_workers()  # every page is read by now
        return env

    def _stop_workers(self) -> None:
        renders, self.worker_renders = self.worker_renders, None
        if renders is not None:
            renders.close()
            self.worker_rendered = renders.rendered
            log.info("%d of %d pages rendered on %d workers", renders.rendered, renders.pages, renders.workers)

    def _nav_links(self, nav, *, config: MkDocsConfig, files: Files):
        self.nav_targets = navcache.nav_targets(nav, config.extra.get("homepage"))
        self.in_nav = {page.file.src_uri for page in nav.pages}
        return nav

    @event_priority(-100)  # last: the navigation is final, MkDocs' page loop comes next
    def _render_on_workers(self, nav, *, config: MkDocsConfig, files: Files):
        self._stop_workers()
        # With the render cache usable (the rules that make a cached render the parent's make a
        # worker's too), and only where forking is safe (never in serve's rebuilds).
        workers = forkpool.workers_if_alone(mkdocs_prerender.MAX_WORKERS)
        if self.render is None or not workers:
            return nav
        cached = self.render.keys()
        contents = {page.path: page.content for page in self.site.pages} if self.site is not None else {}
        markdown_of = functools.partial(self._expected_markdown, contents=contents)
        owned = self._ours_to_write(files.documentation_pages())
        keys = {src: self.render.key(src, markdown_of(src)) for src in owned}
        missing = [src for src in owned if keys[src] not in cached]
        if len(missing) >= mkdocs_prerender.PARALLEL_FROM:
            # The workers render while MkDocs' page loop runs; each page takes its render on the way.
            # Texts made again as the workers take them: holding 10,000 of them costs more memory than time.
            jobs = (mkdocs_prerender.Job(src, markdown_of(src), keys[src]) for src in missing)
            self.worker_renders = mkdocs_prerender.render_pages(config, files, jobs, missing, workers=workers)
        return nav

    on_nav = CombinedEvent(_nav_links, _render_on_workers)

    def on_page_context(self, context, *, page: Page, config: MkDocsConfig, nav):
        context["briefings_nav_key"] = navcache.key(page, self.nav_targets, self.in_nav)
        return context

    def on_serve(self, server, *, config: MkDocsConfig, builder):
        # docs_dir is watched already; the registry and raw articles are inputs too. The two
        # big folders get native file events instead of MkDocs' polling (builder.mkdocs.watch).
        registry, raw = self._path(self.config.registry), self._path(self.config.raw_dir)
        if registry.exists():
            server.watch(str(registry))
        docs = [os.path.abspath(config.docs_dir)]  # MkDocs watches it already
        raws = [os.path.abspath(raw)] if raw.is_dir() else []
        if raw.exists() and not raws:
            server.watch(str(raw))
        if self.config.native_watch and (docs or raws):
            self.relay = relay_big_folders(server, docs + raws, already_watched=docs)
        else:
            for folder in raws:
                server.watch(folder)
        return server
