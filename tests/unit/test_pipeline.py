"""The ingest run: idempotent, deterministic, atomic, and careful with hand edits."""

import hashlib
import shutil
from pathlib import Path

import pytest

from builder.cli import main

SAMPLE = "raw/mali-wagner-leverage.txt"
DEFENDS_NAME = "mali-defends-reliance-on-russian-counterterrorism-assistance.md"
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
    articles = sorted(p.stem + ".md" for p in Path("raw").iterdir() if p.suffix in (".txt", ".html", ".md"))
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == articles  # one per raw article, whatever raw/ holds
    assert not any(Path("docs").iterdir())


def test_raw_outside_the_repository_is_refused(repo_copy, tmp_path, capsys):
    outside = tmp_path / "elsewhere.txt"
    outside.write_text(Path(SAMPLE).read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["ingest", str(outside)]) == 1
    assert "outside the repository" in capsys.readouterr().err


def test_bad_registry_is_one_line_with_file(repo_copy, capsys):
    Path("registry/states.yml").write_text("actors: [\n", encoding="utf-8")
    assert main(["ingest", "raw"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[0].startswith("registry/states.yml:2: yaml: ")
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


def test_actors_suggest_lists_recurring_unknown_names(two_notes, capsys):
    two_notes("In Bamako, the Zorgan Brigade met officials. Later the Zorgan Brigade left Mali.\n")
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


def test_fresh_ingest_reproduces_the_committed_briefings(repo_copy):
    """The golden output: the repository's docs/briefings/ is exactly what ingest makes of raw/."""
    from tests.conftest import REPO

    assert main(["ingest", "raw"]) == 0
    assert tree_digest(Path("docs/briefings")) == tree_digest(REPO / "docs" / "briefings")


def test_symlink_out_of_the_repository_is_refused_by_name(repo_copy, tmp_path, capsys):
    outside = tmp_path / "elsewhere.txt"
    outside.write_bytes(Path(SAMPLE).read_bytes())
    Path("raw/linked.txt").symlink_to(outside)
    assert main(["ingest", "raw"]) == 1
    err = capsys.readouterr().err
    assert "raw/linked.txt: raw file is outside the repository" in err
    assert "2 written" in err  # the real files still went through
    assert "linked" not in "".join(p.read_text(encoding="utf-8") for p in Path("docs").rglob("*.md"))


def test_symlinked_raw_folder_out_of_the_repository_is_refused(repo_copy, tmp_path, capsys):
    shutil.move("raw", tmp_path / "raw-elsewhere")
    Path("raw").symlink_to(tmp_path / "raw-elsewhere")
    assert main(["ingest", "raw"]) == 1
    err = capsys.readouterr().err
    assert err.count("raw file is outside the repository") == 2
    assert "raw/mali-wagner-leverage.txt: raw file is outside" in err
    assert not any(Path("docs").rglob("*.md"))


def test_symlinks_inside_the_repository_resolve_and_linked_folders_are_not_entered(repo_copy, tmp_path, capsys):
    Path("raw/alias.txt").symlink_to(Path(SAMPLE).resolve())  # the same article again: one briefing
    elsewhere = tmp_path / "more"
    elsewhere.mkdir()
    (elsewhere / "hidden.txt").write_bytes(Path(SAMPLE).read_bytes())
    Path("raw/more").symlink_to(elsewhere)  # like rglob: a linked folder is not walked
    assert main(["ingest", "raw"]) == 0
    assert "0 failed" in capsys.readouterr().err
    # alias.txt (no sidecar of its own) is the real file's path: the real file's briefing replaces it.
    assert sorted(p.name for p in Path("docs").rglob("*.md")) == sorted([BRIEFING.name, DEFENDS_NAME])
    assert f"raw: {SAMPLE}\n" in BRIEFING.read_text(encoding="utf-8")


def test_raw_files_are_found_in_path_order_with_their_sidecars(tmp_path, monkeypatch):
    from builder.ingest.rawpaths import find_raw, raw_files

    monkeypatch.chdir(tmp_path)
    names = ["raw/a-c.txt", "raw/a/b.txt", "raw/a/B.html", "raw/Z.md", "raw/.hidden.txt", "raw/note.yml",
             "raw/x.TXT", "raw/x.yaml", "raw/y.txt", "raw/y.yml", "raw/y.yaml", "raw/data.csv"]
    for name in names:
        Path(name).parent.mkdir(parents=True, exist_ok=True)
        Path(name).write_text("text\n", encoding="utf-8")
    Path("raw/folder.txt").mkdir()  # a folder is not an article
    from builder.archive.rawfiles import is_raw_candidate, sidecar_path

    expected = sorted(p for p in Path("raw").rglob("*") if is_raw_candidate(p))
    assert list(raw_files([Path("raw")])) == expected
    found = list(find_raw([Path("raw"), Path("raw/y.txt"), Path("./raw/y.txt")], root=tmp_path))
    assert [item.path for item in found] == expected
    assert [item.rel for item in found] == [p.as_posix() for p in expected]
    assert [item.sidecar for item in found] == [str(s) if (s := sidecar_path(p)) else None for p in expected]
    assert list(raw_files([Path(".")])) == sorted(p for p in Path(".").rglob("*") if is_raw_candidate(p))


_OLD_RAW = r"^raw: (.+)$"
_OLD_SHA = r"^raw_sha256: ([0-9a-f]{64})$"
_OLD_SIDECAR = r"^sidecar_sha256: ([0-9a-f]{64})$"


@pytest.mark.parametrize("text", [
    "---\ntitle: T\nraw: raw/a.txt\nraw_sha256: " + "a" * 64 + "\nsidecar_sha256: " + "b" * 64 + "\n---\n\nBody\n",
    "---\r\ntitle: T\r\nraw: raw/a.txt\r\nraw_sha256: " + "a" * 64 + "\r\n---\r\nraw: raw/body.txt\r\n",
    "---\rraw: 'raw/it''s.txt'\rraw_sha256: " + "c" * 64 + "\r---\r",
    "---\nraw: \"raw/q.txt\"\nraw_sha256: XYZ\nraw_sha256: " + "d" * 64 + "\nraw_sha256: " + "e" * 64 + "\n---\n",
    "---\nraw:\nraw: \nraw:   raw/spaced.txt  \nsidecar_sha256: " + "f" * 63 + "\n---\n",
    "---\ntitle: no closing line\nraw: raw/open.txt\n",
    "---\nsummary: |\n  text\n  raw: raw/fake.txt\nraw: raw/real.txt\n---\n",
    "---\ntitle: é " + "x" * 70000 + "\nraw: raw/long.txt\n---\nbody ü\n",
    "no frontmatter at all\n",
    "",
])
def test_provenance_is_read_as_the_frontmatter_regexes_read_it(tmp_path, text):
    """read_entry reads only the head with str.find; it must agree with the regexes it replaced."""
    import re

    import yaml

    from builder.archive.files import read_entry

    path = tmp_path / "b.md"
    path.write_bytes(text.encode("utf-8"))
    head = path.read_text(encoding="utf-8").split("\n---", 1)[0]
    raw, sha, sidecar = (re.search(p, head, re.MULTILINE) for p in (_OLD_RAW, _OLD_SHA, _OLD_SIDECAR))
    raw_value = raw.group(1).strip() if raw else None
    if raw_value and raw_value[0] in "'\"":
        raw_value = yaml.safe_load(raw_value)
    entry = read_entry(path)
    assert (entry.raw, entry.raw_sha256, entry.sidecar_sha256) == (
        raw_value, sha.group(1) if sha else None, sidecar.group(1) if sidecar else None)


def test_unreadable_briefing_head_is_skipped(tmp_path):
    from builder.archive.files import read_entry

    (tmp_path / "bad.md").write_bytes(b"---\ntitle: \xff\n---\n")
    (tmp_path / "dir.md").mkdir()
    assert read_entry(tmp_path / "bad.md") is None
    assert read_entry(tmp_path / "dir.md") is None


def test_pooled_batch_with_html_equals_one_process(repo_copy):
    # Enough files for the fork pool, text dumps and HTML pages.
    from builder.ingest import batch as pipeline
    from builder.ingest.briefing import RunContext
    from builder.ingest.learning import PARALLEL_MIN_FILES
    from builder.ingest.rawpaths import raw_files, repo_relative

    samples = sorted(Path("raw").glob("*.txt"))
    for i in range(PARALLEL_MIN_FILES):
        sample = samples[i % len(samples)]
        text = sample.read_text(encoding="utf-8").replace("\n", f"\nCopy {i} of this page.\n", 1)
        if i % 2:
            Path(f"raw/copy-{i:02d}.html").write_text(f"<html><body><article><h1>Copy {i}</h1><p>{text}</p></article></body></html>", encoding="utf-8")
        else:
            Path(f"raw/copy-{i:02d}.txt").write_text(text, encoding="utf-8")
    from builder.archive.registry_load import load_registry
    from builder.archive.matching import ActorMatcher

    registry = load_registry(Path("registry"))
    ctx = RunContext(registry=registry, matcher=ActorMatcher(registry), root=Path.cwd())
    files = [(path, repo_relative(path, Path("."))) for path in raw_files([Path("raw")])]
    pooled = [result for _, _, result in pipeline.build_many(files, ctx, jobs=2)]
    single = [result for _, _, result in pipeline.build_many(files, ctx, jobs=1)]
    assert pooled == single and len(pooled) == len(files)
