"""clean_text_dump on the two real sample articles and on small synthetic pages."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from builder.ingest.clean import clean_text_dump
from builder.archive.model import Role

RAW = Path(__file__).resolve().parents[2] / "raw"


def load(name: str) -> str:
    return unicodedata.normalize("NFC", (RAW / name).read_text(encoding="utf-8"))


def role_of(article, text: str) -> Role:
    roles = {b.role for b in article.blocks if b.text == text}
    assert len(roles) >= 1, f"no block {text!r}"
    return roles.pop() if len(roles) == 1 else sorted(roles)[0]


@pytest.fixture(scope="module")
def wagner():
    return clean_text_dump(load("mali-wagner-leverage.txt"))


@pytest.fixture(scope="module")
def defends():
    return clean_text_dump(load("mali-defends-russia.txt"))


def test_wagner_title(wagner):
    assert wagner.title == "Is Mali flirting with Russian mercenaries to get Washington's attention?"
    assert role_of(wagner, wagner.title) is Role.TITLE


def test_wagner_body_ends_with_article(wagner):
    body = wagner.body_text()
    assert body.startswith("The transitional government of Mali has been negotiating")
    assert body.endswith("is a bigger problem than Russian influence, real or imagined.")
    assert "Mali is in grim shape." in body


@pytest.mark.parametrize(
    "phrase",
    ["Rubio", "Venezuela", "JNIM", "Adam Smith", "keep reading", "Subscribe", "Follow us on social",
     "Shutterstock_2026844540-scaled", "Photo: Luca Perra", "Top image credit"],
)
def test_wagner_body_excludes(wagner, phrase):
    assert phrase.lower() not in wagner.body_text().lower()


def test_wagner_roles(wagner):
    first = [b for b in wagner.blocks if b.text == "Analysis | Africa"][0]
    assert first.role is Role.META
    assert role_of(wagner, "Photo: Luca Perra via shutterstock.com") is Role.CAPTION
    assert role_of(wagner, "Shutterstock_2026844540-scaled") is Role.CAPTION


def test_defends_title(defends):
    assert defends.title == "Mali Defends Reliance on Russian Counterterrorism Assistance"


def test_defends_captions_and_notes(defends):
    assert [b.role for b in defends.blocks if b.text == "Map of Mali."] == [Role.CAPTION, Role.CAPTION]
    for text in ("Image Information:", "Image: Map of Mali", "Attribution: Creative Commons 4.0"):
        assert role_of(defends, text) is Role.CAPTION
    notes = [b for b in defends.blocks if b.text.startswith(("[i]", "[ii]", "[iii]", "[iv]"))]
    assert len(notes) == 4 and all(b.role is Role.FOOTNOTE for b in notes)
    assert "Map of Mali" not in defends.body_text()


def test_defends_body(defends):
    quote = [b for b in defends.blocks if b.text.startswith("“What matters…is how")]
    assert quote and quote[0].role is Role.QUOTE
    citation = [b for b in defends.blocks if b.text.startswith("Abdoulaye Diop, “La Russie est ici")]
    assert citation and citation[0].role is Role.PARAGRAPH
    body = defends.body_text()
    assert "8 February 2023." in body
    assert "For the diplomat, his country has chosen to “strengthen”" in body
    assert body.endswith("in response to the war between it and Ukraine.")


def test_blocks_keep_every_line_in_order():
    text = load("mali-defends-russia.txt")
    article = clean_text_dump(text)
    expected = [(n, line.strip()) for n, line in enumerate(text.split("\n"), 1) if line.strip()]
    assert [(b.line, b.text) for b in article.blocks] == expected


def test_known_boilerplate_is_dropped():
    para = "This is a long enough sentence of real prose that talks about the news of the day in detail."
    text = f"Headline about the news\n\n{para}\n\nA recurring promo line\n\n{para.replace('day', 'week')}\n"
    article = clean_text_dump(text, boilerplate=frozenset({"a recurring promo line"}))
    assert role_of(article, "A recurring promo line") is Role.BOILERPLATE


def test_deterministic_and_empty():
    text = load("mali-wagner-leverage.txt")
    assert clean_text_dump(text) == clean_text_dump(text)
    empty = clean_text_dump("")
    assert empty.blocks == () and empty.title is None
    assert clean_text_dump("\n\n  \n").blocks == ()


def test_numbered_end_notes_are_footnotes():
    para = ("The committee said on Monday that the reform would take several years to complete, "
            "according to officials who spoke about the plan in detail.")
    text = "\n\n".join([
        "Reform plan announced for the region",
        *(para.replace("Monday", day) for day in ("Monday", "Tuesday", "Friday")),
        "1. See the annual report of the committee, pp. 12-14.",
        "2. Ibid., p. 20.",
        "Share this article",
    ])
    article = clean_text_dump(text)
    roles = {b.text: b.role for b in article.blocks}
    assert roles["1. See the annual report of the committee, pp. 12-14."] is Role.FOOTNOTE
    assert roles["2. Ibid., p. 20."] is Role.FOOTNOTE
    assert "Ibid" not in article.body_text()
    assert article.title == "Reform plan announced for the region"


def test_furniture_memo_changes_nothing():
    """Marks memoised across pages give the same article as a fresh classification."""
    from builder.ingest.clean import lines

    text = load("mali-wagner-leverage.txt")
    warm = clean_text_dump(text)
    lines._FURNITURE_SEEN.clear()
    assert clean_text_dump(text) == warm
    assert clean_text_dump(text) == warm  # now every short line comes from the memo
    # The word count is part of the key: a CJK page counts words differently.
    assert lines.furniture("Share", 1, False, ["share"]) == lines._FURNITURE_SEEN.get(("Share", 1), lines.furniture("Share", 1, False, ["share"]))


GLUED_TEASERS_PAGE = """Sports Weather Community

Local Runner Wins State Cross Country TitleThe senior from Elm Street finished first among ninety runners on a wet course, her coach said after the race on Saturday.
County Fair Opens With Record Crowd On Friday NightOrganisers counted more visitors than in any year since the fair began, with long queues at the gates until late evening.
Storm Damage Closes Two Roads Near The RiverCrews worked through the night to clear fallen trees, and the roads should reopen by Monday morning, officials said.

City council approves the new library budget

By Jane Doe

The city council voted on Tuesday to approve the budget for the new library, after a debate that lasted more than three hours and drew a large crowd of residents.

Supporters said the library would give students a quiet place to study, while opponents argued that the money should go to repairing roads and bridges first.

The mayor said construction could begin next spring if the state grant that covers half of the cost arrives on time, and the doors could open within two years.
"""


def test_glued_teaser_cards_are_not_the_article():
    # Card headline + summary run together by innerText: a teaser list, however long its lines.
    article = clean_text_dump(GLUED_TEASERS_PAGE)
    assert article.title == "City council approves the new library budget"
    body = article.body_text()
    assert "approve the budget for the new library" in body
    assert "Cross Country" not in body and "Storm Damage" not in body


def test_a_glued_capital_in_prose_is_not_a_teaser():
    from builder.ingest.clean.textdump import is_glued_teaser

    assert is_glued_teaser("Local Runner Wins State Cross Country TitleThe senior from Elm Street finished first.")
    assert not is_glued_teaser("Apple said the new MacBook would ship in May, and iFixit took one apart at once.")
