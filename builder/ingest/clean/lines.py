"""Lines of a text dump and what each looks like: the features every later stage reads.

One pass sets, per distinct line text, its word count, sentence end, stopword share in
the page language, and whether it reads like a widget, a caption, a byline or dateline,
a footnote, or the source's known boilerplate. Cheap token-set tests guard every regex.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from itertools import chain
from typing import AbstractSet

from builder.ingest.clean import patterns as pat
from builder.ingest.clean.boilerplate import normalise_line

# The numbers below were chosen on the development pages, always comparing the two
# halves (`python -m builder eval DIR --half 0|1`) and keeping only changes that did
# not help one half at the other's expense.

# Line features.
PROSE_MIN_WORDS = 10  # prose: this many words and a sentence end (or twice as many words)
SHORT_SENTENCE_WORDS = 5  # a short sentence: neutral, neither prose nor furniture
LOW_STOPWORD_RATIO = 0.12  # prose in a language with stopwords has more than this
STOPWORD_SAMPLE = 300  # tokens of long lines read to pick the page language
NEAR_DUPLICATE_LINES = 3  # the same text again within this many lines is a duplicate
MAX_FURNITURE_WORDS = 60  # longer lines are never widgets, captions or datelines
CREDIT_MAX_WORDS = 8  # a bare credit line ("Jane Doe | Reuters") makes the line above it a caption
MIN_SPACED_SHARE = 0.5  # tight lines only on a page where this share of long lines has a blank line before

_LABEL_SEPARATORS = frozenset("|>/»›")
_FILE_NAME_CHARS = frozenset("_.-0123456789")


@dataclass(slots=True)
class Line:
    """One non-empty input line and what it looks like."""

    number: int  # 1-based line of the input
    text: str
    words: int
    blank_before: int
    ends_sentence: bool
    stopword_ratio: float | None  # None when the page language has no stopword list
    ui: bool = False
    caption: bool = False
    meta: bool = False
    footnote: bool = False
    known: bool = False  # in the source's learned boilerplate
    ends_article: bool = False  # "Related", "Read more", "Comments": the end-of-article zone
    repeats: int = 1  # how often the same text occurs in the page
    tokens: list[str] | None = None  # lower-cased \w+ tokens
    duplicate: bool = False  # the same text again within a few lines
    tight: bool = False  # no blank line on either side, on a page whose paragraphs have them

    prose: bool = False  # long enough, ends like a sentence, has the language's stopwords

    def looks_like_prose(self) -> bool:
        if self.words < PROSE_MIN_WORDS:
            return False
        if self.stopword_ratio is not None and self.stopword_ratio < LOW_STOPWORD_RATIO:
            return False
        return self.ends_sentence or self.words >= 2 * PROSE_MIN_WORDS



def count_words(text: str, tokens: list[str] | None = None) -> int:
    words = len(tokens if tokens is not None else pat.WORD_RE.findall(text))
    if pat.CJK_RE.search(text):
        # Scripts without spaces: about two characters a word.
        words = max(words, len(pat.CJK_RE.findall(text)) // 2)
    return words


def split_lines(text: str) -> list[Line]:
    lines: list[Line] = []
    blank = 0
    cjk = bool(pat.CJK_RE.search(text))
    findall = pat.WORD_RE.findall
    sentence_end = pat.SENTENCE_END
    seen: dict[str, tuple[list[str], int, bool]] = {}  # menus repeat: read each text once
    # str.lower() keeps the "\n"s, so the lowered text splits into the same lines.
    lowered_lines = text.lower().split("\n")
    for number, stripped in enumerate([raw.strip() for raw in text.split("\n")], start=1):
        if not stripped:
            blank += 1
            continue
        read = seen.get(stripped)
        if read is None:
            tokens = findall(lowered_lines[number - 1])  # (shared by the repeats; nothing changes a token list)
            words = count_words(stripped, tokens) if cjk else len(tokens)
            read = seen[stripped] = (tokens, words, stripped[-1] in sentence_end)
        tokens, words, ends_sentence = read
        lines.append(Line(number, stripped, words, blank, ends_sentence, None, tokens=tokens))
        blank = 0
    return lines


def mark_tight(lines: list[Line]) -> None:
    """Flag prose lines packed between other lines without blank lines.

    In an innerText dump, article paragraphs are <p>s with blank lines around them;
    teaser lists, link boxes and footers are <li>/<div>s without. Only on pages that
    do use blank lines between their longer lines.
    """
    long_lines = [i for i, line in enumerate(lines) if line.words >= PROSE_MIN_WORDS]
    if not long_lines:
        return
    spaced = sum(1 for i in long_lines if lines[i].blank_before > 0) / len(long_lines)
    if spaced < MIN_SPACED_SHARE:
        return
    for i in long_lines:
        after = lines[i + 1].blank_before if i + 1 < len(lines) else 1
        lines[i].tight = lines[i].blank_before == 0 and after == 0


def line_tokens(line: Line) -> list[str]:
    if line.tokens is None:
        line.tokens = pat.WORD_RE.findall(line.text.lower())
    return line.tokens


def page_stopwords(lines: list[Line]) -> frozenset[str] | None:
    """The stopword list of the page's language: the one covering most tokens of long lines."""
    index = pat.stopword_index()
    sample: list[str] = []
    for line in lines:
        if line.words >= 8:
            sample.extend(line_tokens(line))
            if len(sample) > STOPWORD_SAMPLE:
                break
    votes = Counter(chain.from_iterable(filter(None, map(index.get, sample))))
    if not votes:
        return None
    best = max(sorted(votes), key=votes.__getitem__)
    return pat.stopwords_for(best)


def mark_lines(lines: list[Line], boilerplate: frozenset[str]) -> None:
    """Set each line's features. Hot path: cheap token-set tests guard every regex.

    Each distinct text is classified once (menus repeat); its repeats copy the result.
    """
    stopwords = page_stopwords(lines)
    counts = Counter([line.text for line in lines])
    mark_tight(lines)
    in_stopwords = stopwords.__contains__ if stopwords is not None else None
    footnote_match = pat.FOOTNOTE_RE.match
    first_of: dict[str, Line] = {}
    for line in lines:
        text = line.text
        repeats = line.repeats = counts[text]
        if repeats > 1:
            twin = first_of.get(text)
            if twin is not None:
                line.known, line.stopword_ratio, line.footnote = twin.known, twin.stopword_ratio, twin.footnote
                line.prose = twin.prose
                line.ui, line.ends_article, line.caption, line.meta = twin.ui, twin.ends_article, twin.caption, twin.meta
                continue
            first_of[text] = line
        if boilerplate:
            line.known = normalise_line(text) in boilerplate
        tokens = line.tokens
        if tokens is None:
            tokens = line_tokens(line)
        words = line.words
        if in_stopwords is not None and words >= PROSE_MIN_WORDS and tokens:
            line.stopword_ratio = sum(map(in_stopwords, tokens)) / len(tokens)
        line.prose = line.looks_like_prose()
        if text[0] in "[(^0123456789":
            line.footnote = footnote_match(text) is not None
        if words > MAX_FURNITURE_WORDS:
            continue  # long prose: none of the furniture tests below can fire
        key = (text, words)
        marks = _FURNITURE_SEEN.get(key)
        if marks is None:
            marks = furniture(text, words, line.ends_sentence, tokens)
            if len(_FURNITURE_SEEN) >= FURNITURE_MEMO_SIZE:
                _FURNITURE_SEEN.clear()
            _FURNITURE_SEEN[key] = marks
        line.ui, line.ends_article, line.caption, line.meta = marks
    last_seen: dict[str, int] = {}
    for i, line in enumerate(lines):
        if line.repeats > 1:
            previous = last_seen.get(line.text)
            if previous is not None and i - previous <= NEAR_DUPLICATE_LINES:
                # image alt text next to its caption, or a headline printed twice
                for twin in (lines[previous], line):
                    twin.duplicate = not (twin.ui or twin.known)
            last_seen[line.text] = i
        after = lines[i + 1] if i + 1 < len(lines) else None
        if after is not None and after.caption and 2 <= after.words <= CREDIT_MAX_WORDS and after.blank_before == 0:
            # (a bare "REUTERS" under a headline is the agency byline, not a photo credit)
            line.caption = line.caption or not line.ui  # a caption sits on top of its credit


# Furniture marks by (text, word count): they depend on nothing else, and the same menus,
# share buttons and footers recur across a source's pages (a quarter of the dev pages'
# short lines were seen on an earlier page, 70% in a one-source archive). Bounded.
FURNITURE_MEMO_SIZE = 50_000
_FURNITURE_SEEN: dict[tuple[str, int], tuple[bool, bool, bool, bool]] = {}


def furniture(text: str, words: int, ends_sentence: bool, tokens: list[str]) -> tuple[bool, bool, bool, bool]:
    """(ui, ends_article, caption, meta) of a line of at most MAX_FURNITURE_WORDS words."""
    # All the tests look only at these tokens. (On scripts without spaces a phrase such as
    # "分享到微信" is one \w+ token, so the prefilters skip it; letting the regexes run
    # there would change roles: measure it first.)
    token_set = pat.FURNITURE_FIRST.intersection(tokens)
    ui = is_ui(text, words, ends_sentence, token_set)
    ends_article = words <= 8 and bool(
        (not pat.END_FIRST.isdisjoint(token_set) and pat.END_LINE_RE.match(text))
        or (not pat.SIGNUP_FIRST.isdisjoint(token_set) and pat.SIGNUP_RE.search(text))
        or (words <= 5 and pat.AUTHOR_BOX_RE.match(text))
    )
    caption = is_caption(text, words, token_set)
    meta = not caption and is_meta(text, words, ends_sentence, token_set)
    return ui, ends_article, caption, meta


def is_ui(text: str, words: int, ends_sentence: bool, token_set: AbstractSet[str]) -> bool:
    """A widget: a URL, a line of UI phrases, or UI phrases in a short line.

    `token_set`: the line's lower-cased tokens, at least those in `pat.FURNITURE_FIRST`.
    """
    if words > 25:
        return False
    if text.startswith(("http", "www.")) and pat.URL_RE.match(text):
        return True
    if words <= 8 and (not pat.UI_LINE_FIRST.isdisjoint(token_set) or not words) and pat.UI_LINE_RE.match(text):
        return True
    candidates = len(pat.UI_FRAGMENT_FIRST.intersection(token_set))
    if not candidates and "©" not in text and not ("(" in text and "(c)" in text.lower()):
        return False
    if words <= 12 and not ends_sentence or "©" in text:
        # One widget phrase in a short line.
        return bool(pat.UI_FRAGMENT_RE.search(text))
    if candidates < 2:
        return False
    # Several in a longer one ("Get the latest updates in your inbox. Subscribe to our newsletters.").
    return len({m.group(0).lower() for m in pat.UI_FRAGMENT_RE.finditer(text)}) >= 2


def is_caption(text: str, words: int, token_set: AbstractSet[str]) -> bool:
    if words <= 4 and not _FILE_NAME_CHARS.isdisjoint(text) and pat.IMAGE_FILE_RE.match(text):
        return True
    if not pat.CAPTION_FIRST.isdisjoint(token_set) and pat.CAPTION_PREFIX_RE.match(text):
        return True
    # "Mali's junta leader ... July 6, 2024. REUTERS/Mahamadou Hamidou": a credit at the end.
    if not text.endswith(("?", "!")):
        tail = text[-40:]
        if "/" in tail or "(" in tail or "|" in tail or "©" in tail or "via" in tail.lower() or tail.isupper():
            match = pat.CREDIT_RE.search(tail)
            if match:
                return not text.endswith(".") or match.end() >= len(tail) - 15
    return False


def is_meta(text: str, words: int, ends_sentence: bool, token_set: AbstractSet[str]) -> bool:
    stamped = not pat.STAMP_FIRST.isdisjoint(token_set) and bool(pat.STAMP_RE.search(text))
    if words <= 20 and not pat.BYLINE_FIRST.isdisjoint(token_set) and pat.BYLINE_RE.match(text):
        return True
    if words > 14:
        return words <= 20 and not ends_sentence and stamped and bool(pat.STAMP_RE.match(text))
    if text[0] == "@" and pat.HANDLE_RE.match(text):
        return True
    labelled = words <= 8 and not _LABEL_SEPARATORS.isdisjoint(text) and bool(pat.SECTION_LABEL_RE.match(text))
    if not pat.DIGIT_RE.search(text):
        return stamped or labelled
    dated = not pat.MONTH_FIRST.isdisjoint(token_set) and bool(pat.MONTH_RE.search(text) and pat.YEAR_RE.search(text))
    if dated or stamped or pat.NUMERIC_DATE_RE.search(text):
        return True
    if words <= 8 and pat.TIME_RE.search(text):
        return True
    return labelled


def is_whole_quote(text: str) -> bool:
    if len(text) < 3 or text[0] not in pat.OPENING_QUOTES:
        return False
    stripped = text.rstrip(".,;")
    if stripped[-1] not in pat.CLOSING_QUOTES:
        return False
    inner = stripped[1:-1]
    return not any(q in inner for q in "\"“”«»")


def is_list_item(text: str) -> bool:
    return len(text) > 2 and text[0] in pat.BULLETS and text[1] == " "
