"""`check`'s fast paths give what the plain ones give: workers, the file walk, the registry, duplicates."""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path, PurePosixPath

import pytest

import builder.archive.check
from builder.archive.files import briefing_files, briefing_paths
from builder.archive.check import _docs_files, _files_under, _stem, _suffix, check_archive
from builder.archive.check_registry import check_registry
from builder.archive.duplicates import fingerprints, near_duplicates
from builder.archive.refresh import folded_text

CASE = Path(__file__).resolve().parents[1] / "cases" / "check"


def run_check(root: Path):
    return check_archive(root, docs_dir=Path("docs"), registry_path=Path("registry"), raw_dir=Path("raw"))


def test_workers_report_what_one_process_reports(tmp_path, monkeypatch):
    root = tmp_path / "repo"
    shutil.copytree(CASE, root)
    serial = [str(p) for p in run_check(root)]
    monkeypatch.setattr(builder.archive.check, "PARALLEL_FROM", 1)
    monkeypatch.setattr(builder.archive.check.os, "cpu_count", lambda: 2)
    assert [str(p) for p in run_check(root)] == serial
    assert len(serial) > 10


def test_the_walk_finds_the_files_and_the_order_of_rglob(tmp_path, monkeypatch):
    docs = tmp_path / "docs"
    names = ["briefings/2021/a-b.md", "briefings/2021/a/b.md", "briefings/2021/index.md", "briefings/2021/Z.md",
             "briefings/undated/x.md", "briefings/2021/notes.txt", "briefings/.hidden.md", "actors/mali/index.md", "x.md"]
    for name in names:
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text("x")
    (docs / "briefings" / "2021" / "folder.md").mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "linked.md").write_text("x")
    os.symlink(elsewhere, docs / "briefings" / "linked")  # rglob does not follow links to folders
    files, briefings = _docs_files(docs)
    assert files == {p.relative_to(docs).as_posix() for p in docs.rglob("*") if p.is_file()}
    assert briefings == [p.relative_to(docs).as_posix() for p in briefing_files(docs)]
    # The string walk of serve's rebuilds: the same files, names and order, from a relative docs dir too.
    monkeypatch.chdir(tmp_path)
    for top in (docs, Path("docs")):
        assert list(briefing_paths(top)) == [(p.relative_to(top).as_posix(), str(p)) for p in briefing_files(top)]
    assert "briefings/2021/a/b.md" in dict(briefing_paths(docs)) and "briefings/2021/index.md" not in dict(briefing_paths(docs))
    assert _files_under(str(tmp_path / "missing")) == []


@pytest.mark.parametrize("rel", ["raw/a.txt", "raw/a.tar.gz", "raw/a.", "raw/.yml", "raw/sub/b.YML", "raw/noext"])
def test_suffix_and_stem_are_pathlibs(rel):
    path = PurePosixPath(rel)
    assert _suffix(rel) == path.suffix
    assert _stem(rel) == (path.parent / path.stem).as_posix()


def test_a_registry_load_registry_accepts_has_no_problems_and_a_broken_one_all_of_them(tmp_path):
    registry, problems = check_registry(CASE / "registry", "registry")
    assert len(problems) == 4 and registry.get("mali") is not None
    good = tmp_path / "actors.yml"
    good.write_text("regions: [Africa]\nactors:\n  - id: mali\n    name: Mali\n    type: state\n    description: A state.\n")
    registry, problems = check_registry(good, "actors.yml")
    assert problems == [] and [a.id for a in registry.actors] == ["mali"]


def _boilerplate_archive(count: int, seed: int) -> list[str]:
    """Texts built from a few shared sentences, as generated or syndicated news is: most 5-grams are common."""
    rnd = random.Random(seed)
    subjects = [f"Actor{i} Group" for i in range(40)]
    verbs = ["confirmed", "rejected", "denied", "postponed", "criticised"]
    objects = ["the electoral calendar", "a package of sanctions", "the mandate of the mission", "an amnesty for fighters"]
    places = ["during a closed session of parliament", "after weeks of fighting along the border", "in a statement on state television"]
    texts = []
    for _ in range(count):
        sentences = [f"{rnd.choice(subjects)} {rnd.choice(verbs)} {rnd.choice(objects)} {rnd.choice(places)}, "
                     f"according to observers. At least {rnd.randrange(1000)} people were reported killed."
                     for _ in range(60)]
        texts.append(" ".join(sentences))
    return texts


def test_a_near_copy_is_found_late_in_an_archive_of_boilerplate():
    # Most fingerprints are shared by more than 20 texts; a copy far from its original still has rare ones.
    texts = _boilerplate_archive(300, seed=1)
    words = texts[3].split(" ")
    words[40] = "replaced"
    words[400] = "changed"
    texts.append(" ".join(words))
    pairs = near_duplicates(texts)
    assert [(i, j) for i, j, _ in pairs] == [(3, 300)]
    assert pairs[0][2] >= 0.9


def test_fingerprints_depend_on_the_words_only():
    text = "The mission's mandate, the “electoral calendar” — and the sanctions package the council debated. " * 5
    assert fingerprints(folded_text(text)) == fingerprints(folded_text(text.upper().replace(",", " ;")))
    assert fingerprints(folded_text(text)) != fingerprints(folded_text(text.replace("mandate", "budget")))


@pytest.mark.parametrize("url", [
    "https://www.Example.org/a/b/", "HTTP://example.org", "http://www.", "http://www./a", "https://EXAMPLE.org//",
    "https://example.org/a?utm_source=x", "https://example.org/a#top", "https://user@example.org:8080/a/",
    "https://[::1]/a", "https://example.org/a b", "https://example.org/a%20b/", "ftp://example.org/a", "  https://x.org/  ",
    "https://bücher.example/Straße/",
])
def test_normalised_url_fast_path_agrees_with_urlsplit(url):
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    from builder.archive.check import _TRACKING_PARAMS, normalised_url

    parts = urlsplit(url.strip())
    host = (parts.hostname or "").removeprefix("www.")
    query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING_PARAMS.match(k)))
    assert normalised_url(url) == urlunsplit(("http", host, parts.path.rstrip("/"), query, ""))


def test_the_prefilters_word_exit_never_changes_its_answer():
    from builder.archive.registry_load import load_registry
    from builder.archive.refresh import ActorPrefilter, folded_words, matched_text

    registry = load_registry(CASE.parent.parent.parent / "registry")
    prefilter = ActorPrefilter(registry)
    rnd = random.Random(2)
    ids = [a.id for a in registry.actors]
    texts = [p.read_text(encoding="utf-8") for p in sorted((CASE / "docs").rglob("*.md"))]
    texts += [f"{a.name} and {b.name} met {c.aliases[0] if c.aliases else c.name}."
              for a, b, c in (rnd.sample(registry.actors, 3) for _ in range(200))]
    for text in texts:
        text = matched_text("", text)
        words = folded_words(text)
        folded = b" ".join(words).decode("utf-8")
        for listed in (frozenset(), frozenset(rnd.sample(ids, 3)), frozenset(ids)):
            assert prefilter.possible_in(folded, text, listed, set(words)) == prefilter.possible_in(folded, text, listed)
