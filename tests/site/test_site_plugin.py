"""The plugin's build-time economies, in-process: Material's navigation rendered once per set of
links (builder.mkdocs.navcache) writes the same pages as rendering it on every page, pages
prepared on forked workers (builder.mkdocs.prerender) are the pages rendered in process, and the
pages of ours let go of their Markdown and HTML once MkDocs no longer needs them."""

from __future__ import annotations

import filecmp
import logging
import os
import shutil
from pathlib import Path

import pytest
from mkdocs.commands import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.structure.files import get_files

from mkdocs.exceptions import Abort

from builder import forkpool
from builder.mkdocs import prerender as mkdocs_prerender
from builder.mkdocs import navcache
from sitebuild import FIXTURES, make_site_project

pytestmark = pytest.mark.site

LEVERAGE = "briefings/2021/2021-10-06-mali-wagner-leverage.md"
# The fixture archive's pages of ours: 5 briefings, 11 actor pages (of 13 actors: 2 are named in no
# briefing), the home, actors index, registry, region and archive pages.
OUR_PAGES = 29


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    root = make_site_project(tmp_path / "project", docs=FIXTURES / "docs", registry=FIXTURES / "actors.yml")
    monkeypatch.chdir(root)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    return root


def build(root: Path, site: str, *, dirty: bool = False) -> None:
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(root / site))
    config.plugins.on_startup(command="build", dirty=dirty)
    try:
        mkdocs_build.build(config, dirty=dirty)
    finally:
        config.plugins.on_shutdown()


def test_cached_navigation_writes_the_same_pages(project, monkeypatch):
    keys: dict[str, object] = {}
    real_key = navcache.key

    def recording_key(page, targets, in_nav):
        keys[page.file.src_uri] = real_key(page, targets, in_nav)
        return keys[page.file.src_uri]

    monkeypatch.setattr(navcache, "key", recording_key)
    build(project, "cached")
    # Briefings (and actor pages) share a navigation; pages in the nav have none cached.
    assert keys[LEVERAGE] is not None and keys[LEVERAGE] == keys["briefings/2023/2023-03-14-jnim-expands-south.md"]
    assert keys["about.md"] is None and keys["actors/index.md"] is None
    assert keys["actors/mali/index.md"] is not None and keys["actors/mali/index.md"] != keys[LEVERAGE]

    monkeypatch.setattr(navcache, "key", lambda page, targets, in_nav: None)  # Material's partial on every page
    build(project, "uncached")
    cached, uncached = project / "cached", project / "uncached"
    names = sorted(p.relative_to(uncached).as_posix() for p in uncached.rglob("*.html"))
    assert len(names) > 30
    _, mismatch, errors = filecmp.cmpfiles(cached, uncached, names, shallow=False)
    assert (mismatch, errors) == ([], [])


def test_pages_of_ours_let_go_of_their_text_once_written(project, monkeypatch):
    pages = {}
    real_build_page = mkdocs_build._build_page

    def recording_build_page(page, *args, **kwargs):
        pages[page.file.src_uri] = page
        return real_build_page(page, *args, **kwargs)

    monkeypatch.setattr(mkdocs_build, "_build_page", recording_build_page)
    build(project, "site")
    briefing, actor, about = pages[LEVERAGE], pages["actors/mali/index.md"], pages["about.md"]
    assert (briefing.markdown, briefing.content) == ("", None)
    assert (actor.markdown, actor.content) == ("", None)
    assert briefing.title == "Is Mali flirting with Russian mercenaries to get Washington&#x27;s attention?"  # page.meta
    assert about.markdown and about.content  # a hand-written page is left as MkDocs has it
    written = (project / "site" / "briefings/2021/2021-10-06-mali-wagner-leverage/index.html").read_text(encoding="utf-8")
    assert "Wagner" in written and 'class="ba-related"' in written


def same_html(left: Path, right: Path) -> None:
    names = sorted(p.relative_to(right).as_posix() for p in right.rglob("*.html"))
    assert len(names) > 30 and names == sorted(p.relative_to(left).as_posix() for p in left.rglob("*.html"))
    _, mismatch, errors = filecmp.cmpfiles(left, right, names, shallow=False)
    assert (mismatch, errors) == ([], [])


def may_fork_two_workers(monkeypatch) -> None:
    """Two cores and no other thread, as in `mkdocs build`: the plugin may fork two workers."""
    monkeypatch.setattr(forkpool.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(forkpool.threading, "active_count", lambda: 1)  # `mkdocs build`: this thread only


@pytest.fixture
def workers(monkeypatch):
    """Pages rendered on forked workers from the first page to render on; what they handed back."""
    handed: list[mkdocs_prerender.Rendered] = []
    real_take = mkdocs_prerender.WorkerRenders.take

    def recording_take(self, src_uri):
        rendered = real_take(self, src_uri)
        if rendered is not None:
            handed.append(rendered)
        return rendered

    monkeypatch.setattr(mkdocs_prerender, "PARALLEL_FROM", 1)
    monkeypatch.setattr(mkdocs_prerender.WorkerRenders, "take", recording_take)
    may_fork_two_workers(monkeypatch)
    return handed


def test_pages_rendered_on_workers_are_the_pages_rendered_in_process(project, workers, monkeypatch):
    build(project, "forked")
    rendered = {r.src_uri: r.entry() for r in workers}
    assert len([src for src in rendered if src.startswith("briefings/")]) == 5
    assert "actors/mali/index.md" in rendered and "about.md" not in rendered  # generated pages too, not hand-written ones
    assert 'href="../../../actors/wagner-group/"' in rendered[LEVERAGE]["html"]

    workers.clear()  # a warm cache: nothing to render, no worker started
    build(project, "warm")
    assert workers == []
    (project / "docs" / LEVERAGE).write_text((project / "docs" / LEVERAGE).read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    build(project, "edited")
    assert [r.src_uri for r in workers] == [LEVERAGE]

    shutil.rmtree(project / ".cache")
    monkeypatch.setattr(mkdocs_prerender, "PARALLEL_FROM", 10**9)  # every page in this process
    build(project, "edited-serial")
    same_html(project / "edited", project / "edited-serial")
    (project / "docs" / LEVERAGE).write_text((project / "docs" / LEVERAGE).read_text(encoding="utf-8").replace("\nOne more line.\n", ""), encoding="utf-8")
    shutil.rmtree(project / ".cache")
    build(project, "serial")
    same_html(project / "forked", project / "serial")
    same_html(project / "warm", project / "serial")


def test_a_page_that_reports_a_problem_is_reported_by_the_build(project, workers, caplog):
    (project / "docs/briefings/2023/2023-03-14-jnim-expands-south.md").open("a", encoding="utf-8").write(
        "\nSee [the annex](annex-that-is-missing.md).\n")
    with caplog.at_level(logging.INFO), pytest.raises(Abort):
        build(project, "site")  # strict: the warning fails the build
    reported = [r.getMessage() for r in caplog.records if "annex-that-is-missing.md" in r.getMessage()]
    assert len(reported) == 1 and "2023-03-14-jnim-expands-south.md" in reported[0]
    # Its worker handed nothing back (and showed nothing): the parent rendered the page, and warned.
    rendered = {r.src_uri for r in workers}
    assert LEVERAGE in rendered and "briefings/2023/2023-03-14-jnim-expands-south.md" not in rendered


def test_a_worker_hands_back_only_renders_that_logged_nothing(project, monkeypatch):
    monkeypatch.setattr(logging.Logger, "handle", logging.Logger.handle)  # the worker replaces it: put it back after
    config = load_config(str(project / "mkdocs.yml"))
    files = get_files(config)
    job = mkdocs_prerender.Job(LEVERAGE, "# Leverage\n\nSee [the archive](../../about.md).\n", "key-of-leverage")
    worker = mkdocs_prerender.Worker(config, files)
    rendered = worker(job)
    assert rendered.key == "key-of-leverage"
    entry = rendered.entry()
    assert entry["title"] == "Leverage" and 'href="../../../about/"' in entry["html"] and entry["anchors"] == ["leverage"]
    assert files.get_file_from_path(LEVERAGE).page is None  # the worker's page object is not kept

    handled = mkdocs_prerender._records_handled
    jnim = "briefings/2023/2023-03-14-jnim-expands-south.md"
    assert worker(mkdocs_prerender.Job(jnim, "See [the annex](annex-that-is-missing.md).\n", "k")) == mkdocs_prerender.Rendered(jnim)
    assert mkdocs_prerender._records_handled == handled + 1  # it warned about the missing annex
    barkhane = "briefings/2022/2022-08-17-barkhane-withdrawal.md"
    assert worker(mkdocs_prerender.Job(barkhane, None, "k")) == mkdocs_prerender.Rendered(barkhane)  # raised (no text)
    assert mkdocs_prerender._records_handled == handled + 1

HOOK = '''
from mkdocs.plugins import event_priority

@event_priority(100)  # before the briefings plugin: the Markdown it is given is not the file's
def on_page_markdown(markdown, page, config, files):
    return markdown + "\\n\\nAppended by a hook.\\n" if page.file.src_uri.startswith("briefings/") else markdown
'''


def test_a_render_from_other_markdown_than_the_page_loop_gets_is_not_used(project, workers):
    (project / "hook.py").write_text(HOOK, encoding="utf-8")
    config_file = project / "mkdocs.yml"
    config_file.write_text(config_file.read_text(encoding="utf-8") + "\nhooks:\n  - hook.py\n", encoding="utf-8")
    build(project, "site")
    assert LEVERAGE in {r.src_uri for r in workers}  # rendered from the file's text, without the hook's line
    written = (project / "site/briefings/2021/2021-10-06-mali-wagner-leverage/index.html").read_text(encoding="utf-8")
    assert "Appended by a hook." in written


def test_worker_renders_are_taken_in_any_order_and_closing_stops_the_workers():
    closed = []

    def from_workers():
        try:
            yield mkdocs_prerender.Rendered("a.md", "key-a", b"entry-a")
            yield mkdocs_prerender.Rendered("b.md")  # a page the worker could not vouch for
            yield mkdocs_prerender.Rendered("c.md", "key-c", b"entry-c")
            yield mkdocs_prerender.Rendered("d.md", "key-d", b"entry-d")
        finally:
            closed.append(True)

    renders = mkdocs_prerender.WorkerRenders(from_workers(), ["a.md", "b.md", "c.md", "d.md"], workers=2)
    renders.start()
    assert renders.take("c.md").key == "key-c"  # waits past a.md and b.md, which stay
    assert renders.take("a.md").key == "key-a"
    assert renders.take("b.md") is None and renders.take("about.md") is None  # not vouched for; never sent
    assert renders.take("a.md") is None  # taken once
    assert renders.rendered == 2 and closed == []
    renders.close()  # d.md never taken: the workers are stopped
    assert closed == [True]


def test_a_dirty_build_renders_on_workers_the_pages_it_rebuilds(project, workers, monkeypatch):
    build(project, "site", dirty=True)  # the first one (as `mkdocs serve --dirty` starts): every page of ours
    assert len(workers) == OUR_PAGES and LEVERAGE in {r.src_uri for r in workers}
    workers.clear()
    source = project / "docs" / LEVERAGE
    source.write_text(source.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    build(project, "site", dirty=True)
    assert [r.src_uri for r in workers] == [LEVERAGE]

    shutil.rmtree(project / ".cache")
    monkeypatch.setattr(mkdocs_prerender, "PARALLEL_FROM", 10**9)
    build(project, "serial")
    same_html(project / "site", project / "serial")
