"""Cite this briefing (builder.site.citation): Chicago and BibTeX entries, and the block under each briefing page."""

from __future__ import annotations

import html
import re

import pytest

from builder.archive.model import BriefingMeta
from builder.site.citation import bibtex, bibtex_escape, chicago, chicago_authors, citation_key, cite, long_date

PAGE = "https://briefings.example.org/briefings/2021/2021-10-06-mali-wagner-leverage/"
PATH = "briefings/2021/2021-10-06-mali-wagner-leverage.md"
LEVERAGE = BriefingMeta(
    title="Is Mali flirting with Russian mercenaries to get Washington's attention?",
    date="2021-10-06",
    source="Responsible Statecraft",
    url="https://responsiblestatecraft.org/2021/10/06/is-mali-flirting/",
    authors=("Alex Thurston",),
)


def test_chicago_entry_of_a_complete_briefing():
    assert chicago(LEVERAGE, PAGE, site_name="Briefing Archive") == (
        "Thurston, Alex. “Is Mali flirting with Russian mercenaries to get Washington's attention?” "
        "Responsible Statecraft, October 6, 2021. https://responsiblestatecraft.org/2021/10/06/is-mali-flirting/. "
        f"Archived in Briefing Archive, {PAGE}."
    )


def test_chicago_entry_of_an_undated_briefing_without_source_authors_or_url():
    meta = BriefingMeta(title="Mali defends its reliance on Russian assistance")
    assert chicago(meta, PAGE, site_name="Briefing Archive") == (
        f"“Mali defends its reliance on Russian assistance.” n.d. Archived in Briefing Archive, {PAGE}."
    )
    dated = BriefingMeta(title="A title", date="2023-02-08")
    assert chicago(dated, PAGE, site_name="A") == f"“A title.” February 8, 2023. Archived in A, {PAGE}."


def test_chicago_authors():
    assert chicago_authors(()) == ""
    assert chicago_authors(("Alex Thurston",)) == "Thurston, Alex"
    assert chicago_authors(("Alex Thurston", "Claire Dubois")) == "Thurston, Alex, and Claire Dubois"
    assert chicago_authors(("A B", "C D", "E F")) == "B, A, C D, and E F"
    assert chicago_authors(("Reuters",)) == "Reuters"
    assert long_date("2023-12-01") == "December 1, 2023" and long_date(None) == "n.d."


def test_bibtex_entry_of_a_complete_briefing():
    assert bibtex(LEVERAGE, PAGE, path=PATH, site_name="Briefing Archive") == (
        "@misc{mali-wagner-leverage-2021,\n"
        "  author       = {Alex Thurston},\n"
        "  title        = {{Is Mali flirting with Russian mercenaries to get Washington's attention?}},\n"
        "  howpublished = {Responsible Statecraft},\n"
        "  year         = {2021},\n"
        "  month        = oct,\n"
        "  date         = {2021-10-06},\n"
        "  url          = {https://responsiblestatecraft.org/2021/10/06/is-mali-flirting/},\n"
        f"  note         = {{Archived in Briefing Archive, \\url{{{PAGE}}}}},\n"
        "}"
    )


def test_bibtex_entry_of_an_undated_briefing_without_source():
    meta = BriefingMeta(title="Wagner after Prigozhin")
    entry = bibtex(meta, PAGE, path="briefings/undated/wagner-after-prigozhin.md", site_name="Briefing Archive")
    assert entry.startswith("@misc{wagner-after-prigozhin-nd,\n")
    assert "year" not in entry and "month" not in entry and "howpublished" not in entry and "author" not in entry
    assert "  title = {{Wagner after Prigozhin}},\n" in entry
    assert entry.count("{") == entry.count("}")


def test_bibtex_escapes_latex_special_characters():
    assert bibtex_escape("{}&%$#_") == r"\textbraceleft{}\textbraceright{}\&\%\$\#\_"
    assert bibtex_escape("a\\b ~ ^") == r"a\textbackslash{}b \textasciitilde{} \textasciicircum{}"
    meta = BriefingMeta(title="Costs {up} 50% & $3bn #1 in_Mali", source="R&D_Weekly", date="2022-08-17",
                        authors=("Smith and Jones", "Doe, Jane"))
    entry = bibtex(meta, PAGE, path="briefings/2022/2022-08-17-costs.md", site_name="Archive #1")
    assert r"title        = {{Costs \textbraceleft{}up\textbraceright{} 50\% \& \$3bn \#1 in\_Mali}}," in entry
    assert r"howpublished = {R\&D\_Weekly}," in entry
    assert r"author       = {{Smith and Jones} and {Doe, Jane}}," in entry  # one author each, not split
    assert r"note         = {Archived in Archive \#1, \url{" in entry
    assert entry.count("{") == entry.count("}")  # BibTeX counts every brace


def test_bibtex_keeps_non_ascii_and_the_key_stays_ascii():
    meta = BriefingMeta(title="Goïta’s junta — «Ça suffit» 日本", date="2023-03-14", authors=("Aïssata Touré",))
    citation = cite(meta, path="briefings/2023/2023-03-14-goïta-junta.md", page_url=PAGE, site_name="Briefing Archive")
    assert "Goïta’s junta — «Ça suffit» 日本" in citation.bibtex and "Aïssata Touré" in citation.bibtex
    assert "Touré, Aïssata. “Goïta’s junta — «Ça suffit» 日本.”" in citation.chicago
    assert citation.key == "goita-junta-2023" and citation.key.isascii()


def test_citation_key():
    assert citation_key(PATH, "2021-10-06") == "mali-wagner-leverage-2021"
    assert citation_key("briefings/undated/wagner-after-prigozhin.md", None) == "wagner-after-prigozhin-nd"


def test_multi_line_values_become_one_line():
    meta = BriefingMeta(title="A title\nover two lines", source="  Spaced   source ")
    assert "“A title over two lines.” Spaced source, n.d." in chicago(meta, PAGE, site_name="A")
    assert "{{A title over two lines}}" in bibtex(meta, PAGE, path=PATH, site_name="A")


# ------------------------------------------------------------------- in the built site


def citation_block(page_html: str) -> str:
    return page_html.split('<section class="ba-citation"', 1)[1].split("</section>", 1)[0]


@pytest.mark.site
def test_each_briefing_page_has_the_citation_block(fixture_site):
    page = fixture_site.html("briefings/2021/2021-10-06-mali-wagner-leverage/")
    block = citation_block(page)
    assert "Cite this briefing" in block
    chicago_text = html.unescape(re.search(r'<pre id="cite-chicago"[^>]*><code>(.*?)</code></pre>', block, re.S).group(1))
    bibtex_text = html.unescape(re.search(r'<pre id="cite-bibtex"[^>]*><code>(.*?)</code></pre>', block, re.S).group(1))
    assert chicago_text.startswith("Thurston, Alex. “Is Mali flirting with Russian mercenaries")
    assert chicago_text.endswith("Archived in Briefing Archive, https://briefings.example.org/briefings/2021/2021-10-06-mali-wagner-leverage/.")
    assert bibtex_text.startswith("@misc{mali-wagner-leverage-2021,\n") and "month        = oct," in bibtex_text
    # After the article's own text and outside page.content: the theme's, not the briefing's.
    assert page.index('<section class="ba-citation"') > page.index("ba-briefing-header")
    for url in ("briefings/undated/wagner-after-prigozhin/", "briefings/2022/2022-08-17-barkhane-withdrawal/"):
        assert "@misc{" in citation_block(fixture_site.html(url))
    # Not on other pages.
    assert "ba-citation" not in fixture_site.html("") and "ba-citation" not in fixture_site.html("about/")


@pytest.mark.site
def test_citations_stay_out_of_the_search_index(fixture_site):
    import json

    docs = json.loads((fixture_site.site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    briefings = [d for d in docs if d["location"].startswith("briefings/")]
    assert briefings
    for doc in briefings:
        assert "Cite this briefing" not in doc["title"] + doc["text"] and "@misc" not in doc["text"], doc["location"]
        assert "Archived in Briefing Archive" not in doc["text"], doc["location"]
