"""Open data and citations in a real browser: the api files as a client fetches them from the
served site, and the copy button of a briefing's BibTeX entry."""

from __future__ import annotations

import json

import jsonschema
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

LEVERAGE = "briefings/2021/2021-10-06-mali-wagner-leverage/"


def test_the_served_briefings_json_validates_against_the_served_schema(page, served_site):
    page.goto(served_site + "open-data/")
    page.locator("article a", has_text="briefings.json").first.click()  # the page's own link leads to the file
    response = page.request.get(served_site + "api/briefings.json")
    schema_response = page.request.get(served_site + "api/briefings.schema.json")
    assert response.ok and schema_response.ok
    assert response.headers["content-type"].startswith("application/json")
    document, schema = json.loads(response.body().decode("utf-8")), json.loads(schema_response.body().decode("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(document)
    assert len(document["briefings"]) == 5
    # The page URLs it gives are the served pages (site_url swapped for the local server).
    row = next(r for r in document["briefings"] if r["path"].endswith("mali-wagner-leverage.md"))
    local = served_site + row["page_url"].removeprefix(document["generated_from"]["site_url"])
    assert page.request.get(local).ok
    csv_text = page.request.get(served_site + "api/edges.csv").body().decode("utf-8")
    assert csv_text.startswith("source,target,briefings,first_date,last_date\r\n")


def test_the_copy_button_puts_the_bibtex_entry_in_the_clipboard(browser, served_site):
    context = browser.new_context(color_scheme="light", service_workers="block", viewport={"width": 1280, "height": 900})
    try:
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=served_site.rstrip("/"))
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(served_site + LEVERAGE)
        block = page.locator("section.ba-citation")
        expect(block.locator("h2")).to_have_text("Cite this briefing")
        bibtex = block.locator("pre.ba-citation__bibtex")
        expected = bibtex.locator("code").inner_text().rstrip()
        assert expected.startswith("@misc{mali-wagner-leverage-2021,") and expected.endswith("}")
        # Material's content.code.copy: a button per code block, pointing at its own block.
        button = bibtex.locator("button.md-code__button[data-md-type=copy]")
        expect(button).to_have_attribute("data-clipboard-target", "#__code_cite-bibtex > code")
        expect(block.locator("pre.ba-citation__chicago button.md-code__button")).to_have_count(1)
        bibtex.hover()
        button.click()
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == expected
    finally:
        context.close()
