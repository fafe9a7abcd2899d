"""Footnotes: markers like `[i]`, `[ii]`, `[1]` or `¹` in the text, and their notes at the end,
become Markdown footnotes (`[^1]` ... `[^1]: ...`), which the site renders as links both ways.

Markers are renumbered 1, 2, 3 in the order of the notes, whatever the source used (roman
numerals, digits, superscripts). A marker without a note is left as it was: we never invent
a note, and a bracketed roman numeral can also be ordinary text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUPERSCRIPT_TO_DIGIT = {ord(c): str(i) for i, c in enumerate(_SUPERSCRIPTS)}
_ROMAN = r"(?:x{0,3})(?:ix|iv|v?i{0,3})"
_ANY_SUPERSCRIPT = re.compile(f"[{_SUPERSCRIPTS}]")

# "[iv]", "[12]", "(iii)" are not used (too common in prose); "¹²" after a word or punctuation.
MARKER = re.compile(rf"\[(?P<label>(?=[ivx])(?:{_ROMAN})|\d{{1,3}})\]|(?<=[\w.,;:!?”\"’')])(?P<sup>[{_SUPERSCRIPTS}]{{1,3}})")
# A note at the end: "[i] For instance...", "[1] See...", "1. See ...", "¹ See ...".
NOTE = re.compile(rf"^\s*(?:\[(?P<label>(?=[ivx])(?:{_ROMAN})|\d{{1,3}})\]|(?P<num>\d{{1,3}})[.)]|(?P<sup>[{_SUPERSCRIPTS}]{{1,3}}))\s+(?P<text>\S.*)$", re.IGNORECASE)


@dataclass(frozen=True)
class Note:
    label: str  # as written in the source, normalised ("iv", "12")
    text: str


def _normalise_label(label: str) -> str:
    return label.translate(_SUPERSCRIPT_TO_DIGIT).lower()


def parse_note(text: str) -> Note | None:
    """A footnote line's label and text, or None if the line is not a note."""
    match = NOTE.match(text)
    if not match:
        return None
    label = match.group("label") or match.group("num") or match.group("sup")
    return Note(label=_normalise_label(label), text=match.group("text").strip())


def link_markers(paragraphs: list[str], notes: list[Note]) -> tuple[list[str], list[tuple[int, str]]]:
    """Replace markers that have a note with `[^n]`; return new paragraphs and (n, note text) pairs.

    Numbering follows the notes' order; a note whose marker never appears is still kept, as the
    source wrote it, so nothing is lost.
    """
    number_by_label: dict[str, int] = {}
    definitions: list[tuple[int, str]] = []
    for note in notes:
        if note.label in number_by_label:
            continue  # a repeated label: keep the first note for it
        number_by_label[note.label] = len(number_by_label) + 1
        definitions.append((number_by_label[note.label], note.text))

    def replace(match: re.Match) -> str:
        label = _normalise_label(match.group("label") or match.group("sup"))
        number = number_by_label.get(label)
        return f"[^{number}]" if number is not None else match.group(0)

    if not number_by_label:
        return list(paragraphs), definitions  # no notes: no marker is replaced (most articles)
    # A marker is "[...]" or a superscript digit: paragraphs without either are left as they are.
    return [MARKER.sub(replace, p) if "[" in p or _ANY_SUPERSCRIPT.search(p) else p for p in paragraphs], definitions
