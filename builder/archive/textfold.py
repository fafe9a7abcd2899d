"""The registry's text folding: one normalised form for names and for article text.

`normalise` casefolds, strips diacritics (Goïta = Goita) and turns every run of characters
that are not letters or digits into one space, with a map back to the original offsets;
`name_key` is the key a name is matched by. The registry's loader, the matcher, refresh and
suggest all fold through here, so a name and a text agree on what "the same" is.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from itertools import accumulate


def _fold_char(char: str) -> str:
    """Casefolded, diacritic-free form of one character; " " for a separator."""
    if char.isalnum():
        decomposed = unicodedata.normalize("NFKD", char)
        folded = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
        # NFKD can turn a letter into letters + punctuation (e.g. "½"); keep it word-like.
        return "".join(c if c.isalnum() else " " for c in folded)
    if unicodedata.combining(char):
        return ""
    return " "


class _FoldCache(dict):
    def __missing__(self, char: str) -> str:
        folded = self[char] = _fold_char(char)
        return folded


_FOLD = _FoldCache()  # every non-ASCII character is folded once per process
# ASCII punctuation and whitespace -> " " (non-ASCII characters are folded before).
_ASCII_SEPARATORS = {code: " " for code in range(128) if not chr(code).isalnum()}
_SPACE_RUN = re.compile(r"  +")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


class OffsetMap(Sequence[int]):
    """Maps offsets in a normalised string back to the original string.

    ``offsets[i]`` is the original offset of normalised character ``i``;
    ``offsets[len(normalised)]`` is ``len(original)``. Stored as runs where
    both strings advance together, so it costs one entry per collapsed gap,
    not one per character.
    """

    def __init__(self, normalised_starts: list[int], original_starts: list[int], length: int, original_length: int):
        self._normalised_starts = normalised_starts
        self._original_starts = original_starts
        self._length = length
        self._original_length = original_length

    def __len__(self) -> int:
        return self._length + 1

    def __getitem__(self, index: int) -> int:  # type: ignore[override]
        if index < 0:
            index += self._length + 1
        if not 0 <= index <= self._length:
            raise IndexError(index)
        return self.original(index)

    def original(self, index: int) -> int:
        """`self[index]` without the bounds check, for the matcher's inner loop."""
        if index == self._length:
            return self._original_length
        run = bisect_right(self._normalised_starts, index) - 1
        return self._original_starts[run] + index - self._normalised_starts[run]


def normalise(text: str) -> tuple[str, OffsetMap]:
    """Normalise `text` for matching; return it with a map back to `text`.

    Casefolds, strips diacritics and turns every run of characters that are not
    letters or digits into one space. ``offset_map[i]`` is the offset in `text`
    of the character that normalised character ``i`` came from.
    """
    # A regex scan finds the few non-ASCII characters; set(text) would make a str per character.
    specials = [] if text.isascii() else sorted(set(_NON_ASCII.findall(text)))
    folded = text
    one_to_one = all(len(_FOLD[c]) == 1 for c in specials)
    if one_to_one:
        for char in specials:
            folded = folded.replace(char, _FOLD[char])
        folded = folded.lower()
        one_to_one = len(folded) == len(text)
    origin: list[int] | None = None
    if one_to_one:
        # Every character folded to exactly one: only collapsed runs shift offsets.
        folded = folded.translate(_ASCII_SEPARATORS)
    else:
        pieces = [_FOLD[c] if c in specials else (c.lower() if c.isalnum() else " ") for c in text]
        folded = "".join(pieces)
        origin = [i for i, piece in enumerate(pieces) for _ in piece]

    # One segment per collapsed run of spaces (the run's first space is kept): segment k starts
    # where run k-1 ends, shifted left by the spaces removed so far. Built in list
    # comprehensions: a text has hundreds of runs (every ". " and ", ").
    runs = [match.span() for match in _SPACE_RUN.finditer(folded)]
    original_starts = [0, *(end for _, end in runs)]
    removed = accumulate(end - start - 1 for start, end in runs)
    normalised_starts = [0, *(end - gone for (_, end), gone in zip(runs, removed))]
    normalised = _SPACE_RUN.sub(" ", folded) if runs else folded
    length = len(normalised)
    if origin is not None:
        # Characters did not fold one to one: record a run per original character.
        normalised_starts, original_starts = _runs(
            [origin[p + i - n] for n, p, size in _spans(normalised_starts, original_starts, length) for i in range(n, n + size)]
        )
    return normalised, OffsetMap(normalised_starts, original_starts, length, len(text))


def _spans(normalised_starts: list[int], folded_starts: list[int], length: int) -> Iterable[tuple[int, int, int]]:
    ends = normalised_starts[1:] + [length]
    return ((n, p, end - n) for n, p, end in zip(normalised_starts, folded_starts, ends))


def _runs(origin: list[int]) -> tuple[list[int], list[int]]:
    normalised_starts, original_starts = [], []
    for index, original in enumerate(origin):
        if not original_starts or original != original_starts[-1] + index - normalised_starts[-1]:
            normalised_starts.append(index)
            original_starts.append(original)
    return normalised_starts or [0], original_starts or [0]


_ASCII_WORDS = re.compile(r"[a-z0-9]+")


@functools.lru_cache(maxsize=None)
def name_key(alias: str) -> str:
    """`normalise(alias)` without its offset map, stripped: the automaton's key of a name.
    Cached (a registry asks for each of its ~20,000 names several times); an ASCII name, most
    of them, is its lower-case words joined by one space, which is what `normalise` gives."""
    if alias.isascii():
        return " ".join(_ASCII_WORDS.findall(alias.lower()))
    return normalise(alias)[0].strip()


def is_acronym(alias: str) -> bool:
    letters = [c for c in alias if c.isalpha()]
    return len(letters) >= 2 and not any(c.islower() for c in letters)
