"""`actors suggest` prints registry entries to paste: id, name, guessed type, aliases, places."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest
import yaml

from builder.archive.registry_load import load_registry
from builder.cli import main
from builder.archive.suggest import guess_type, registry_entry, suggest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def registry():
    return load_registry(REPO / "registry")


@pytest.mark.parametrize(
    ("name", "aliases", "title", "expected"),
    [
        ("Operation Sandstorm", (), None, ("operation", "Operation")),
        ("Zorgan Stabilisation Mission", (), None, ("mission", "Mission")),
        ("Zorgan Stabilisation Force", ("MINUZOR",), None, ("mission", "MINUZOR")),
        ("Zorgan Liberation Front", (), None, ("armed-group", "Front")),
        ("Bakari Militia", (), None, ("armed-group", "Militia")),
        ("Kofi Mensah", (), "President", ("person", "President")),
        ("Kofi Mensah", (), None, ("organisation", "")),
        ("Zorgan Security Council", (), "General", ("organisation", "")),  # a body's name, whatever precedes it
        ("Long War Journal", (), None, ("organisation", "")),
    ],
)
def test_the_type_is_guessed_from_cue_words(name, aliases, title, expected):
    assert guess_type(name, aliases, title) == expected


def test_suggestions_carry_aliases_in_brackets_titles_and_places(registry):
    texts = [
        "Officials in Bamako said the Zorgan Liberation Front (ZLF) and its commander were moving.\n\n"
        "Later President Aminata Dicko met the ZLF in the north, and the Zorgan Liberation Front agreed.",
        "The Zorgan Liberation Front (ZLF) signed the text that Aminata Dicko had proposed to everyone.",
    ]
    by_name = {s.name: s for s in suggest(texts, registry)}
    assert set(by_name) == {"Zorgan Liberation Front", "Aminata Dicko"}  # ZLF is the front's alias, no suggestion of its own
    front, dicko = by_name["Zorgan Liberation Front"], by_name["Aminata Dicko"]
    assert (front.id, front.type, front.cue, front.aliases) == ("zorgan-liberation-front", "armed-group", "Front", ("ZLF",))
    assert front.places == ((0, 1), (0, 3), (1, 1))  # (text, line): up to three, one per line
    assert (dicko.id, dicko.type, dicko.cue) == ("aminata-dicko", "person", "President")


def test_a_pasted_entry_loads_once_its_description_is_written(tmp_path, registry):
    texts = ["The Zorgan Liberation Front (ZLF) fought in the town of Zorg for many days."] * 2
    entry = registry_entry(suggest(texts, registry)[0], ["docs/briefings/x.md:7"])
    assert entry.splitlines()[0].startswith("# Zorgan Liberation Front: 2 times in 2 briefing(s). Goes to registry/armed-groups.yml")
    assert "    # seen: docs/briefings/x.md:7\n" in entry
    folder = tmp_path / "registry"
    shutil.copytree(REPO / "registry", folder)
    filled = entry.replace("    description:  # one factual line (required)", "    description: A made-up armed group.")
    with (folder / "armed-groups.yml").open("a", encoding="utf-8") as file:
        file.write("\n" + filled)
    added = load_registry(folder).get("zorgan-liberation-front")
    assert (added.name, added.type, added.aliases) == ("Zorgan Liberation Front", "armed-group", ("ZLF",))
    # As pasted, without a description, the loader refuses it: nothing half-written goes unnoticed.
    assert yaml.safe_load(textwrap.dedent(entry))[0]["description"] is None


def test_the_command_prints_entries_with_briefing_lines_and_the_brief_format(two_notes, capsys):
    two_notes("In Bamako, the Zorgan Brigade (ZB) met officials.\n\nLater the Zorgan Brigade left Mali.\n")
    assert main(["actors", "suggest"]) == 0
    out = capsys.readouterr().out
    assert "  - id: zorgan-brigade\n    name: Zorgan Brigade\n    type: armed-group\n    aliases: [ZB]\n" in out
    assert "    # seen: docs/briefings/2024/2024-01-01-note-1.md:6\n    # seen: docs/briefings/2024/2024-01-01-note-1.md:8\n" in out
    assert main(["actors", "suggest", "--brief"]) == 0
    assert capsys.readouterr().out == "    4     2 briefing(s)  Zorgan Brigade\n"
