"""Lines that recur across a source's articles: its menus, widgets and footers.

`BoilerplateModel.learn` reads (source_key, text) pairs once and counts, per source,
in how many documents each normalised line occurs. Counting 8-byte hashes keeps the
memory small for ten thousand documents; the text of a line is kept only once it
has recurred. Long prose is held to a stricter standard, so a sentence quoted in two
articles is not mistaken for furniture.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from typing import Iterable

_SPACE_RE = re.compile(r"\s+")
_DIGIT_RE = re.compile(r"\d+")
_EDGE_RE = re.compile(r"^[\W_]+|[\W_]+$")
_WORD_RE = re.compile(r"\w+")

SHORT_LINE_WORDS = 12  # up to this, recurring in min_docs documents is enough
MAX_LINE_WORDS = 80  # longer lines are never learned as boilerplate
LONG_LINE_MIN_SHARE = 0.2  # a longer line must recur in this share of the source's documents


def normalise_line(line: str) -> str:
    """Case-, space-, digit- and edge-punctuation-insensitive form of a line."""
    text = unicodedata.normalize("NFKC", line).casefold()
    text = _DIGIT_RE.sub("0", text)
    # Edge punctuation by hand: the regex `[\W_]+$` retries at every position of a long line
    # (most of the time `learn` spent). A character is `[\W_]` exactly when not isalnum().
    start, end = 0, len(text)
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    return " ".join(text[start:end].split())


def _digest(source_key: str, line: str) -> bytes:
    return hashlib.blake2b(f"{source_key}\x00{line}".encode("utf-8"), digest_size=8).digest()


class BoilerplateModel:
    """Per-source sets of normalised lines known to be page furniture."""

    def __init__(self, lines_by_source: dict[str, frozenset[str]] | None = None) -> None:
        self._lines_by_source = dict(lines_by_source or {})

    @classmethod
    def learn(cls, docs: Iterable[tuple[str, str]], *, min_docs: int = 2) -> "BoilerplateModel":
        doc_counts: dict[bytes, int] = defaultdict(int)
        docs_per_source: dict[str, int] = defaultdict(int)
        candidates: dict[str, dict[str, bytes]] = defaultdict(dict)  # source -> line -> digest
        for source_key, text in docs:
            docs_per_source[source_key] += 1
            seen: set[bytes] = set()
            for raw in text.split("\n"):
                line = normalise_line(raw)
                if not line:
                    continue
                words = len(_WORD_RE.findall(line))
                if words > MAX_LINE_WORDS:
                    continue
                digest = _digest(source_key, line)
                if digest in seen:
                    continue
                seen.add(digest)
                doc_counts[digest] += 1
                if doc_counts[digest] == 2:
                    candidates[source_key][line] = digest
        lines_by_source = {}
        for source_key in sorted(candidates):
            n_docs = docs_per_source[source_key]
            kept = set()
            for line, digest in candidates[source_key].items():
                count = doc_counts[digest]
                if count < max(min_docs, 2):
                    continue
                if len(_WORD_RE.findall(line)) > SHORT_LINE_WORDS:
                    if count < max(min_docs + 1, 3) or count < LONG_LINE_MIN_SHARE * n_docs:
                        continue
                kept.add(line)
            if kept:
                lines_by_source[source_key] = frozenset(kept)
        return cls(lines_by_source)

    def lines_for(self, source_key: str) -> frozenset[str]:
        return self._lines_by_source.get(source_key, frozenset())

    def sources(self) -> tuple[str, ...]:
        return tuple(sorted(self._lines_by_source))
