"""Accessibility in Debian's Chromium: axe-core on each kind of page in the light and the dark
scheme, the keyboard path from the top of a briefing to its actors, and the print style.

axe-core is vendored (tests/browser/vendor/, scripts/vendor_axe.sh) and injected into the page
(tests/browser/browser_axe.py). A violation of impact "serious" or "critical" fails the test; the others
are printed (shown with `pytest -rP`) and every page's full list is written to test-artifacts/axe/.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

import browser_axe as axe  # tests/browser/browser_axe.py (pytest puts this folder on sys.path)

pytestmark = pytest.mark.browser


SCHEMES, check, scheme_page = axe.SCHEMES, axe.check, axe.scheme_page

DEFENDS = "briefings/2023/2023-02-08-mali-defends-russia/"
MANY_ACTORS = "briefings/2021/2021-10-06-is-mali-flirting-with-russian-mercenaries-to-get-washingtons-attention/"
PAGES = {
    "home": "",
    "briefing": DEFENDS,
    "actor": "actors/wagner-group/",
    "actors-index": "actors/",  # with the filter actors-filter.js adds
    "archive": "archive/",
    "region": "regions/africa/",
    "network": "network/",  # once sigma has drawn it
    "search": "",  # Material's search, a query typed and its results shown
}


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("kind", PAGES)
def test_axe_finds_nothing_serious(browser, served_site, artifacts, kind, scheme):
    context, page = scheme_page(browser, scheme)
    page.goto(served_site + PAGES[kind])
    assert page.evaluate("document.body.dataset.mdColorScheme") == SCHEMES[scheme]
    if kind == "actors-index":
        expect(page.locator(".ba-filter")).to_be_visible()
    if kind == "network":
        axe.wait_for_network(page)
    if kind == "search":
        page.locator("input.md-search__input").click()
        page.keyboard.type("wagner")
        expect(page.locator(".md-search-result__item").first).to_be_visible()
    check(page, f"{kind}-{scheme}", artifacts)
    context.close()


@pytest.mark.parametrize("scheme", SCHEMES)
def test_axe_briefing_with_many_actors(browser, served_sample_site, artifacts, scheme):
    """A briefing of the repository's archive with more than twelve actors: its "N more" toggle
    (a <details>) opened by keyboard."""
    context, page = scheme_page(browser, scheme)
    page.goto(served_sample_site + MANY_ACTORS)
    more = page.locator("header.ba-briefing-header details.ba-actors__more")
    more.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(more).to_have_attribute("open", "")
    check(page, f"briefing-many-actors-{scheme}", artifacts)
    context.close()


@pytest.mark.parametrize("scheme", SCHEMES)
def test_axe_world_map(browser, served_sample_site, artifacts, scheme):
    """The home page of the repository's archive, whose states have ISO codes: its map and legend
    (the fixture archive's registry has none, so its home page draws no map)."""
    context, page = scheme_page(browser, scheme)
    page.goto(served_sample_site)
    expect(page.locator("figure.ba-map-figure svg a").first).to_be_visible()
    check(page, f"home-map-{scheme}", artifacts)
    context.close()


@pytest.mark.parametrize("scheme", SCHEMES)
def test_axe_pagefind_dialog(browser, pagefind_site, artifacts, scheme):
    """Our Pagefind dialog (builder/mkdocs/pagefind_ui/), open with results and its filter panel."""
    _, url = pagefind_site
    context, page = scheme_page(browser, scheme)
    page.goto(url)
    assert page.evaluate("document.body.dataset.mdColorScheme") == SCHEMES[scheme]
    page.keyboard.press("/")
    page.locator("#ba-search .ba-search__input").fill("agreement")
    page.locator("#ba-search a.ba-search__link").first.wait_for()
    page.locator("#ba-search .ba-search__toggle").click()
    year = page.locator("#ba-search .ba-search__filter[data-filter=year]")
    year.locator("summary").click()
    year.locator(".ba-search__check").first.wait_for()
    check(page, f"pagefind-dialog-{scheme}", artifacts)
    context.close()


# ------------------------------------------------------------------------------ keyboard

def focused(page, selector: str) -> bool:
    return page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector)


def test_skip_link_leads_into_the_briefing(page, served_site):
    """Briefing pages have no table of contents, so Material draws no skip link: ours is there,
    and one only (an actor page has Material's, and after instant navigation still one)."""
    page.goto(served_site + DEFENDS)
    assert page.locator("a.md-skip").count() == 1
    page.keyboard.press("Tab")
    skip = page.locator("a.md-skip:focus")
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("#ba-content$"))
    expect(page.locator("#ba-content")).to_be_focused()  # the target takes the focus (tabindex=-1)
    page.keyboard.press("Tab")  # from the skip link's target: the first link of the briefing
    assert page.evaluate("!!document.activeElement.closest('article')"), page.evaluate("document.activeElement.outerHTML")


def test_tab_from_the_top_of_a_briefing_to_its_first_actor(page, served_site):
    page.goto(served_site + DEFENDS)
    first_actor = page.locator("header.ba-briefing-header nav.ba-actors a.ba-actor").first
    target = first_actor.evaluate("el => el.href")  # absolute
    for _ in range(60):
        page.keyboard.press("Tab")
        if focused(page, "header.ba-briefing-header nav.ba-actors a.ba-actor"):
            break
    else:
        pytest.fail("60 presses of Tab never reached the briefing's actors")
    assert first_actor.evaluate("el => el === document.activeElement")
    style = first_actor.evaluate("el => { const s = getComputedStyle(el); return [s.outlineStyle, s.outlineWidth]; }")
    assert style[0] != "none" and style[1] != "0px", style  # a visible focus ring
    page.keyboard.press("Enter")
    assert re.fullmatch(re.escape(served_site) + r"actors/[^/]+/", target)
    expect(page).to_have_url(target)
    expect(page.locator("article h1")).to_be_visible()


# ------------------------------------------------------------------------------- print

def test_print_shows_the_briefing_alone_in_black_on_white(browser, served_site, artifacts):
    context, page = scheme_page(browser, "dark")  # printing from the dark scheme still prints black on white
    page.goto(served_site + DEFENDS)
    page.emulate_media(media="print", color_scheme="dark")

    def display(selector: str) -> str:
        return page.locator(selector).first.evaluate("el => getComputedStyle(el).display")

    for hidden in (".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer",
                   "nav.ba-actors", ".ba-related", ".md-skip"):
        assert display(hidden) == "none", hidden
    body_text = page.locator("article p").first
    assert body_text.evaluate("el => getComputedStyle(el).display") == "block"
    assert body_text.evaluate("el => getComputedStyle(el).color") == "rgb(0, 0, 0)"
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)")
    source = page.locator(".ba-facts a", has_text="OE Watch")
    url = source.get_attribute("href")
    assert url.startswith("https://example.org/")
    assert url in source.evaluate("el => getComputedStyle(el, '::after').content")  # the URL on paper
    # The site's own links print no address (Material made their href absolute too: see content.html).
    for internal in (page.locator(".ba-facts a", has_text="Africa"), page.locator("article p a").first):
        assert internal.get_attribute("href").startswith("http://127.0.0.1")
        assert internal.evaluate("el => getComputedStyle(el, '::after').content") in ("none", "normal")
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    (artifacts / "briefing.pdf").write_bytes(pdf)
    context.close()
