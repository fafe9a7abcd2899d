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


# ------------------------------------------------------------ actors index, header toggle

WAGNER_SAMPLE = "briefings/2021/2021-10-06-is-mali-flirting-with-russian-mercenaries-to-get-washingtons-attention/"


def visible_actor_names(page) -> list[str]:
    return [name.strip() for name in page.locator(".ba-actor-groups li:visible a").all_inner_texts()]


def test_actors_index_filters_by_type_region_and_name(page, served_site, artifacts):
    page.goto(served_site + "actors/")
    status = page.locator(".ba-filter__status")
    expect(status).to_have_text("11 actors")
    page.screenshot(path=str(artifacts / "actors-index.png"), full_page=True)

    page.get_by_label("Type").select_option(label="Armed groups")
    assert sorted(visible_actor_names(page)) == ["JNIM", "Wagner Group"]
    expect(page.locator("h2#state")).to_be_hidden()  # the other types' headings go too
    expect(status).to_have_text("2 of 11 actors")

    page.get_by_label("Type").select_option(label="All types")
    page.get_by_label("Region").select_option(label="Eurasia")
    assert visible_actor_names(page) == ["Russia"]

    page.get_by_label("Region").select_option(label="All regions")
    page.get_by_label("Name").fill("goita")  # case and diacritics ignored
    assert visible_actor_names(page) == ["Assimi Goïta"]
    page.get_by_label("Name").fill("<img src=x onerror=alert(1)>")  # text, never markup
    expect(status).to_have_text("No actor matches.")
    assert page.locator(".ba-filter img").count() == 0
    page.get_by_label("Name").fill("")
    expect(status).to_have_text("11 actors")
    assert_stayed_on_site(page, served_site)


def test_actors_index_without_javascript_lists_every_group(no_script_page, served_site):
    no_script_page.goto(served_site + "actors/")
    expect(no_script_page.locator(".ba-filter")).to_have_count(0)
    assert len(visible_actor_names(no_script_page)) == 11
    expect(no_script_page.locator(".ba-actor-group h3", has_text="Eurasia")).to_be_visible()


def test_header_shows_twelve_actors_on_a_phone_and_the_rest_by_keyboard(phone, served_sample_site, artifacts):
    phone.goto(served_sample_site + WAGNER_SAMPLE)
    header = phone.locator("header.ba-briefing-header")
    chips = header.locator("nav.ba-actors a.ba-actor")
    expect(chips.filter(visible=True)).to_have_count(12)
    more = header.locator("details.ba-actors__more")
    expect(more).not_to_have_attribute("open", "")
    phone.screenshot(path=str(artifacts / "briefing-header-phone.png"))
    # The toggle is reached by keyboard and opens with Enter.
    last_chip = chips.nth(11)
    last_chip.focus()
    phone.keyboard.press("Tab")
    summary = more.locator("summary")
    expect(summary).to_be_focused()
    phone.keyboard.press("Enter")
    expect(more).to_have_attribute("open", "")
    expect(chips.filter(visible=True)).to_have_count(chips.count())
    phone.screenshot(path=str(artifacts / "briefing-header-phone-open.png"))
    assert_stayed_on_site(phone, served_sample_site)


def test_actors_index_on_a_phone(phone, served_sample_site, artifacts):
    phone.goto(served_sample_site + "actors/")
    expect(phone.locator(".ba-filter")).to_be_visible()
    phone.screenshot(path=str(artifacts / "actors-index-phone.png"))
    phone.goto(served_sample_site + "registry/")
    phone.screenshot(path=str(artifacts / "registry-phone.png"))
    assert_stayed_on_site(phone, served_sample_site)


# ------------------------------------------------------------------------------ world map


def test_world_map_links_states_by_keyboard_in_both_schemes(page, served_sample_site, artifacts):
    page.goto(served_sample_site)
    figure = page.locator("figure.ba-map-figure")
    expect(figure.get_by_role("group", name=re.compile("^Briefings per state"))).to_be_visible()
    mali = figure.get_by_role("link", name="Mali: 2 briefings")
    expect(mali).to_have_attribute("href", "actors/mali/")
    # Keyboard: the skip link comes first (shown once focused), then the states, by name.
    skip = figure.get_by_role("link", name="Skip the map")
    skip.focus()
    expect(skip).to_be_visible()
    page.keyboard.press("Tab")
    expect(figure.locator("svg a").first).to_be_focused()
    figure.screenshot(path=str(artifacts / "world-map.png"))
    page.locator('form[data-md-component="palette"] label:visible').first.click()
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    figure.screenshot(path=str(artifacts / "world-map-dark.png"))
    mali.click()
    expect(page).to_have_url(served_sample_site + "actors/mali/")
    # A region page: its states only, cropped.
    page.goto(served_sample_site + "regions/europe/")
    links = page.locator("figure.ba-map-figure svg a")
    expect(links).to_have_count(1)
    expect(links.first).to_have_accessible_name("France: 2 briefings")
    assert_stayed_on_site(page, served_sample_site)


def test_world_map_without_javascript(no_script_page, served_sample_site):
    no_script_page.goto(served_sample_site)
    expect(no_script_page.locator("figure.ba-map-figure svg a").first).to_be_visible()
    expect(no_script_page.locator(".ba-map__legend li")).to_have_count(3)
