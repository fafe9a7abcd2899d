"""Pagefind search on a generated 1,000-briefing site, in Debian's Chromium: search, filter by
actor, open a result. The site is built once per session (about a minute on two cores)."""

from __future__ import annotations

import functools
import http.server
import os
import re
import sys
import threading
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scale"))

from scalesite import build_generated_site  # noqa: E402

from builder.actors import load_registry  # noqa: E402

pytestmark = pytest.mark.browser

BRIEFINGS = int(os.environ.get("PAGEFIND_BROWSER_BRIEFINGS", "1000"))


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - http.server API
        pass


@pytest.fixture(scope="session")
def pagefind_site(tmp_path_factory, browser):  # `browser` first: skip before building when Chromium is absent
    site = build_generated_site(tmp_path_factory.mktemp("pagefind-browser") / "project", BRIEFINGS)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield site, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture
def search_page(browser, pagefind_site):
    site, url = pagefind_site
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    page = context.new_page()
    page.requests = []
    page.on("request", lambda request: page.requests.append(request.url))
    page.set_default_timeout(20_000)
    page.goto(url)
    yield page, site, url
    context.close()


def armed_group(site: Path):
    registry = load_registry(site.parent / "actors.yml")
    return next(a for a in registry.actors if a.type == "armed-group")


def results(page):
    return page.locator("#ba-search a.pagefind-ui__result-link")


def test_search_shows_title_date_and_excerpt(search_page):
    page, site, url = search_page
    group = armed_group(site)
    word = group.name.split()[-1] if group.name.split()[-1][0].isupper() else group.name.split()[0]
    page.keyboard.press("/")  # Material's shortcut
    field = page.locator("#ba-search .pagefind-ui__search-input")
    field.wait_for()
    assert field.evaluate("el => el === document.activeElement")
    field.fill(word)
    results(page).first.wait_for()
    first = page.locator("#ba-search .pagefind-ui__result").first
    assert first.locator(".pagefind-ui__result-title").inner_text().strip()
    assert re.search(r"Date: \d{4}-\d{2}-\d{2}", first.inner_text())
    excerpt = first.locator(".pagefind-ui__result-excerpt")
    assert word.casefold() in excerpt.inner_text().casefold()
    assert excerpt.locator("mark").count() >= 1
    # Nothing left this machine: the UI, the index and the fonts are the site's own.
    assert all(r.startswith(url) or r.startswith("data:") for r in page.requests), page.requests
    # Only a few index chunks were fetched, not the whole archive.
    fragments = [r for r in page.requests if "/pagefind/fragment/" in r]
    assert 0 < len(fragments) <= 12 < BRIEFINGS or BRIEFINGS <= 12
    page.keyboard.press("Escape")
    assert page.locator("#ba-search").is_hidden()
    page.locator("body").press("s")
    assert page.locator("#ba-search").is_visible()


def test_filter_by_actor_then_open_a_result(search_page):
    page, site, url = search_page
    group = armed_group(site)
    page.locator(".ba-search-button").click()  # the header button works too
    field = page.locator("#ba-search .pagefind-ui__search-input")
    field.fill("agreement")
    results(page).first.wait_for()
    page.locator("#ba-search .pagefind-ui__filter-name", has_text=re.compile(r"^\s*actor\s*$", re.I)).click()
    checkbox = page.locator(f'#ba-search input.pagefind-ui__filter-checkbox[name="actor"][value="{group.name}"]')
    checkbox.check()
    page.wait_for_function(
        "() => /result/i.test(document.querySelector('#ba-search .pagefind-ui__message')?.textContent || '')"
    )
    page.wait_for_timeout(500)  # the UI debounces filter changes
    count = int(re.search(r"\d+", page.locator("#ba-search .pagefind-ui__message").inner_text()).group())
    assert 0 < count < BRIEFINGS
    title = results(page).first.inner_text().strip()
    results(page).first.click()
    page.wait_for_url(re.compile(r".*/briefings/\d{4}/.+/$"))
    page.locator("article h1").wait_for()
    assert page.locator("article h1").inner_text().strip() == title
    actors = page.locator(".ba-actors .ba-actor").all_inner_texts()
    assert group.name in [a.strip() for a in actors]
    assert page.locator("#ba-search").count() == 0 or page.locator("#ba-search").is_hidden()
