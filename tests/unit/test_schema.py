"""Briefing frontmatter: every problem reported with its line and field; canonical output."""

import dataclasses

from builder.archive.model import BriefingMeta, CitedSource
from builder.archive.schema import content_hash, dump_briefing, is_hand_edited, parse_briefing

GOOD = """---
title: Mali Defends Reliance on Russian Counterterrorism Assistance
date: 2023-03-01
actors:
- mali
- russia
---

Body.
"""


def test_valid_briefing_parses():
    briefing, problems = parse_briefing("b.md", GOOD, known_actors={"mali", "russia"}, regions=["Africa"])
    assert problems == []
    assert briefing.meta.date == "2023-03-01"
    assert briefing.meta.actors == ("mali", "russia")


def test_every_problem_is_reported_with_line_and_field():
    text = GOOD.replace("date: 2023-03-01", "date: 2023-02-30\ncolour: red\nurl: javascript:alert(1)\nregion: Mars")
    _, problems = parse_briefing("b.md", text, known_actors={"mali"}, regions=["Africa"])
    found = {(p.line, p.field) for p in problems}
    assert found == {(3, "date"), (4, "colour"), (5, "url"), (6, "region"), (7, "actors")}
    assert all(str(p).startswith("b.md:") for p in problems)
    assert "russia" in next(str(p) for p in problems if p.field == "actors")


def test_broken_yaml_names_its_line():
    briefing, problems = parse_briefing("b.md", "---\ntitle: x\nactors: [mali\n---\nBody\n")
    assert briefing is None
    assert problems[0].field == "frontmatter" and problems[0].line >= 3


def test_missing_frontmatter_and_missing_title():
    assert "no YAML frontmatter" in str(parse_briefing("b.md", "Just text\n")[1][0])
    assert parse_briefing("b.md", "---\ndate: 2023-01-01\n---\nx\n")[1][0].field == "title"


def test_dump_is_canonical_and_round_trips():
    meta = BriefingMeta(
        title="A: title with colon",
        date="2021-10-06",
        authors=("Alex Thurston",),
        cited_source=CitedSource(author="Abdoulaye Diop", outlet="Journal du Mali", date="2023-02-08"),
    )
    stamped = dataclasses.replace(meta, generated_sha256=content_hash(meta, "Body.\n"))
    text = dump_briefing(stamped, "Body.\n")
    assert text.index("title:") < text.index("date:") < text.index("authors:") < text.index("cited_source:")
    assert "date: 2021-10-06\n" in text  # a YAML date, not a quoted string
    briefing, problems = parse_briefing("b.md", text)
    assert problems == [] and briefing.meta == stamped
    assert not is_hand_edited(briefing)
    edited, _ = parse_briefing("b.md", text.replace("Body.", "Body, edited."))
    assert is_hand_edited(edited)
