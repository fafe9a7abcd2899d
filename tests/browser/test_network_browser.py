"""The actor network in Chromium: the network page (sigma.js on the vendored bundle) on the
fixture archive, the repository's sample and a generated 1,000-briefing archive, and the
ego network of an actor page. Screenshots go to test-artifacts/."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture
def served_generated_site(generated_site) -> str:
    """The generated 1,000-briefing archive (conftest's session fixture): its base URL."""
    return generated_site[1]


def open_network(page, base: str) -> int:
    """Open the network page, wait for sigma's first render; the number of nodes shown."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(base + "network/")
    network = page.locator(".ba-network")
    expect(network).to_have_attribute("data-ready", "true", timeout=30_000)
    assert page.locator(".ba-network__canvas canvas").count() > 0
    assert page.evaluate("document.querySelector('.ba-network').baSigma !== null"), page.locator(".ba-network__status").inner_text()
    assert errors == []
    outside = [url for url in page.requests if not url.startswith((base, "data:", "blob:"))]
    assert outside == [], f"requests left the site: {outside}"
    return int(network.get_attribute("data-visible-nodes"))


def node_position(page, label: str) -> tuple[float, float]:
    """Where sigma draws the node labelled `label`, in page coordinates."""
    point = page.evaluate("""(label) => {
        const container = document.querySelector('.ba-network');
        const renderer = container.baSigma;
        const graph = renderer.getGraph();
        const key = graph.findNode((node, attributes) => attributes.label === label);
        const at = renderer.graphToViewport(graph.getNodeAttributes(key));
        const box = container.querySelector('.ba-network__canvas').getBoundingClientRect();
        return [box.left + at.x, box.top + at.y];
    }""", label)
    return point[0], point[1]


def test_network_page_filters_searches_and_opens_actors(page, served_site, artifacts):
    total = open_network(page, served_site)
    assert total == 11
    page.screenshot(path=str(artifacts / "network.png"), full_page=True)
    network = page.locator(".ba-network")

    page.get_by_label("Type").select_option("armed-group")
    shown = int(network.get_attribute("data-visible-nodes"))
    assert 0 < shown < total
    expect(page.locator(".ba-network__status")).to_have_text(re.compile(rf"^{shown} of {total} actors"))
    page.get_by_label("Type").select_option("")
    page.get_by_label("From").select_option("2023")
    assert 0 < int(network.get_attribute("data-visible-nodes")) < total  # fewer actors named in 2023 alone
    page.get_by_label("From").select_option("2021")

    search = page.get_by_label("Find an actor")
    search.fill("<img src=x onerror=alert(1)>")  # text, never markup
    expect(page.locator(".ba-network__results li")).to_have_text("No actor shown matches.")
    search.fill("wagner")
    expect(page.locator(".ba-network__results a")).to_have_text(["Wagner Group"])
    search.press("Enter")
    expect(page).to_have_url(served_site + "actors/wagner-group/")
    expect(page.locator("article h1")).to_have_text(re.compile(r"^\s*Wagner Group"))


def test_network_search_by_keyboard_and_node_click(page, served_site):
    open_network(page, served_site)
    page.get_by_label("Find an actor").fill("mal")
    page.get_by_label("Find an actor").press("ArrowDown")
    expect(page.locator(".ba-network__results a").first).to_be_focused()
    expect(page.locator(".ba-network__results a").first).to_have_text("Mali")
    page.keyboard.press("Enter")
    expect(page).to_have_url(served_site + "actors/mali/")

    open_network(page, served_site)
    x, y = node_position(page, "Russia")
    page.mouse.move(x, y)
    page.mouse.click(x, y)
    expect(page).to_have_url(served_site + "actors/russia/")


def test_ego_network_links_lead_to_actor_pages(page, served_site, artifacts):
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(served_site + "actors/wagner-group/")
    figure = page.locator("figure.ba-network-figure")
    expect(figure.locator("svg.ba-net")).to_be_visible()
    figure.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "actor-ego-network.png"), full_page=True)
    link = figure.locator('a[aria-label^="Mali"]')
    expect(link).to_have_count(1)
    link.click()
    expect(page).to_have_url(served_site + "actors/mali/")
    expect(page.locator("article h1")).to_have_text(re.compile(r"^\s*Mali"))
    # And back through Mali's own ego network; no script error on the way (Material's instant
    # navigation throws on SVG 2 `href` links, builder/site/network.py).
    page.locator('figure.ba-network-figure a[aria-label^="Wagner Group"]').click()
    expect(page).to_have_url(served_site + "actors/wagner-group/")
    assert errors == []


def test_network_page_on_the_sample_archive(page, served_sample_site):
    assert open_network(page, served_sample_site) > 5


def test_network_page_on_a_generated_1000_briefing_archive(page, served_generated_site, artifacts):
    total = open_network(page, served_generated_site)
    assert total > 50
    page.screenshot(path=str(artifacts / "network-1000.png"))
    network = page.locator(".ba-network")
    page.get_by_label("Type").select_option("state")
    assert 0 < int(network.get_attribute("data-visible-nodes")) < total
    page.get_by_label("Type").select_option("")
    page.get_by_label("Region").select_option("Europe")
    assert 0 < int(network.get_attribute("data-visible-nodes")) < total
    page.get_by_label("Region").select_option("")
    label = page.evaluate("document.querySelector('.ba-network').baSigma.getGraph().getNodeAttribute('0', 'label')")
    page.get_by_label("Find an actor").fill(label)
    first = page.locator(".ba-network__results a").first
    expect(first).to_have_text(label)
    href = first.get_attribute("href")
    first.click()
    expect(page).to_have_url(href)
    expect(page.locator("article h1")).to_have_text(re.compile(re.escape(label)))
    # Its ego network leads on to another actor page.
    other = page.locator("figure.ba-network-figure a").first
    name = other.get_attribute("aria-label").split(" — ")[0]
    other.click()
    expect(page.locator("article h1")).to_have_text(re.compile(re.escape(name)))
