"""The synthetic archive generator: deterministic, realistic sizes, a valid registry."""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

import pytest

from builder.archive.registry_load import load_registry
from builder.archive.matching import ActorMatcher
from builder.ingest.readers import read_raw

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from generate import WORDS_PER_ARTICLE, generate  # noqa: E402


def tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    root = tmp_path_factory.mktemp("generated")
    return root, generate(root, 120, seed=7)


def test_same_seed_gives_a_byte_identical_tree(archive, tmp_path):
    root, _ = archive
    generate(tmp_path / "again", 120, seed=7)
    assert tree(tmp_path / "again") == tree(root)


def test_another_seed_gives_another_archive(archive, tmp_path):
    root, _ = archive
    generate(tmp_path / "other", 120, seed=8)
    assert tree(tmp_path / "other") != tree(root)


def test_sizes(archive):
    root, made = archive
    raw = root / "raw"
    articles = sorted(p for p in raw.iterdir() if p.suffix in (".txt", ".html"))
    assert len(articles) == made.articles == 120
    html = [p for p in articles if p.suffix == ".html"]
    assert made.html == len(html) and 0 < len(html) < 40  # about a tenth
    sidecars = list(raw.glob("*.yml"))
    assert 0.7 * len(articles) < len(sidecars) < len(articles)  # most, not all
    for path in articles[:20]:
        words = len(path.read_text(encoding="utf-8").split())
        assert WORDS_PER_ARTICLE <= words < 1.6 * WORDS_PER_ARTICLE + 200
    assert (root / "docs").is_dir() and not any((root / "docs").iterdir())


def test_text_dumps_carry_boilerplate_and_several_sources(archive):
    root, _ = archive
    dumps = sorted((root / "raw").glob("*.txt"))
    sources = {re.sub(r"-\d{5}-.*$", "", p.stem) for p in dumps}
    assert len(sources) >= 4
    text = dumps[0].read_text(encoding="utf-8")
    assert "Keep reading" in text and re.search(r"(?i)newsletter|subscribe", text)


def test_registry_is_valid_and_the_articles_name_its_actors(archive):
    root, made = archive
    registry = load_registry(root / "registry")
    assert len(registry) == made.actors == 12  # N/10, at least 12
    assert {a.type for a in registry.actors} >= {"state", "armed-group", "person", "organisation"}
    assert any(a.ambiguous for a in registry.actors) and any(a.aliases for a in registry.actors)
    matcher = ActorMatcher(registry)
    for path in sorted((root / "raw").glob("*.txt"))[:20]:
        assert len(matcher.actor_ids(read_raw(path).text)) >= 2


def test_registry_scales_to_a_tenth_of_the_archive(tmp_path):
    made = generate(tmp_path, 400, seed=1)
    registry = load_registry(tmp_path / "registry")
    assert len(registry) == made.actors == 40
    assert len({a.id for a in registry.actors}) == 40


def test_states_are_real_ones_with_iso_codes_the_map_draws(archive):
    """The generated site's map links its states: real names, ISO 3166-1 alpha-3 codes that the
    vendored world map has, in their own region."""
    from builder.site.worldmap import load_world
    from generate import REAL_STATES

    root, _ = archive
    states = [a for a in load_registry(root / "registry").actors if a.type == "state"]
    assert states and all(a.iso_alpha3 for a in states)
    world = load_world()
    for actor in states:
        assert actor.iso_alpha3 in world.states
        assert (actor.name, actor.iso_alpha3) in {(name, code) for name, code, _ in REAL_STATES[actor.region]}
