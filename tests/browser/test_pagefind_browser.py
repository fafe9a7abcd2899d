"""Pagefind search on a generated 1,000-briefing site, in Debian's Chromium: search, filter by
actor (filter lists fetched only when the filter panel opens), open a result. The site is
built once per session (about a minute on two cores)."""

from __future__ import annotations

import gzip
import json
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from builder.archive.registry_load import load_registry  # noqa: E402

pytestmark = pytest.mark.browser

BRIEFINGS = int(os.environ.get("PAGEFIND_BROWSER_BRIEFINGS", "1000"))  # the size conftest's pagefind_site builds


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
    registry = load_registry(site.parent / "registry")
    return next(a for a in registry.actors if a.type == "armed-group")


def results(page):
    return page.locator("#ba-search a.ba-search__link")


def fetched(page, part: str) -> list[str]:
    return [r for r in page.requests if part in r]


def test_search_shows_title_date_and_excerpt(search_page):
    page, site, url = search_page
    group = armed_group(site)
    word = group.name.split()[-1] if group.name.split()[-1][0].isupper() else group.name.split()[0]
    page.keyboard.press("/")  # Material's shortcut
    field = page.locator("#ba-search .ba-search__input")
    field.wait_for()
    assert field.evaluate("el => el === document.activeElement")
    field.fill(word)
    results(page).first.wait_for()
    first = page.locator("#ba-search .ba-search__result").first
    assert first.locator(".ba-search__title").inner_text().strip()
    assert re.search(r"Date: \d{4}-\d{2}-\d{2}", first.inner_text())
    excerpt = first.locator(".ba-search__excerpt")
    assert word.casefold() in excerpt.inner_text().casefold()
    assert excerpt.locator("mark").count() >= 1
    assert excerpt.locator(":scope > :not(mark)").count() == 0  # briefing text is text, never markup
    # Nothing left this machine: the UI, the index and the fonts are the site's own.
    assert all(r.startswith(url) or r.startswith("data:") for r in page.requests), page.requests
    # Only a few index chunks were fetched, not the whole archive; no filter list, no default UI.
    fragments = fetched(page, "/pagefind/fragment/")
    assert 0 < len(fragments) <= 12 < BRIEFINGS or BRIEFINGS <= 12
    assert fetched(page, "/pagefind/filter/") == []
    assert fetched(page, "pagefind-ui.js") == [] and fetched(page, "pagefind-worker.js") == []
    page.keyboard.press("ArrowDown")
    assert results(page).first.evaluate("el => el === document.activeElement")
    # Auto-waiting assertions: the dialog opens and closes on the next frames, not at once.
    page.keyboard.press("Escape")
    expect(page.locator("#ba-search")).to_be_hidden()
    page.locator("body").press("f")
    expect(page.locator("#ba-search")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("#ba-search")).to_be_hidden()
    page.locator("body").press("s")
    expect(page.locator("#ba-search")).to_be_visible()


def test_filter_by_actor_then_open_a_result(search_page):
    page, site, url = search_page
    group = armed_group(site)
    page.locator(".ba-search-button").click()  # the header button works too
    field = page.locator("#ba-search .ba-search__input")
    field.fill("agreement")
    results(page).first.wait_for()
    unfiltered = int(re.search(r"\d+", page.locator("#ba-search .ba-search__message").inner_text()).group())
    assert fetched(page, "/pagefind/filter/") == []  # filter lists load only with the panel
    page.locator("#ba-search .ba-search__toggle").click()
    page.locator("#ba-search .ba-search__filter[data-filter=actor] > summary").click()
    assert len(fetched(page, "/pagefind/filter/")) >= 1
    assert page.locator("#ba-search .ba-search__filter > summary").all_inner_texts() == ["Actor", "Region", "Year"]
    page.locator("#ba-search .ba-search__filter[data-filter=actor] .ba-search__narrow").fill(group.name)
    checkbox = page.locator(f"#ba-search input.ba-search__check[name=actor][value={json.dumps(group.name)}]")
    checkbox.check()
    page.wait_for_function(
        "n => { const m = document.querySelector('#ba-search .ba-search__message'); "
        "return m && /^\\d+ results?$/.test(m.textContent) && parseInt(m.textContent) < n; }",
        arg=unfiltered,
    )
    count = int(re.search(r"\d+", page.locator("#ba-search .ba-search__message").inner_text()).group())
    assert 0 < count < unfiltered
    title = results(page).first.inner_text().strip()
    results(page).first.click()
    page.wait_for_url(re.compile(r".*/briefings/\d{4}/.+/$"))
    page.locator("article h1").wait_for()
    assert page.locator("article h1").inner_text().strip() == title
    actors = page.locator(".ba-actors .ba-actor").all_inner_texts()
    assert group.name in [a.strip() for a in actors]
    assert page.locator("#ba-search").count() == 0 or page.locator("#ba-search").is_hidden()


def test_filters_alone_and_dark_scheme(browser, pagefind_site):
    """Ticking a year with no words lists that year's briefings; the dialog takes Material's
    dark (slate) colours."""
    site, url = pagefind_site
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="dark", service_workers="block")
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(url)
    page.keyboard.press("s")
    page.locator("#ba-search .ba-search__toggle").click()
    year = page.locator("#ba-search .ba-search__filter[data-filter=year]")
    year.locator("summary").click()
    first_year = year.locator("input.ba-search__check").first
    value = first_year.get_attribute("value")
    first_year.check()
    results(page).first.wait_for()
    assert value in page.locator("#ba-search .ba-search__meta").first.inner_text()
    panel = page.locator("#ba-search .ba-search__panel")
    background = panel.evaluate("el => getComputedStyle(el).backgroundColor")
    body = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == body  # Material's --md-default-bg-color
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
    context.close()


HOSTILE_TITLE = 'Talks & <img src=x onerror="window.pwned=1"> "truce"'


def hostile_fragment(route):
    """Every result fragment replaced by one whose text is markup: Pagefind's fragment format
    (gzip of `pagefind_dcd` + JSON), as a briefing with hostile text would be indexed."""
    words = " ".join(["agreement <script>window.pwned=2</script> & <b>bold</b>"] * 20)
    fragment = {"url": "/briefings/hostile/", "content": words, "word_count": 100, "filters": {}, "anchors": [],
                "meta": {"title": HOSTILE_TITLE, "date": "<i>2020-01-01</i>", "source": "<u>Wire</u>"}}
    route.fulfill(status=200, body=gzip.compress(b"pagefind_dcd" + json.dumps(fragment).encode()),
                  headers={"Content-Type": "application/octet-stream"})


def test_untrusted_text_stays_text(search_page):
    page, site, url = search_page
    page.route("**/pagefind/fragment/*.pf_fragment", hostile_fragment)
    page.keyboard.press("/")
    page.locator("#ba-search .ba-search__input").fill("agreement")
    results(page).first.wait_for()
    first = page.locator("#ba-search .ba-search__result").first
    assert results(page).first.inner_text().strip() == HOSTILE_TITLE
    assert "<i>2020-01-01</i>" in first.locator(".ba-search__meta").inner_text()
    assert "<script>" in first.locator(".ba-search__excerpt").inner_text()
    assert page.locator("#ba-search .ba-search__results").locator("img, script, b, i, u").count() == 0
    assert page.evaluate("window.pwned") is None
    assert results(page).first.get_attribute("href").startswith(url)
