"""The registry as a folder (registry/): one registry for the loader, `check`, the site's cache
and the command line; and `check`'s warning about aliases that are common English words."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from builder.archive.actors import RegistryError
from builder.archive.registry_load import load_registry
from builder.archive.check_registry import COMMON_WORD_ZIPF, check_registry

REPO = Path(__file__).resolve().parents[2]


def folder(root: Path, **files: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "regions.yml").write_text("regions: [Africa, Europe]\n", encoding="utf-8")
    for name, text in files.items():
        (root / f"{name.replace('_', '-')}.yml").write_text(textwrap.dedent(text), encoding="utf-8")
    return root


STATES = """\
actors:
  - id: mali
    name: Mali
    type: state
    aliases: [Republic of Mali]
    description: A state.
    region: Africa
  - id: turkey
    name: Türkiye
    type: state
    aliases: [Turkey]
    description: A state.
    region: Europe
"""


def test_the_repository_registry_is_the_folder_and_loads() -> None:
    from builder.cli import DEFAULT_REGISTRY, build_parser

    assert DEFAULT_REGISTRY == Path("registry") and not (REPO / "actors.yml").exists()
    assert build_parser().parse_args(["check"]).registry == Path("registry")
    registry = load_registry(REPO / "registry")
    assert len(registry) >= 100 and registry.get("mali").type == "state"
    assert "registry: registry" in (REPO / "mkdocs.yml").read_text(encoding="utf-8")


def test_check_reports_every_problem_of_every_file_with_both_places(tmp_path: Path) -> None:
    # Files are read in name order: people.yml before states.yml.
    root = folder(
        tmp_path / "registry",
        states=STATES,
        people="""\
        actors:
          - id: turkey
            name: Turkey Again
            type: person
            description: Takes the id first.
          - id: assimi-goita
            name: Assimi Goïta
            type: person
            aliases: [Republic of Mali]
            country: atlantis
            description: Takes a name of Mali first.
        """,
    )
    registry, problems = check_registry(root, "registry")
    assert sorted(str(p) for p in problems) == [
        "registry/people.yml:10: country: actor 'assimi-goita': 'atlantis' is not the id of a state",
        "registry/states.yml:5: aliases: 'Republic of Mali' of 'mali' is already a name of 'assimi-goita' (people.yml:9); "
        "an alias may belong to one actor only",
        "registry/states.yml:8: id: duplicate id 'turkey' (first defined on people.yml:2)",
    ]
    # Briefings are still checked against what could be read.
    assert registry.get("assimi-goita") is not None and registry.get("mali").type == "state"


def test_a_broken_file_is_one_problem_and_the_other_files_are_still_read(tmp_path: Path) -> None:
    root = folder(tmp_path / "registry", states=STATES, people="actors: [\n")
    registry, problems = check_registry(root, "registry")
    assert [(p.path, p.line, p.field) for p in problems] == [("registry/people.yml", 2, "yaml")]
    assert registry.get("mali") is not None


def test_common_english_words_among_aliases_are_problems_for_check_only(tmp_path: Path) -> None:
    root = folder(
        tmp_path / "registry",
        states=STATES,
        groups="""\
        actors:
          - id: front-group
            name: Popular Front of Something
            type: armed-group
            aliases: [Front, Mission, ARMY, Popular Front, Putin, Britain]
            description: Aliases of every kind.
          - id: guarded
            name: Guarded Council
            type: organisation
            aliases: [Council]
            ambiguous: [Council]
            context: [guarded]
            description: An ambiguous common word.
        """,
    )
    load_registry(root)  # a build does not mind
    registry, problems = check_registry(root, "registry")
    assert [(p.path, p.line, p.field, p.message.split(" is ")[0]) for p in problems] == [
        ("registry/groups.yml", 5, "aliases", "'Front' of 'front-group'"),
        ("registry/groups.yml", 5, "aliases", "'Mission' of 'front-group'"),
    ]
    assert f">= {COMMON_WORD_ZIPF}" in problems[0].message and "ambiguous" in problems[0].message
    # Turkey (a proper noun too), ARMY (an acronym), multi-word names, ambiguous words: no problem.


def test_the_sites_cache_sees_a_change_to_any_file_of_the_folder(tmp_path: Path) -> None:
    from builder.site.incremental import SiteCache

    root = folder(tmp_path / "registry", states=STATES)
    cache = SiteCache()
    registry, _ = cache.load_registry(root)
    digest = cache.registry_digest
    assert cache.load_registry(root)[0] is registry  # unchanged: the same objects
    people = root / "people.yml"
    people.write_text("actors:\n  - id: x\n    name: X\n    type: person\n    description: d.\n", encoding="utf-8")
    registry2, _ = cache.load_registry(root)
    assert registry2 is not registry and registry2.get("x") is not None and cache.registry_digest != digest
    people.write_text("actors:\n  - id: y\n    name: Y\n    type: person\n    description: d.\n", encoding="utf-8")
    os.utime(people, ns=(1, 1))  # an edit whose size and mtime differ from the last
    assert cache.load_registry(root)[0].get("y") is not None


def test_a_yaml_bomb_in_a_registry_file_is_refused_before_it_is_built(tmp_path: Path) -> None:
    """A registry file comes in a pull request like a raw article: no anchors, no aliases."""
    bomb = "actors:\n  - id: lol\n    name: Lol\n    type: place\n    description: x\n    aliases: &a [a, b]\n" + "".join(
        f"  - id: lol{i}\n    name: Lol {i}\n    type: place\n    description: x\n    context: *a\n" for i in range(3))
    root = folder(tmp_path / "registry", states=STATES, places=bomb)
    with pytest.raises(RegistryError) as raised:
        load_registry(root)
    assert str(raised.value) == (f"{root / 'places.yml'}:6: yaml: YAML anchors and aliases (&name, *name) are not allowed; "
                                 "write the values out")
    registry, problems = check_registry(root, "registry")
    assert [(p.path, p.line, p.field) for p in problems] == [("registry/places.yml", 6, "yaml")]
    assert registry.get("mali") is not None  # the other files are still read
