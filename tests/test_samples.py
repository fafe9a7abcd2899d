"""The archive's two real sample articles, end to end: what must appear and what must not.

`mali-wagner-leverage.txt` ends with teasers of three unrelated articles (Rubio/Venezuela,
JNIM's fuel blockade, Congress and China) that must not leak into the briefing or its actors;
`mali-defends-russia.txt` has roman-numeral footnotes, a cited source with its date and an
image-credit block.
"""

from pathlib import Path

import markdown
import pytest


WAGNER = "docs/briefings/2021/2021-10-06-is-mali-flirting-with-russian-mercenaries-to-get-washingtons-attention.md"
DEFENDS = "docs/briefings/undated/mali-defends-reliance-on-russian-counterterrorism-assistance.md"


@pytest.fixture(scope="module")
def briefings(ingested_samples):
    root, by_raw = ingested_samples
    return by_raw["raw/mali-wagner-leverage.txt"], by_raw["raw/mali-defends-russia.txt"], root


def test_paths(briefings):
    root = briefings[2]
    assert (root / WAGNER).is_file() and (root / DEFENDS).is_file()


def test_wagner_metadata(briefings):
    meta = briefings[0].meta
    assert meta.title == "Is Mali flirting with Russian mercenaries to get Washington's attention?"
    assert meta.date == "2021-10-06"
    assert meta.source == "Responsible Statecraft"
    assert meta.authors == ("Alex Thurston",)
    assert meta.section == "Analysis"
    assert meta.region == "Africa"
    assert meta.summary.startswith("The transitional government of Mali has been negotiating with the Wagner Group")
    assert meta.image_credit == "Luca Perra via shutterstock.com"
    assert meta.review == ()


@pytest.mark.parametrize(
    "actor",
    ["mali", "wagner-group", "russia", "france", "united-states", "assimi-goita", "operation-barkhane",
     "takuba-task-force", "coordination-of-azawad-movements", "kidal", "emmanuel-macron", "libya",
     "central-african-republic", "bamako"],
)
def test_wagner_actors_found(briefings, actor):
    assert actor in briefings[0].meta.actors


@pytest.mark.parametrize(
    "actor", ["marco-rubio", "venezuela", "donald-trump", "nicolas-maduro", "richard-grenell", "jnim", "china",
              "taiwan", "new-york-times", "caracas", "latin-america", "white-house"],
)
def test_wagner_teaser_actors_not_listed(briefings, actor):
    assert actor not in briefings[0].meta.actors


@pytest.mark.parametrize(
    "text",
    ["Rubio", "Venezuela", "Jama'at Nusrat", "Adam Smith", "keep reading", "Show less", "Subscribe", "Follow us",
     "Shutterstock_2026844540", "Photo: Luca Perra", "Top image credit", "LATEST", "QIOSK", "Newsletter",
     "Analysis | Africa", "great power competition' context"],
)
def test_wagner_body_has_no_page_furniture(briefings, text):
    assert text not in briefings[0].body


def test_wagner_body_is_the_whole_article(briefings):
    body = briefings[0].body
    assert body.startswith("The transitional government of Mali has been negotiating with the Wagner Group")
    assert "Mali is in grim shape." in body
    assert body.rstrip().endswith("is a bigger problem than Russian influence, real or imagined.")


def test_defends_russia_metadata(briefings):
    meta = briefings[1].meta
    assert meta.title == "Mali Defends Reliance on Russian Counterterrorism Assistance"
    assert meta.date is None and "date missing" in meta.review  # never guessed
    assert meta.source == "OE Watch (Foreign Military Studies Office)"
    assert meta.cited_source.author == "Abdoulaye Diop"
    assert meta.cited_source.outlet == "Journal du Mali"
    assert meta.cited_source.date == "2023-02-08"
    assert meta.image_credit == "Map of Mali (Creative Commons 4.0)"
    assert meta.summary.startswith("Mali and Russia’s security relationship appears to be ever-deepening.")
    assert "[i]" not in meta.summary


@pytest.mark.parametrize(
    "actor", ["mali", "russia", "wagner-group", "al-qaeda", "islamic-state", "bamako", "france", "united-states",
              "burkina-faso", "minusma", "sergei-lavrov", "abdoulaye-diop", "un-security-council", "ukraine", "jnim"],
)
def test_defends_russia_actors(briefings, actor):
    assert actor in briefings[1].meta.actors


def test_defends_russia_footnotes_link_both_ways(briefings):
    body = briefings[1].body
    for number in range(1, 5):
        assert f"[^{number}]:" in body
        assert body.count(f"[^{number}]") == 2  # one reference, one definition
    assert "[i]" not in body and "[iv]" not in body
    assert "[^1]: For instance, in January 2023, a UN human rights group" in body
    html = markdown.markdown(body, extensions=["footnotes"])
    assert 'href="#fn:4"' in html and 'href="#fnref:4"' in html


@pytest.mark.parametrize("text", ["Map of Mali.", "Image Information", "Attribution:", "Creative Commons"])
def test_defends_russia_body_has_no_captions(briefings, text):
    assert text not in briefings[1].body


def test_defends_russia_keeps_quote_citation_and_translation(briefings):
    body = briefings[1].body
    assert body.startswith("> “What matters…is how \\[Mali and Russia\\] work together")
    assert "Abdoulaye Diop, “La Russie est ici à la demande du Mali" in body
    assert "Abdoulaye Diop expressed his solidarity with Russia" in body


def test_committed_archive_is_what_ingest_produces(briefings):
    """The committed briefings are exactly the builder's output (regenerate: ./run ingest --force)."""
    repo = Path(__file__).resolve().parents[1]
    for rel in (WAGNER, DEFENDS):
        assert (briefings[2] / rel).read_bytes() == (repo / rel).read_bytes(), rel
