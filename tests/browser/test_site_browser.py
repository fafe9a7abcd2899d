"""The archive site in a real browser: search, actor <-> briefing navigation, dark mode.

Screenshots of the home, a briefing and an actor page go to test-artifacts/ (gitignored).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

DEFENDS = "briefings/2023/2023-02-08-mali-defends-russia/"
JNIM_TITLE = "JNIM pushes south toward Bamako and coastal states"


def assert_stayed_on_site(page, base: str) -> None:
    outside = [url for url in page.requests if not url.startswith((base, "data:", "blob:"))]
    assert outside == [], f"requests left the site: {outside}"


def test_search_finds_a_briefing(page, served_site):
    page.goto(served_site)
    page.locator("input.md-search__input").click()
    page.keyboard.type("blockade")
    result = page.locator('.md-search-result__item a[href*="briefings/2023/2023-03-14-jnim-expands-south/"]')
    expect(result.first).to_be_visible()
    expect(result.first.locator("mark").first).to_have_text(re.compile("blockade", re.I))  # search.highlight
    result.first.click()
    expect(page.locator("article header.ba-briefing-header h1")).to_have_text(JNIM_TITLE)
    assert_stayed_on_site(page, served_site)


def test_actor_page_to_briefing_and_back(page, served_site, artifacts):
    page.goto(served_site + "actors/wagner-group/")
    expect(page.locator("article h1")).to_have_text(re.compile(r"^\s*Wagner Group"))
    expect(page.locator("article svg.ba-chart")).to_be_visible()  # the chart renders without JS too
    page.screenshot(path=str(artifacts / "actor.png"), full_page=True)

    page.locator("article a", has_text="Mali Defends Reliance on Russian Counterterrorism Assistance").first.click()
    expect(page).to_have_url(served_site + DEFENDS)
    expect(page.locator("article header.ba-briefing-header h1")).to_have_text("Mali Defends Reliance on Russian Counterterrorism Assistance")
    back_link = page.locator("article nav.ba-actors a", has_text="Wagner Group")
    expect(back_link).to_be_visible()
    page.screenshot(path=str(artifacts / "briefing.png"), full_page=True)

    # Footnotes work both ways in the browser.
    page.locator("a.footnote-ref").first.click()
    expect(page).to_have_url(re.compile(r"#fn:1$"))
    page.locator("a.footnote-backref").first.click()
    expect(page).to_have_url(re.compile(r"#fnref:1$"))

    page.go_back()
    page.go_back()
    page.go_back()
    expect(page).to_have_url(served_site + "actors/wagner-group/")
    expect(page.locator("article h1")).to_have_text(re.compile(r"^\s*Wagner Group"))

    # And from the briefing header to the actor page.
    page.goto(served_site + DEFENDS)
    page.locator("article nav.ba-actors a", has_text="Wagner Group").click()
    expect(page).to_have_url(served_site + "actors/wagner-group/")
    assert_stayed_on_site(page, served_site)


def test_dark_mode_toggle(page, served_site, artifacts):
    page.goto(served_site)
    body = page.locator("body")
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    page.screenshot(path=str(artifacts / "home.png"), full_page=True)
    page.locator('form[data-md-component="palette"] label:visible').first.click()
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    page.screenshot(path=str(artifacts / "home-dark.png"), full_page=True)
    # The choice is kept across pages (Material stores it locally).
    page.goto(served_site + "actors/")
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    assert_stayed_on_site(page, served_site)
