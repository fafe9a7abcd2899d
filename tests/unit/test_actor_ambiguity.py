"""Real sentences that test the matcher's ambiguity rules: tests/cases/actors/ambiguity.yml,
a list of {sentence, url, link: [ids], not: [ids]}, against the repository's registry.

Each sentence is matched alone: every `link` id must be found, no `not` id may be.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from builder.archive.registry_load import load_registry
from builder.archive.matching import ActorMatcher

REPO = Path(__file__).resolve().parents[2]
CASES = REPO / "tests" / "cases" / "actors" / "ambiguity.yml"
FIELDS = {"sentence", "url", "link", "not", "case", "gap"}


def _cases() -> list:
    if not CASES.is_file():
        return []
    cases = yaml.safe_load(CASES.read_text(encoding="utf-8")) or []
    # A case with a `gap` is a known limit of the rules (the reason says which rule it needs):
    # expected to fail, and reported the day it passes (strict), so that the gap is closed.
    return [pytest.param(case, id=f"{index + 1}:{str(case.get('sentence', ''))[:40]}",
                         marks=[pytest.mark.xfail(reason=case["gap"], strict=True)] if case.get("gap") else [])
            for index, case in enumerate(cases)]


@pytest.fixture(scope="module")
def matcher() -> ActorMatcher:
    return ActorMatcher(load_registry(REPO / "registry"))


@pytest.mark.skipif(not CASES.is_file(), reason="no tests/cases/actors/ambiguity.yml")
def test_the_cases_file_is_well_formed():
    cases = yaml.safe_load(CASES.read_text(encoding="utf-8"))
    assert isinstance(cases, list) and cases
    registry = load_registry(REPO / "registry")
    for case in cases:
        assert set(case) <= FIELDS and "sentence" in case, case
        assert isinstance(case["sentence"], str) and case["sentence"].strip()
        ids = [*(case.get("link") or []), *(case.get("not") or [])]
        assert not set(case.get("link") or []) & set(case.get("not") or []), case["sentence"]
        # An id the registry lacks can never be found: in `link` it is a registry gap, not a rule.
        assert all(registry.get(i) is not None for i in case.get("link") or []), case["sentence"]
        assert all(isinstance(i, str) for i in ids)


@pytest.mark.parametrize("case", _cases())
def test_each_sentence_links_what_it_must_and_nothing_it_must_not(matcher: ActorMatcher, case: dict):
    found = set(matcher.actor_ids(case["sentence"]))
    missing = set(case.get("link") or []) - found
    wrong = set(case.get("not") or []) & found
    assert not missing and not wrong, f"missing {sorted(missing)}, wrongly linked {sorted(wrong)} in {case['sentence']!r}"
