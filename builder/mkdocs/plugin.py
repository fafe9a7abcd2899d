"""MkDocs plugin `briefings`: the archive's generated pages and briefing rendering.

A thin adapter. The work happens in `builder.site` (no MkDocs import there); here we
only hand its results to MkDocs at the right events:

- on_files: read the registry and every briefing, fail the build on any bad input
  (one `path:line: field: message` line per problem), then add the generated pages
  (home, actors, registry, regions, archive, feeds) in memory with `File.generated`. Nothing is
  ever written into docs_dir: under `mkdocs serve` that would trigger a rebuild loop.
- on_page_markdown (briefings only): link the first mention of each actor, add the
  review notice, and give the theme the header, related-briefings and citation data.
- on_page_markdown / on_page_content (generated pages): their raw HTML listings skip
  Markdown (`builder.mkdocs.rawhtml`), which would only re-parse them, slowly.
- on_page_content (briefings only): sanitise the HTML, since briefings are untrusted.
- on_serve: also watch the registry and raw/; docs/ and raw/ with native file events
  (`builder.mkdocs.watch`), not MkDocs' polling, which is slow on a big archive.
- on_env (serve only): compiled theme templates are kept across rebuilds.
- on_nav / on_page_context: Material's navigation is rendered once per set of relative
  links for the pages outside the nav (`builder.mkdocs.navcache`).
Under `mkdocs serve` this instance lives across rebuilds (it has `on_startup`), and with it
a `SiteCache`: a rebuild re-reads only the briefings, sidecars and registry that changed.
With `--dirty`, MkDocs renders again only the pages it finds modified; `TrackedFile` (a
File whose public `is_modified` asks the plugin) tells it which ones are: a briefing whose
file changed, the generated pages whose text changed, and the briefings whose related list
or actors changed (builder.site.incremental).

Only public MkDocs API: events, `File`/`Files`/`Page` attributes MkDocs documents for plugins,
`File.generated`, and a `File` subclass. Nothing here replaces a method, re-classes an object,
rewrites MkDocs' log records or empties a page's Markdown or HTML that other plugins may read.
"""

from __future__ import annotations

import gc
import html
import logging
import os
import threading
from pathlib import Path

import jinja2
import jinja2.bccache

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from builder.archive.model import Briefing
from builder.mkdocs import navcache, rawhtml
from builder.site import briefing_html, briefing_page
from builder.site.linking import first_mentions, linkable_mentions
from builder.site.incremental import SiteCache, changed_briefings, changed_pages
from builder.site.load import DEFAULT_SITE_URL, Site, SiteError, load_site
from builder.site.mention_store import MentionStore
from builder.site.sanitize import sanitize_html
from builder.mkdocs.watch import EventRelay, relay_big_folders

log = logging.getLogger("mkdocs.plugins.briefings")

# Mentions depend on the registry and the text only (keys say so), not on MkDocs settings.
MENTIONS_SALT = "mentions"


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
    """Folder of the persistent cache of actor mentions, relative to mkdocs.yml; "" for none."""


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

    @classmethod
    def like(cls, file: File) -> TrackedFile:
        """The same file of docs/, as a TrackedFile (built from File's public constructor)."""
        return cls(file.src_path, file.src_dir, file.dest_dir, file.use_directory_urls,
                   dest_uri=file.dest_uri, inclusion=file.inclusion)


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
        self.mentions_store: MentionStore | None = None  # actor mentions kept across processes; None: no cache
        self.templates: TemplateBytecode | None = None  # under `mkdocs serve` only
        self.relay: EventRelay | None = None  # under `mkdocs serve`: file events for docs/ and raw/
        self.collector: IdleCollector | None = None  # under `mkdocs serve`
        self.nav_targets: list[str] = []  # site URLs the navigation links to (builder.mkdocs.navcache)
        self.in_nav: set[str] = set()  # src_uri of the pages in the navigation
        self.command = "build"
        self.site_url, self.site_name = DEFAULT_SITE_URL, ""  # the config's, from on_files on (citations)

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup keeps this instance (and its cache) across `mkdocs serve` rebuilds.
        self.dirty, self.command = dirty, command
        self.templates = TemplateBytecode() if command == "serve" else None
        self.collector = IdleCollector() if command == "serve" else None

    def on_shutdown(self) -> None:
        if self.relay is not None:
            self.relay.stop()
            self.relay = None
        if self.collector is not None:
            self.collector.stop()
        self._close_store()  # and forget it: MkDocs may hand this instance to another build

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
        self._open_store()
        self.cache.store = self.mentions_store
        self.site_url, self.site_name = config.site_url or DEFAULT_SITE_URL, config.site_name
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
        generated = []
        for page in self.site.pages:
            if files.get_file_from_path(page.path) is not None:
                log.info("docs/%s is written by hand; the generated page is not used", page.path)
                continue
            file = TrackedFile.generated(config, page.path, content=page.content)
            file.changed = pages is None or page.path in pages
            generated.append(file)
            self.generated.add(page.path)
        if not self.dirty:
            for file in generated:
                files.append(file)
            return files
        # A dirty build asks each file `is_modified()`: the briefings become TrackedFiles that
        # answer from what the plugin knows (a new Files: one pass, not 10,000 removals).
        briefings = changed_briefings(self.built, self.site, self.config.related_briefings)
        reread = self.cache.reparsed  # files new or changed since the last build in this process
        tracked = []
        for file in files:
            if file.src_uri in self.briefings and type(file) is File:
                file = TrackedFile.like(file)
                file.changed = briefings is None or file.src_uri in briefings or file.src_uri in reread
                file.known = briefings is not None
            tracked.append(file)
        return Files(tracked + generated)

    def _open_store(self) -> None:
        if not self.config.render_cache:
            self._close_store()
            return
        folder = self._path(self.config.render_cache)
        if self.mentions_store is None or self.mentions_store.path.parent != folder:
            self._close_store()
            self.mentions_store = MentionStore(folder, MENTIONS_SALT)

    def _close_store(self) -> None:
        if self.mentions_store is not None:
            self.mentions_store.close()
        self.mentions_store = None

    # Before other plugins read page.meta (e.g. tags), so they see the actors as tags.
    @event_priority(50)
    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if page.file.src_uri in self.generated:
            markdown, self.stashed[page.file.src_uri] = rawhtml.stash(markdown)
            return markdown
        briefing = self.briefings.get(page.file.src_uri)
        if briefing is None or self.site is None:
            return markdown
        site, path = self.site, briefing.path
        actors = briefing_page.actors_of(site, path)
        # Material prints page.meta.title as HTML (like titles MkDocs takes from headings).
        page.meta["title"] = html.escape(briefing.meta.title)
        page.meta["tags"] = briefing_page.tags(briefing.meta, actors)
        page.meta["briefing"] = briefing_page.header_of(site, briefing, actors)

        limit = self.config.related_briefings
        related = site.graph.related_briefings(path, limit) if limit > 0 else []
        page.meta["briefing"]["related"] = {"items": briefing_page.related(path, related)}  # the theme renders it
        page.meta["briefing"]["header_html"] = briefing_html.header(briefing.meta.title, page.meta["briefing"], path)
        citation = briefing_page.citation(briefing, site_url=self.site_url, site_name=self.site_name)
        page.meta["briefing"]["citation_html"] = briefing_html.citation(citation)  # the theme prints it
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

    def on_page_content(self, html_text: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        src = page.file.src_uri
        if src in self.stashed:  # generated pages: their HTML listings skipped Markdown
            return rawhtml.unstash(html_text, self.stashed.pop(src))
        if src in self.briefings:
            related = page.meta["briefing"]["related"]
            if related["items"]:
                related["id"] = briefing_page.related_anchor(briefing_page.anchor_ids(html_text))
                related["html"] = briefing_html.related(related["items"], related["id"])
            return briefing_page.exclude_from_search(sanitize_html(html_text))
        return html_text

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self.built = self.site  # what the next dirty build compares with
        if self.collector is not None:
            self.collector.build_ended()
        if self.mentions_store is not None:
            self.mentions_store.commit(prune=not self.dirty)  # a full build used every live entry

    def on_build_error(self, *, error: Exception) -> None:
        self.built = None  # some pages may be missing or stale: the next build renders all
        if self.mentions_store is not None:
            self.mentions_store.rollback()

    def on_env(self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        if self.templates is not None and env.bytecode_cache is None:
            env.bytecode_cache = self.templates
        navcache.install(env)  # a fresh cache of navigation HTML for this build
        return env

    def on_nav(self, nav, *, config: MkDocsConfig, files: Files):
        self.nav_targets = navcache.nav_targets(nav, config.extra.get("homepage"))
        self.in_nav = {page.file.src_uri for page in nav.pages}
        return nav

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
