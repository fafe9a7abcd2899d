"""`actors refresh`: stale `actors` lists updated, bodies and hand edits left alone."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from builder.archive.registry_load import load_registry
from builder.archive.matching import ActorMatcher
from builder.archive.check import check_archive
from builder.cli import main
from builder.archive.model import Briefing, BriefingMeta
from builder.archive.refresh import ActorPrefilter, fold_words, matched_text, refresh_actors
from builder.archive.schema import briefing_text
from builder.archive.schema import is_hand_edited, parse_briefing

REPO = Path(__file__).resolve().parents[2]

REGISTRY = """regions: [Africa, Europe]
actors:
  - id: mali
    name: Mali
    type: state
    description: West African state.
    region: Africa
  - id: france
    name: France
    type: state
    description: Western European state.
    region: Europe
"""
BURKINA = """  - id: burkina-faso
    name: Burkina Faso
    type: state
    aliases: [Burkina]
    description: West African state.
    region: Africa
"""
BODY = "Mali and Burkina Faso signed a pact; France was not consulted.[^1]\n\n[^1]: Burkina officials said so.\n"


@pytest.fixture()
def repo(tmp_path, monkeypatch):
    (tmp_path / "actors.yml").write_text(REGISTRY)
    (tmp_path / "raw").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write_generated(repo: Path, name: str, actors: tuple[str, ...], body: str = BODY, raw: str | None = None) -> Path:
    meta = BriefingMeta(title=f"Pact {name}", date="2024-01-02", region="Africa", actors=actors, raw=raw)
    path = repo / "docs" / "briefings" / "2024" / f"2024-01-02-pact-{name}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(briefing_text(Briefing(meta=meta, body=body, path="")), encoding="utf-8")
    return path


def gain_burkina(repo: Path):
    (repo / "actors.yml").write_text(REGISTRY + BURKINA)
    return load_registry(repo / "actors.yml")


def body_of(path: Path) -> str:
    return path.read_text(encoding="utf-8").split("\n---\n", 1)[1]


def parsed(path: Path):
    briefing, problems = parse_briefing(str(path), path.read_text(encoding="utf-8"))
    assert problems == []
    return briefing


def test_generated_briefing_gains_the_new_actor_and_is_restamped(repo):
    path = write_generated(repo, "a", ("mali", "france"))
    body = body_of(path)
    changed = refresh_actors(repo / "docs", gain_burkina(repo), root=repo)
    assert changed == [path.as_posix()]
    briefing = parsed(path)
    assert briefing.meta.actors == ("mali", "france", "burkina-faso")
    assert not is_hand_edited(briefing)  # still the builder's own output: ingest may rebuild it
    assert body_of(path) == body


def test_hand_edited_briefing_keeps_its_edits_and_stays_hand_edited(repo):
    path = write_generated(repo, "b", ("mali", "france"))
    text = path.read_text(encoding="utf-8")
    edited_body = "\n\n\nMali and   Burkina Faso *signed* a pact, an editor wrote.  \n\n\n"
    path.write_text(text.split("\n---\n", 1)[0] + "\n---\n" + edited_body, encoding="utf-8")
    before = parsed(path)
    assert is_hand_edited(before)
    refresh_actors(repo / "docs", gain_burkina(repo), root=repo)
    after = parsed(path)
    assert after.meta.actors == ("mali", "france", "burkina-faso")
    assert after.meta.generated_sha256 == before.meta.generated_sha256  # not re-stamped
    assert is_hand_edited(after)
    assert path.read_text(encoding="utf-8").split("\n---\n", 1)[1] == edited_body  # byte for byte


def test_sidecar_exclusions_and_hand_picked_draft_actors_are_honoured(repo):
    (repo / "raw" / "a.txt").write_text("Mali and Burkina Faso\n")
    (repo / "raw" / "a.yml").write_text("exclude_actors: [burkina-faso]\n")
    (repo / "raw" / "b.md").write_text("---\ntitle: Pact draft\nactors: [mali]\n---\n\nMali and Burkina Faso.\n")
    excluded = write_generated(repo, "excluded", ("mali", "france"), raw="raw/a.txt")
    drafted = write_generated(repo, "drafted", ("mali",), raw="raw/b.md")
    before = {p: p.read_bytes() for p in (excluded, drafted)}
    assert refresh_actors(repo / "docs", gain_burkina(repo), root=repo) == []
    assert {p: p.read_bytes() for p in before} == before


def test_ids_gone_from_the_registry_are_dropped_and_up_to_date_files_untouched(repo):
    gone = write_generated(repo, "gone", ("mali", "atlantis", "france"))
    current = write_generated(repo, "current", ("mali", "france"), body="Mali and France only.\n")
    os.utime(current, (1, 1))
    registry = load_registry(repo / "actors.yml")
    assert refresh_actors(repo / "docs", registry, root=repo) == [gone.as_posix()]
    assert parsed(gone).meta.actors == ("mali", "france")
    assert current.stat().st_mtime == 1


def test_check_reports_stale_until_refreshed(repo):
    path = write_generated(repo, "c", ("mali", "france"))
    gain_burkina(repo)

    def stale():
        problems = check_archive(repo, docs_dir=Path("docs"), registry_path=Path("actors.yml"), raw_dir=Path("raw"))
        return [(p.path, p.field) for p in problems]

    rel = path.relative_to(repo).as_posix()
    assert stale() == [(rel, "actors")]
    assert main(["actors", "refresh", "--dry-run", "--registry", "actors.yml"]) == 0
    assert stale() == [(rel, "actors")]  # a dry run writes nothing
    assert main(["actors", "refresh", "--registry", "actors.yml"]) == 0
    assert stale() == []


TRICKY = [
    "The U.S. and the UN met in Bamako; Goïta spoke.",
    "Richard Wagner's operas and Wagner mercenaries in Mali; the Wagner Group.",
    "al-Qa'ida in the Islamic Maghreb and Islamic State Sahel Province, un jour.",
    "Sahelian states and the Niger River; Niger and Nigeria; French troops, France.",
]


@pytest.mark.parametrize("text", TRICKY + [p.read_text(encoding="utf-8") for p in sorted((REPO / "raw").glob("*.txt"))])
def test_prefilter_never_misses_what_the_matcher_finds(text):
    registry = load_registry(REPO / "registry")
    text = matched_text("A title", text)
    found = set(ActorMatcher(registry).actor_ids(text))
    assert found <= ActorPrefilter(registry).possible(fold_words(text), text)


def test_matched_text_reads_through_markdown_escapes_and_footnotes():
    text = matched_text("T", "Al\\-Qaida \\[sic\\] &amp; co.[^2]\n\n[^2]: See Mali\\_Web.\n")
    assert "[^" not in text and "\\" not in text and "&amp;" not in text
    assert "Al-Qaida [sic] & co." in text and "See Mali_Web." in text


def test_fold_words_splits_text_exactly_as_the_matcher_normalises_it():
    import random

    from builder.archive.textfold import normalise

    rnd = random.Random(4)
    alphabet = [chr(c) for c in [*range(32, 127), *range(0xA0, 0x250), 0x2019, 0x201C, 0x201D, 0x2014, 0x2026, 0xAB,
                                 0x301, 0x308, 0x651, 0x3000, 0x2009, 0xFB01, 0x2160, 0xBD, 0x410, 0x627, 0x4E2D]]
    texts = ["Goïta’s ﬁne «Wagner» al-Qa'ida, U.S.-led ½ e\u0301te\u0301"]
    texts += ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 60))) for _ in range(2000)]
    for text in texts:
        assert fold_words(text) == normalise(text)[0].split(), repr(text)


def test_folded_text_handles_characters_whose_folding_is_not_ascii_or_not_lower_case():
    # Folded one distinct character at a time with byte replacements; these are upper-case after
    # NFKD (ℌ), fold into several letters (ß, ǅ, ﬁ) or a letter plus a mark (İ), or stay non-ASCII.
    from builder.archive.textfold import normalise
    from builder.archive.refresh import folded_text

    for text in ["ℌello World", "Straße ǅemal ﬁne", "İstanbul’s “quotes” — dashes…", "Ἀθῆναι ΣΟΦΟΣ σοφός",
                 "한국 Ελλάδα and Mali", "ÉCOLE   \t\r\n  École", "a\u0301b\u0327c ½ Ⅻ", ""]:
        assert folded_text(text) == " ".join(normalise(text)[0].split()) == " ".join(fold_words(text)), repr(text)
