"""Near-identical texts among thousands, without comparing every pair.

Used by `briefings check` to report duplicate briefings whose bodies differ only by edits.

A text is the set of its word 5-grams ("shingles"); two texts are near-identical when the
Jaccard similarity of those sets is at least `NEAR_DUPLICATE`. Comparing every pair of 10,000
texts is out of the question, so each text gets a small sample of fingerprints first
(`fingerprints`), and only pairs whose samples agree closely are compared exactly (`pairs`).

The sample is content-defined, so near-identical texts get nearly the same one: the folded
text (`refresh.folded_text`) is cut after every word ending in "e" (about one word in five
in English, French, Spanish or German prose), each piece of a few words is hashed with
CRC-32 and a quarter of the pieces, those whose hash is 0 mod 4, are kept. Splitting and
hashing are single C-level calls per text, and the result is the same in every process and
every run. A text with too few pieces (short, or in a script without an "e") keeps the hash
of every 5-gram instead.

Candidate pairs come from an inverted index over each text's few smallest *rare*
fingerprints, its keys (in 2 to `COMMON_FINGERPRINT` texts of the archive): boilerplate
shared by many texts is no evidence, and a near-identical pair shares most of its rare
fingerprints, so it shares several of the smallest; texts that share boilerplate share one
now and then, so a pair needs two shared keys (or all the keys of a text that has fewer).
Texts with identical samples are candidates too (many copies of one text have no rare
fingerprint). A candidate pair is compared exactly when its samples
are similar enough, generously: the exact comparison decides.
"""

from __future__ import annotations

import itertools
import zlib
from collections import Counter
from typing import Callable

from builder.archive.refresh import fold_words, folded_text

# Near-identical bodies: word 5-grams, Jaccard similarity of their sets at least this.
SHINGLE_WORDS = 5
NEAR_DUPLICATE = 0.8
PIECE_END = b"e "  # the folded text is cut after every word ending in "e" ...
SAMPLE_MASK = 3  # ... and the pieces whose CRC-32 is 0 mod 4 are kept ...
SAMPLE_MIN = 16  # ... unless that leaves fewer than this: then every 5-gram is
COMMON_FINGERPRINT = 20  # a fingerprint in more texts than this is boilerplate, not evidence
INDEX_KEYS = 8  # a text's smallest rare fingerprints that go into the inverted index
SAMPLE_SLACK = 0.7  # pairs whose samples' Jaccard similarity is at least this x threshold are compared


def fingerprints(folded: str | bytes) -> frozenset[int]:
    """A text's sample of fingerprints, from its `folded_text` (or `folded_bytes`)."""
    data = folded if isinstance(folded, bytes) else folded.encode("utf-8")
    sample = set(itertools.filterfalse(SAMPLE_MASK.__and__, map(zlib.crc32, data.split(PIECE_END))))  # hash % 4 == 0, in C
    if len(sample) < SAMPLE_MIN:
        words = data.decode("utf-8").split()
        grams = map(" ".join, zip(*(words[k:] for k in range(SHINGLE_WORDS)))) if len(words) >= SHINGLE_WORDS else [" ".join(words)]
        sample = {zlib.crc32(gram.encode("utf-8")) for gram in grams if gram}
    return frozenset(sample)


def shingles(words: list[str]) -> set[tuple[str, ...]]:
    """Every word 5-gram of a text (the whole text when it is shorter)."""
    if len(words) < SHINGLE_WORDS:
        return {tuple(words)} if words else set()
    return set(zip(*(words[k:] for k in range(SHINGLE_WORDS))))


class DuplicateIndex:
    """Texts added in order (numbered from 0); `pairs` finds the near-identical ones."""

    def __init__(self, threshold: float = NEAR_DUPLICATE) -> None:
        self.threshold = threshold
        self._samples: list[frozenset[int]] = []

    @staticmethod
    def sample(words: list[str]) -> frozenset[int]:
        return fingerprints(" ".join(words))

    def add(self, words: list[str]) -> None:
        """The next text, as its words (`fold_words`)."""
        self.add_sample(self.sample(words))

    def add_sample(self, sample: frozenset[int]) -> None:
        """The next text, as its `fingerprints`."""
        self._samples.append(sample)

    def candidates(self) -> list[tuple[int, int]]:
        """Pairs (i < j) whose samples agree closely enough to be compared exactly."""
        samples = self._samples
        counts = Counter(itertools.chain.from_iterable(samples))
        not_rare = {h for h, n in counts.items() if n == 1 or n > COMMON_FINGERPRINT}
        texts_by_key: dict[int, list[int]] = {}
        texts_by_sample: dict[frozenset[int], list[int]] = {}
        keys = [0] * len(samples)
        for j, sample in enumerate(samples):
            rare = sorted(sample - not_rare)[:INDEX_KEYS]
            keys[j] = len(rare)
            for h in rare:
                texts_by_key.setdefault(h, []).append(j)
            if len(rare) < INDEX_KEYS and sample:
                texts_by_sample.setdefault(sample, []).append(j)
        # Texts sharing boilerplate share a key now and then; near-identical ones share most.
        shared: Counter[tuple[int, int]] = Counter()
        for texts in texts_by_key.values():
            if len(texts) > 1:
                shared.update(itertools.combinations(texts, 2))
        found = {pair for pair, n in shared.items() if n >= 2 or n >= min(keys[pair[0]], keys[pair[1]])}
        for texts in texts_by_sample.values():
            found.update(itertools.combinations(texts, 2))
        # Samples estimate the similarity (unrelated texts sharing boilerplate stay well under
        # half the threshold): generous here, exact in `pairs`.
        least = SAMPLE_SLACK * self.threshold
        return sorted((i, j) for i, j in found if len(samples[i] & samples[j]) >= least * len(samples[i] | samples[j]))

    def pairs(self, words_of: Callable[[int], list[str]]) -> list[tuple[int, int, float]]:
        """(i, j, similarity) for i < j near-identical; `words_of(i)` gives text i's words again."""
        found: list[tuple[int, int, float]] = []
        for i, j in self.candidates():
            a, b = shingles(words_of(i)), shingles(words_of(j))
            similarity = len(a & b) / len(a | b) if a | b else 1.0
            if similarity >= self.threshold:
                found.append((i, j, similarity))
        return found


def near_duplicates(texts: list[str], threshold: float = NEAR_DUPLICATE) -> list[tuple[int, int, float]]:
    """Pairs (i < j) of texts whose word 5-gram sets have a Jaccard similarity >= threshold."""
    index = DuplicateIndex(threshold)
    for text in texts:
        index.add_sample(fingerprints(folded_text(text)))
    return index.pairs(lambda i: fold_words(texts[i]))
