"""The headline finder of text dumps (builder/ingest/clean/title.py), on real lines.

The case pages in tests/cases/extraction/ must keep their headline; the small pages
below are built from their lines to pin one rule each (a headline quoted in a share
line, a ticker printed twice, a headline with its own byline and lead far above the
segment, a headline that shouts inside quotes) and what must not be a headline.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from builder.ingest.clean import clean_text_dump
from builder.ingest.clean.lines import Line, mark_lines, split_lines
from builder.ingest.clean.title import TITLE_WINDOW, dated_headline, exclaims, find_title, title_shaped

CASES_DIR = Path(__file__).resolve().parents[1] / "cases" / "extraction"

# Real lines of the case pages.
CBS_NAV = ["Log In", "My Teams", "Organize / See All Teams Help", "Account Settings Log Out", "Up next:"]
CBS_TITLE = "Browns player on Mason Rudolph's role in fight with Myles Garrett: He asked for it"
CBS_DECK = "One member of the Browns' defense didn't hold back on Monday when asked about Thursday night's fight"
CBS_BYLINE = ["by Bryan DeArdo", "Nov 18, 2019 at 9:24 pm ET • 2 min read"]
CBS_BODY = [
    "The Steelers spent Monday trying to distance themselves from Thursday night's fight that led to multi-game"
    " suspensions for Browns pass rusher Myles Garrett and Pittsburgh center Maurkice Pouncey. Cleveland DL Larry"
    " Ogunjobi also received a one-game suspension for shoving Pittsburgh quarterback Mason Rudolph to the ground,"
    " and both teams received $250,000 fines.",
    "Browns DL Sheldon Richardson, however, decided to weigh in on Thursday's fight on Monday, saying that Rudolph"
    " should be disciplined by the league for his role in the fight. Rudolph and Garrett engaged in a heated"
    " altercation before Garrett hit Rudolph in the head with Rudolph's helmet.",
]
SA_TITLE = "NASA Just Confirmed There Are Water Plumes Above The Surface of Jupiter's Moon Europa"
SA_BYLINE = ["VICTOR TANGERMANN, FUTURISM", "18 NOV 2019"]
SA_BODY = [
    "A team led by researchers out of NASA's Goddard Space Flight Center in Greenbelt, Maryland, has confirmed"
    " traces of water vapor above the surface of Jupiter's icy moon Europa.",
    "And that's a big deal as the tiny space rock is one of the highest priority targets in NASA's search for"
    " extraterrestrial life, according to the agency.",
]
AB_TEASERS = [
    "US: Top 100 Brands Are Worth More Than the GDP of Germany",
    "Dubai’s Non-Oil Trade with Africa to Exceed $272 Billion",
    "Lebanon: Bank Employees Resume Work After Week-Long Strike",
]
AB_FOOTER = ["Footer menu", "About Us", "Advertise With Us", "Become a Subscriber", "Our Team", "Contact Us", "RSS Feeds"]
AB_BODY = [
    "However, Swedish prosecutors decided to reopen the investigation in May after he was hauled out of the"
    " Ecuadorean Embassy in London by the UK police at the request of the United States.",
    "The US wants the UK to extradite Assange, 47, over his alleged role in the release of classified military"
    " and diplomatic material in 2010.",
]


def page(*texts: str) -> list[Line]:
    lines = split_lines("\n\n".join(texts))
    mark_lines(lines, frozenset())
    return lines


def at(lines: list[Line], text: str) -> int:
    return next(i for i, line in enumerate(lines) if line.text == text)


def title_of(lines: list[Line], start_text: str) -> str | None:
    start = at(lines, start_text)
    found = find_title(lines, start, len(lines))
    return lines[found].text if found is not None else None


def clean_case(name: str):
    text = (CASES_DIR / f"{name}.txt").read_text(encoding="utf-8", errors="replace")
    return clean_text_dump(unicodedata.normalize("NFC", text))


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("albawaba-assange", "Sweden Drops Its Investigation Into Rape Allegation Against Julian Assange"),
        ("cbssports-nfl", CBS_TITLE),
        ("comwrap-de", "Die elektronische Patientenakte (ePA) – der lange Marsch ins Digitale Gesundheitswesen"),
        ("diet-ru", "Диета Аткинса - потеря веса до 10 килограмм за 14 дней"),  # the printed h1, not the <title>
        ("nj-tweets", "South Dakota doubles down on ‘Meth. We’re on it.’ They just might be."),
        ("sciencealert-europa", SA_TITLE),
    ],
)
def test_case_page_headline(name, title):
    assert clean_case(name).title == title


def test_case_page_headline_korean():
    # Particles glue onto Korean words (엘제이의): the headline shares word stems, not whole
    # words, with the article; the deck under the dateline shares whole words.
    assert clean_case("entermedia-ko").title == "엘제이-류화영 진흙탕 싸움, 공적인 사안으로 봐야하는 이유"


@pytest.mark.parametrize(
    "text",
    [
        "Up next:",  # a label
        "© ScienceAlert Pty Ltd. All rights reserved.",  # a widget
        "Published November 20th, 2019 - 07:50 GMT",  # a dateline
        "by Bryan DeArdo",  # a byline
        "Subscribe to our newsletter for exclusive updates and enhanced content",  # a widget phrase in a long line
    ],
)
def test_not_headline_shaped(text):
    lines = page(*CBS_NAV, text, *CBS_BODY)
    assert not title_shaped(lines[at(lines, text)], before_article=True)


def test_headline_over_byline_beats_navigation():
    lines = page(*CBS_NAV, CBS_TITLE, *CBS_BYLINE, *CBS_BODY)
    assert title_of(lines, CBS_BODY[0]) == CBS_TITLE


def test_headline_shouting_inside_quotes():
    # A line of 13 words ending in '!"' reads like prose; under a byline it is the headline.
    shout = 'Browns player on Mason Rudolph\'s role in fight with Myles Garrett: "He asked for it!"'
    assert exclaims(shout) and exclaims("Is this the end?»") and not exclaims("He asked for it.")
    lines = page(*CBS_NAV, shout, *CBS_BYLINE, *CBS_BODY)
    assert title_of(lines, shout) == shout  # the segment starts on the headline itself


def test_long_cry_without_byline_is_no_headline():
    # A long prose line ending in "!" with no byline under it is more often a call to action
    # (it must not hide the headline with its own byline and lead above a wrong segment).
    cry = ("See the photos of the Ecuadorean Embassy in London where the UK police hauled out Assange at the"
           " request of the United States!")
    menu = [f"{item} {n}" for n in range(10) for item in AB_FOOTER]
    lines = page(*CBS_NAV, SA_TITLE, *SA_BYLINE, *SA_BODY, *menu, cry, *AB_BODY)
    assert title_of(lines, AB_BODY[0]) == SA_TITLE


def test_headline_quoted_in_share_line_beats_deck():
    # A deck (written here from the article's words) sits right over the byline and shares
    # more words with the article; the headline is the line a share widget quotes.
    deck = "Myles Garrett hit Mason Rudolph with a helmet in the fight of the Browns and the Steelers"
    lines = page(*CBS_NAV, CBS_TITLE, "New, 15 comments", deck, *CBS_BYLINE,
                 "Share this story", f"Share All sharing options for: {CBS_TITLE}", *CBS_BODY)
    assert title_of(lines, CBS_BODY[0]) == CBS_TITLE


def test_deck_under_headline_is_no_headline():
    lines = page(*CBS_NAV, CBS_TITLE, CBS_DECK, *CBS_BYLINE, *CBS_BODY)
    assert title_of(lines, CBS_BODY[0]) == CBS_TITLE


def test_ticker_printed_twice_does_not_bury_the_headline():
    # The segment found starts on a ticker of teaser paragraphs printed twice; the headline
    # and dateline under it still start the article.
    ticker = [f"{teaser} {body}" for teaser, body in zip(AB_TEASERS, AB_BODY + SA_BODY)]
    lines = page(*ticker, *ticker, SA_TITLE, *SA_BYLINE, *SA_BODY)
    assert title_of(lines, ticker[0]) == SA_TITLE


def test_headline_with_byline_and_lead_far_above_a_wrong_segment():
    # The segment found is the footer's prose; the article sits far above it, with its own
    # headline, dateline and lead. Teasers with datelines but no lead are not it.
    teasers = [line for teaser in AB_TEASERS for line in (teaser, "By REUTERS", "11/20/2019 10:08 AM")]
    menu = [f"{item} {n}" for n in range(10) for item in AB_FOOTER]
    lines = page(*CBS_NAV, SA_TITLE, *SA_BYLINE, *SA_BODY, *teasers, *menu, *AB_BODY)
    assert title_of(lines, AB_BODY[0]) == SA_TITLE


def test_teasers_with_datelines_are_not_a_headline_with_its_lead():
    teasers = [line for teaser in AB_TEASERS for line in (teaser, "By REUTERS", "11/20/2019 10:08 AM")]
    menu = [f"{item} {n}" for n in range(10) for item in AB_FOOTER]
    lines = page(*CBS_NAV, *teasers, *menu, *AB_BODY)
    assert title_of(lines, AB_BODY[0]) not in AB_TEASERS


# Real lines of a dev page: a daily column whose headline carries its date, then its
# standfirst, printed again as the article's first paragraph.
OB_NAV = ["Home", "Opening Bell"]
OB_TITLE = "Opening Bell 11.18.19"
OB_DECK = "T-Swift is beefing with The Carlyle Group ... what a time to be alive ..."
OB_BYLINE = ["Author:", "The Water Coolest", "Publish date:", "Nov 18, 2019"]
OB_BODY = [
    "Start your day with the Opening Bell powered by The Water Coolest. The Water Coolest is the preferred bathroom"
    " reading of Wall Street.",
    "Brace yourself, Swifties: Taylor Swift might not be able to perform all of her hits due to a legal dispute with"
    " her former label and The Carlyle Group.",
]


def test_headline_over_a_standfirst_printed_twice():
    # The standfirst printed again as the first paragraph is not the headline; the line over
    # it is, even when it is a dateline only for its date.
    lines = page(*CBS_NAV, *OB_NAV, OB_TITLE, OB_DECK, *OB_BYLINE, OB_DECK, *OB_BODY)
    assert lines[at(lines, OB_TITLE)].meta  # (lines.py reads the date)
    start = next(i for i, line in enumerate(lines) if line.text == OB_DECK and i > at(lines, OB_TITLE) + 1)
    assert lines[find_title(lines, start, len(lines))].text == OB_TITLE


@pytest.mark.parametrize(
    ("text", "dated"),
    [
        ("Opening Bell 11.18.19", True),
        ("Nov 18, 2019", False),  # only a date
        ("Nissan 20.11.2019 13:42", False),  # one word left
        ("Published 11.18.19 at 4:07 PM", False),  # a stamp
        ("By Jane Doe 11.18.19", False),  # a byline
    ],
)
def test_dated_headline(text, dated):
    lines = page(*CBS_NAV, text, *CBS_BODY)
    assert dated_headline(lines[at(lines, text)]) is dated


def test_headline_above_a_box_of_teasers_and_a_menu():
    # Between the headline and the article: a long menu, then a box of teasers, each a
    # headline over its date. The headline is above the box, further than TITLE_WINDOW.
    menu = [f"{item} {n}" for n in range(8) for item in AB_FOOTER]
    box = ["MORE STORIES LIKE THIS ONE"] + [line for teaser in AB_TEASERS for line in ("WORLD", teaser, "November 16, 2016")]
    lines = page(*CBS_NAV, SA_TITLE, *SA_BYLINE, *menu, *box, *SA_BODY)
    start = at(lines, SA_BODY[0])
    assert start - at(lines, SA_TITLE) > TITLE_WINDOW
    assert title_of(lines, SA_BODY[0]) == SA_TITLE


def test_teasers_under_the_article_headline_change_nothing():
    box = [line for teaser in AB_TEASERS for line in (teaser, "November 16, 2016")]
    lines = page(*CBS_NAV, CBS_TITLE, *CBS_BYLINE, *box, *CBS_BODY)
    assert title_of(lines, CBS_BODY[0]) == CBS_TITLE
