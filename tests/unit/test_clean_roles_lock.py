"""The roles of every block of the real case pages, locked.

Speed work on the cleaners must not change a single role, title or text. The expected
roles sit in tests/cases/extraction/roles.json, one letter per block (see ROLE_LETTERS).
A change that is meant to change roles regenerates the file on purpose:

    .venv/bin/python tests/unit/test_clean_roles_lock.py
"""

from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path

import pytest

from builder.ingest.clean import clean_html, clean_text_dump
from builder.archive.model import CleanedArticle, Role

CASES_DIR = Path(__file__).resolve().parents[1] / "cases" / "extraction"
LOCK = CASES_DIR / "roles.json"
KINDS = {"txt": clean_text_dump, "html": clean_html}
ROLE_LETTERS = {
    Role.TITLE: "T", Role.HEADING: "H", Role.PARAGRAPH: "P", Role.QUOTE: "Q", Role.LIST_ITEM: "L",
    Role.META: "M", Role.CAPTION: "C", Role.FOOTNOTE: "F", Role.BOILERPLATE: "-",
}


def clean_case(name: str, kind: str) -> CleanedArticle:
    text = (CASES_DIR / f"{name}.{kind}").read_text(encoding="utf-8", errors="replace")
    return KINDS[kind](unicodedata.normalize("NFC", text))


def signature(article: CleanedArticle) -> dict:
    return {
        "title": article.title,
        "roles": "".join(ROLE_LETTERS[b.role] for b in article.blocks),
        "body_chars": len(article.body_text()),
    }


def case_names() -> list[str]:
    return sorted(p.name[: -len(".gold.txt")] for p in CASES_DIR.glob("*.gold.txt"))


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("name", case_names())
def test_roles_unchanged(name: str, kind: str) -> None:
    expected = json.loads(LOCK.read_text(encoding="utf-8"))[f"{name}.{kind}"]
    assert signature(clean_case(name, kind)) == expected


if __name__ == "__main__":
    locked = {f"{name}.{kind}": signature(clean_case(name, kind)) for name in case_names() for kind in sorted(KINDS)}
    LOCK.write_text(json.dumps(locked, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {LOCK} ({len(locked)} pages)", file=sys.stderr)
