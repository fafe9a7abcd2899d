"""The ingest run: idempotent, deterministic, atomic, and careful with hand edits."""

import hashlib
import shutil
from pathlib import Path

import pytest

from builder.cli import main

SAMPLE = "raw/mali-wagner-leverage.txt"
BRIEFING = Path("docs/briefings/2021/2021-10-06-is-mali-flirting-with-russian-mercenaries-to-get-washingtons-attention.md")


def tree_digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_ingest_writes_dated_briefing_and_is_idempotent(repo_copy, capsys):
    assert main(["ingest", "raw"]) == 0
    assert BRIEFING.is_file()
    first = tree_digest(Path("docs"))
    assert main(["ingest", "raw"]) == 0
    assert tree_digest(Path("docs")) == first
    assert "2 already ingested" in capsys.readouterr().err


def test_output_is_byte_identical_across_runs(repo_copy):
    assert main(["ingest", "raw"]) == 0
    first = tree_digest(Path("docs"))
    shutil.rmtree("docs")
    Path("docs").mkdir()
    assert main(["ingest", "raw"]) == 0
    assert tree_digest(Path("docs")) == first


def test_hand_edit_is_never_overwritten_without_force(repo_copy, capsys):
    assert main(["ingest", SAMPLE]) == 0
    edited = BRIEFING.read_text(encoding="utf-8").replace("Mali is in grim shape.", "Mali is in very grim shape.")
    BRIEFING.write_text(edited, encoding="utf-8")
    # The raw file changes too, so the builder would want to rebuild the briefing.
    Path(SAMPLE).write_text(Path(SAMPLE).read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert main(["ingest", SAMPLE]) == 0
    assert BRIEFING.read_text(encoding="utf-8") == edited
    assert "edited by hand" in capsys.readouterr().err
    assert main(["ingest", SAMPLE, "--force"]) == 0
    assert "Mali is in very grim shape." not in BRIEFING.read_text(encoding="utf-8")


def test_bad_files_fail_alone_and_leave_nothing_behind(repo_copy, capsys):
    Path("raw/empty.txt").write_bytes(b"")
    Path("raw/image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10)
    Path("raw/broken.txt").write_text("A title\n\nSome text about Mali and Russia, long enough to be a paragraph of an article.\n")
    Path("raw/broken.yml").write_text("date: [2021\n")
    assert main(["ingest", "raw"]) == 1
    err = capsys.readouterr().err
    assert "raw/empty.txt: empty file" in err
    assert "raw/image.txt: binary file" in err
    assert "raw/broken.yml:2: broken YAML" in err or "raw/broken.yml:1: broken YAML" in err
    assert BRIEFING.is_file()  # the good files went through
    written = [p.name for p in Path("docs").rglob("*")]
    assert not any(name.endswith(".tmp") for name in written)
    assert not any("broken" in name or "empty" in name or "image" in name for name in written)


def test_clean_prints_and_writes_nothing_in_docs(repo_copy, capsys, tmp_path):
    assert main(["clean", SAMPLE]) == 0
    out = capsys.readouterr().out
    assert out.startswith("---\ntitle: Is Mali flirting")
    assert not any(Path("docs").iterdir())
    assert main(["clean", "raw", "--out", str(tmp_path / "out")]) == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["mali-defends-russia.md", "mali-wagner-leverage.md"]
    assert not any(Path("docs").iterdir())


def test_raw_outside_the_repository_is_refused(repo_copy, tmp_path, capsys):
    outside = tmp_path / "elsewhere.txt"
    outside.write_text(Path(SAMPLE).read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["ingest", str(outside)]) == 1
    assert "outside the repository" in capsys.readouterr().err


def test_bad_registry_is_one_line_with_file(repo_copy, capsys):
    Path("actors.yml").write_text("actors: [\n", encoding="utf-8")
    assert main(["ingest", "raw"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[0].startswith("actors.yml:")
    assert not any(Path("docs").iterdir())


@pytest.mark.parametrize("name", ["draft.md"])
def test_markdown_draft_is_validated_and_normalised(repo_copy, name):
    Path(f"raw/{name}").write_text(
        "---\ntags: [sahel]\ndate: 2024-07-06\ntitle: Sahel states sign a confederation treaty\n---\n\n"
        "Mali, Burkina Faso and Niger signed the treaty in Niamey.\n",
        encoding="utf-8",
    )
    assert main(["ingest", f"raw/{name}"]) == 0
    text = Path("docs/briefings/2024/2024-07-06-sahel-states-sign-a-confederation-treaty.md").read_text(encoding="utf-8")
    assert text.index("title:") < text.index("date:") < text.index("tags:") < text.index("actors:")
    assert "- niamey" in text and "- mali" in text and "raw: raw/draft.md" in text


def test_markdown_draft_with_bad_frontmatter_names_line(repo_copy, capsys):
    Path("raw/bad.md").write_text("---\ntitle: X\ndate: 2024-02-31\n---\n\nBody about Mali.\n", encoding="utf-8")
    assert main(["ingest", "raw/bad.md"]) == 1
    assert "raw/bad.md:3: date:" in capsys.readouterr().err


def test_same_article_twice_in_one_run_gives_one_briefing(repo_copy, capsys):
    Path("raw/copy.txt").write_bytes(Path(SAMPLE).read_bytes())
    assert main(["ingest", "raw/copy.txt", SAMPLE]) == 0
    assert len(list(Path("docs").rglob("*.md"))) == 1
    assert "1 already ingested" in capsys.readouterr().err


def test_actors_suggest_lists_recurring_unknown_names(repo_copy, capsys):
    folder = Path("docs/briefings/2024")
    folder.mkdir(parents=True)
    for day in (1, 2):
        (folder / f"2024-01-0{day}-note-{day}.md").write_text(
            f"---\ntitle: Note {day}\ndate: 2024-01-0{day}\n---\n\n"
            "In Bamako, the Zorgan Brigade met officials. Later the Zorgan Brigade left Mali.\n",
            encoding="utf-8",
        )
    assert main(["actors", "suggest"]) == 0
    out = capsys.readouterr().out
    assert "Zorgan Brigade" in out
    assert "Bamako" not in out  # already in the registry


def test_lines_recurring_across_a_sources_articles_are_dropped(repo_copy):
    """Boilerplate is learnt from raw/: a line in every article of one source is not article text
    (a sentence-long line needs three articles, so that a quote shared by two is kept)."""
    furniture = "The Sahel Monitor is funded by its readers and publishes analysis every week of the year."
    places = {"a": ("Gao", "convoy"), "b": ("Niamey", "mining code"), "c": ("Djibo", "blockade")}
    for name, (place, topic) in places.items():
        paragraphs = [
            f"Officials in {place} said on Monday that the {topic} had changed the situation in the region, "
            f"and that talks with local leaders would continue through the week despite the heavy rains and the "
            f"poor state of the roads that link {place} to the rest of the country.",
            f"Analysts who follow the {topic} closely said the government had few options left, because the army "
            f"is stretched thin and donors have cut their aid, while armed groups keep moving between villages "
            f"around {place} at night and attack the roads by day.",
            f"Residents of {place} described long queues for fuel and food, and several traders said prices had "
            f"doubled since the start of the month, which has pushed many families to leave for the capital or "
            f"for relatives who live across the border in neighbouring countries.",
        ]
        text = f"Headline about {place}\n\n{paragraphs[0]}\n\n{paragraphs[1]}\n\n{paragraphs[2]}\n\n{furniture}\n"
        Path(f"raw/{name}.txt").write_text(text, encoding="utf-8")
        Path(f"raw/{name}.yml").write_text(f"source: Sahel Monitor\ndate: 2024-05-0{ord(name) - 96}\n", encoding="utf-8")
    assert main(["ingest", "raw/a.txt", "raw/b.txt", "raw/c.txt"]) == 0
    bodies = [p.read_text(encoding="utf-8") for p in sorted(Path("docs/briefings/2024").glob("*.md"))]
    assert len(bodies) == 3
    for body, (place, _topic) in zip(bodies, places.values()):
        assert "funded by its readers" not in body
        assert f"Residents of {place} described long queues" in body
    # The same line in a single article of another source is kept: it is not that source's furniture.
    Path("raw/d.txt").write_text(text.replace("Headline about Djibo", "Other headline"), encoding="utf-8")
    Path("raw/d.yml").write_text("source: Another Outlet\ndate: 2024-06-01\n", encoding="utf-8")
    assert main(["ingest", "raw/d.txt"]) == 0
    assert "funded by its readers" in next(Path("docs/briefings/2024").glob("2024-06-01-*.md")).read_text(encoding="utf-8")
