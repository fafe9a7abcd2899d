"""Near-identical texts among thousands, without comparing every pair (MinHash-like sampling).

Used by `briefings check` to report duplicate briefings whose bodies differ only by edits.
"""

from __future__ import annotations

import itertools
import operator
import zlib
from collections import Counter

from builder.refresh import fold_words

# Near-identical bodies: word 5-grams, Jaccard similarity of their sets at least this.
SHINGLE_WORDS = 5
NEAR_DUPLICATE = 0.8
SAMPLE_MASK = 15  # keep the shingles whose first word hashes to 0 mod 16 ...
SAMPLE_MIN = 16  # ... unless that leaves fewer than this: short bodies keep them all
COMMON_FINGERPRINT = 20  # a shingle in more briefings than this is boilerplate, not evidence


_VOCABULARY: dict[str, int] = {}  # word -> CRC-32, a cache (the same in every process)


class DuplicateIndex:
    """Near-identical texts without comparing every pair.

    A text is a set of word 5-grams ("shingles"); two texts are near-identical when the
    Jaccard similarity of those sets is at least `threshold`. Each text keeps a sample of
    its shingles, those whose first word hashes to 0 mod 16: the choice depends on the words
    only, so near-identical texts keep nearly the same sample and unrelated ones share almost
    none. An inverted index from sampled shingle to texts yields the candidate pairs; only
    those are compared exactly. Word hashes are CRC-32s, so every run gives the same result.
    """

    def __init__(self, threshold: float = NEAR_DUPLICATE) -> None:
        self.threshold = threshold
        self._samples: list[frozenset[int]] = []
        self._postings: dict[int, list[int]] = {}
        self._candidates: list[tuple[int, int]] = []

    @staticmethod
    def _ids(words: list[str]) -> list[int]:
        vocabulary = _VOCABULARY
        for word in set(words).difference(vocabulary):
            vocabulary[word] = zlib.crc32(word.encode("utf-8"))
        return list(map(vocabulary.__getitem__, words))

    @staticmethod
    def _shingles(ids: list[int], sampled: bool) -> set[int]:
        if len(ids) < SHINGLE_WORDS:
            return {hash(tuple(ids))} if ids else set()
        if sampled:  # only the grams whose first word id is 0 mod 16 (positions found in C)
            starts = itertools.compress(range(len(ids) - SHINGLE_WORDS + 1), map(operator.not_, map(SAMPLE_MASK.__and__, ids)))
            return {hash(tuple(ids[i:i + SHINGLE_WORDS])) for i in starts}
        return set(map(hash, zip(*(ids[k:] for k in range(SHINGLE_WORDS)))))

    @classmethod
    def shingles(cls, words: list[str]) -> set[int]:
        return cls._shingles(cls._ids(words), sampled=False)

    @classmethod
    def sample(cls, words: list[str]) -> frozenset[int]:
        """A text's fingerprints, from its words (`fold_words`)."""
        ids = cls._ids(words)
        sample = cls._shingles(ids, sampled=True)
        if len(sample) < SAMPLE_MIN:  # short texts keep every shingle
            sample = cls._shingles(ids, sampled=False)
        return frozenset(sample)

    def add(self, words: list[str]) -> None:
        """The next text, as its words; texts are numbered from 0 in order."""
        self.add_sample(self.sample(words))

    def add_sample(self, sample: frozenset[int]) -> None:
        """The next text's fingerprints: it becomes a candidate twin of every earlier text sharing enough of them."""
        j, postings = len(self._samples), self._postings
        shared: Counter[int] = Counter()
        for h in sample:
            earlier = postings.get(h)
            if earlier is None:
                postings[h] = [j]
                continue
            if len(earlier) <= COMMON_FINGERPRINT:
                shared.update(earlier)
            earlier.append(j)
        for i, count in shared.items():
            # Samples estimate the similarity: generous here, exact in `pairs`.
            if count >= 0.5 * self.threshold * min(len(self._samples[i]), len(sample)):
                self._candidates.append((i, j))
        self._samples.append(sample)

    def pairs(self, words_of) -> list[tuple[int, int, float]]:
        """(i, j, similarity) for i < j near-identical; `words_of(i)` gives text i's words again."""
        found: list[tuple[int, int, float]] = []
        for i, j in sorted(self._candidates):
            a, b = self.shingles(words_of(i)), self.shingles(words_of(j))
            similarity = len(a & b) / len(a | b) if a | b else 1.0
            if similarity >= self.threshold:
                found.append((i, j, similarity))
        return found


def near_duplicates(texts: list[str], threshold: float = NEAR_DUPLICATE) -> list[tuple[int, int, float]]:
    """Pairs (i < j) of texts whose word 5-gram sets have a Jaccard similarity >= threshold."""
    index = DuplicateIndex(threshold)
    for text in texts:
        index.add(fold_words(text))
    return index.pairs(lambda i: fold_words(texts[i]))
