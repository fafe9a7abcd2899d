"""The analyst views on a generated 1,000-briefing archive (conftest's `generated_site`, built
once per session and shared with the network and Pagefind tests): a link of the home page's map
to a state's actor page, the served open data against its served schemas, the BibTeX copy
button of a briefing, and axe-core on each kind of page in the light and the dark scheme.
The same checks on the fixture archive live in test_site_browser.py, test_opendata_browser.py
and test_accessibility.py."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import jsonschema
import pytest
from playwright.sync_api import expect

import browser_axe as axe  # tests/browser/browser_axe.py (pytest puts this folder on sys.path)

pytestmark = pytest.mark.browser

BRIEFINGS = int(os.environ.get("PAGEFIND_BROWSER_BRIEFINGS", "1000"))  # the size conftest's generated_site builds




def first_briefing(site: Path) -> str:
    """The site path of the newest briefing, from the site's own api/briefings.json."""
    document = json.loads((site / "api" / "briefings.json").read_text(encoding="utf-8"))
    newest = max(document["briefings"], key=lambda row: (row["date"] or "", row["path"]))
    return newest["page_url"].removeprefix(document["generated_from"]["site_url"])


def test_a_map_link_on_the_home_page_leads_to_the_state_page(page, generated_site):
    _, url = generated_site
    page.goto(url)
    links = page.locator("figure.ba-map-figure svg a")
    expect(links.first).to_be_visible()
    states = links.count()
    assert states >= 6  # every state of the generated registry has a real ISO code
    label = links.first.get_attribute("aria-label")
    name, count = re.fullmatch(r"(.+): (\d+) briefings?", label).groups()
    href = links.first.get_attribute("href")
    assert re.fullmatch(r"actors/[a-z0-9-]+/", href), href
    links.first.click()
    expect(page).to_have_url(url + href)
    expect(page.locator("article h1")).to_have_text(re.compile(rf"^\s*{re.escape(name)}"))
    expect(page.locator("article")).to_contain_text(f"{count} briefing")
    # A region page's map: its own states only.
    page.goto(url + "regions/europe/")
    region_links = page.locator("figure.ba-map-figure svg a")
    expect(region_links.first).to_be_visible()
    assert 0 < region_links.count() < states


@pytest.mark.parametrize("name", ["briefings", "actors", "edges"])
def test_the_served_api_json_validates_against_its_served_schema(page, generated_site, name):
    _, url = generated_site
    response = page.request.get(url + f"api/{name}.json")
    schema_response = page.request.get(url + f"api/{name}.schema.json")
    assert response.ok and schema_response.ok
    assert response.headers["content-type"].startswith("application/json")
    document, schema = json.loads(response.body().decode("utf-8")), json.loads(schema_response.body().decode("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(document)
    assert document["generated_from"]["briefings"] == BRIEFINGS
    assert len(document[name]) > 50


def test_the_copy_button_puts_a_briefings_bibtex_in_the_clipboard(browser, generated_site):
    site, url = generated_site
    context = browser.new_context(color_scheme="light", service_workers="block", viewport={"width": 1280, "height": 900})
    try:
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=url.rstrip("/"))
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(url + first_briefing(site))
        block = page.locator("section.ba-citation")
        expect(block.locator("h2")).to_have_text("Cite this briefing")
        bibtex = block.locator("pre.ba-citation__bibtex")
        expected = bibtex.locator("code").inner_text().rstrip()
        assert expected.startswith("@misc{") and expected.endswith("}")
        button = bibtex.locator("button.md-code__button[data-md-type=copy]")
        bibtex.hover()
        button.click()
        assert page.evaluate("navigator.clipboard.readText()") == expected
    finally:
        context.close()


PAGES = ("home", "briefing", "actor", "actors-index", "archive", "region", "network")


def page_path(kind: str, site: Path) -> str:
    return {
        "home": "",
        "briefing": first_briefing(site),
        "actor": "actors/mali/",  # the generator's first state (benchmarks/generate.py REAL_STATES)
        "actors-index": "actors/",
        "archive": "archive/",
        "region": "regions/africa/",
        "network": "network/",
    }[kind]


@pytest.mark.parametrize("scheme", axe.SCHEMES)
@pytest.mark.parametrize("kind", PAGES)
def test_axe_finds_nothing_serious_on_the_generated_archive(browser, generated_site, artifacts, kind, scheme):
    site, url = generated_site
    context, page = axe.scheme_page(browser, scheme)
    try:
        response = page.goto(url + page_path(kind, site))
        assert response.ok, response.url
        assert page.evaluate("document.body.dataset.mdColorScheme") == axe.SCHEMES[scheme]
        if kind == "actors-index":
            expect(page.locator(".ba-filter")).to_be_visible()
        if kind == "network":
            axe.wait_for_network(page)
        axe.check(page, f"generated-{kind}-{scheme}", artifacts)
    finally:
        context.close()
