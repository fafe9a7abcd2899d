"""Regression cases: real saved pages with phrases that must and must not be in the body.

tests/cases/extraction/<name>.{txt,html,gold.txt} are pages from the development half
of the scrapinghub article-extraction benchmark; cases.json lists, per page, phrases
read off the page. The quality gate scores all cases with the benchmark's own scorer
(score.py, copied alongside) so a change cannot lower the figures silently.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from builder.ingest.clean import clean_html, clean_text_dump
from builder.ingest.evaluate import run_eval

CASES_DIR = Path(__file__).resolve().parents[1] / "cases" / "extraction"
SPEC = json.loads((CASES_DIR / "cases.json").read_text(encoding="utf-8"))
KINDS = {"txt": clean_text_dump, "html": clean_html}


def body(name: str, kind: str) -> str:
    text = unicodedata.normalize("NFC", (CASES_DIR / f"{name}.{kind}").read_text(encoding="utf-8", errors="replace"))
    return KINDS[kind](text).body_text()


def case_params() -> list:
    params = []
    for name in sorted(SPEC["cases"]):
        known = SPEC["cases"][name].get("known_failures", {})
        for kind in sorted(KINDS):
            marks = [pytest.mark.xfail(reason=known[kind], strict=True)] if kind in known else []
            params.append(pytest.param(name, kind, marks=marks, id=f"{name}-{kind}"))
    return params


@pytest.mark.parametrize(("name", "kind"), case_params())
def test_must_and_must_not(name: str, kind: str) -> None:
    text = body(name, kind)
    case = SPEC["cases"][name]
    missing = [p for p in case["must"] if p not in text]
    leaked = [p for p in case["must_not"] if p in text]
    assert not missing, f"{name}.{kind}: body lacks {missing}"
    assert not leaked, f"{name}.{kind}: body keeps {leaked}"


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_quality_gate(kind: str) -> None:
    (result,) = run_eval(CASES_DIR, kinds=(kind,)).results
    assert result.pages == len(SPEC["cases"])
    assert result.f1 >= SPEC["floors"][kind], result.scorer_output
