"""The headline of a text dump: a title-shaped line near the top of the article.

Headlines have a few words, do not end like a sentence (unless they ask or shout), sit
a little above the article (images, bylines and share buttons come between) and use the
words the article goes on to use; sites often print them twice, or quote them in a share
widget or a breadcrumb. When nothing near the article reads like its headline, the
article found may be the wrong block, and a headline over its own byline and lead
paragraph higher up is taken instead. A standfirst printed again as the article's first
paragraph is not the headline: the line over it is (a column's may carry its date). When
the best line is one of a box of teasers (headline, date, headline, date...), the headline
is above the box, maybe beyond a menu too.
"""

from __future__ import annotations

import re
from itertools import chain
from typing import Iterable

from builder.ingest.clean import patterns as pat
from builder.ingest.clean.lines import Line, is_whole_quote, line_tokens

# Where to look, and how a candidate scores.
TITLE_WINDOW = 60  # lines before the article searched for the headline...
TITLE_INSIDE = 12  # ...and lines at the top of the article (a headline the segment swallowed)
INSIDE_MAX_WORDS = 50  # spaced prose allowed above a headline found inside the segment
META_AFTER_TITLE = 2  # a byline/dateline within this many lines under a headline
TITLE_OVERLAP_WEIGHT = 4.0  # a headline uses the words of the article under it...
TITLE_DISTANCE_SCALE = 25  # ...and loses a point per this many lines above it
REPEATED_TITLE_BONUS = 1.5  # a headline printed twice
META_TITLE_BONUS = 1.5  # a byline or dateline under it
BYLINE_TITLE_BONUS = 2.0  # ...more when it is a byline ("By Jane Doe"): teasers carry dates, rarely bylines
SENTENCE_TITLE_WORDS = 20  # a headline above the article may read like a sentence, up to this length
SENTENCE_TITLE_PENALTY = 3

TEASER_BOX = 3  # the best candidate is one of this many headlines over datelines: teasers...
TEASER_WINDOW = 2 * TITLE_WINDOW  # ...so look this far above the first of them...
TEASER_MIN_WORDS = 4  # ...for a line this long (not the box's "More stories", "News" labels)

RERANK = 6  # candidates, best first, whose dearer signals are read
QUOTED_TITLE_BONUS = 4.5  # a line ends with it: "Share this on Facebook: <headline>", "Home > News > <headline>"

WEAK_TITLE_SCORE = 4.5  # below this nothing near the article reads like its headline...
LEAD_WINDOW = 6  # ...so look above it for a headline over a byline and a lead paragraph
SHORT_LINE_WORDS = 4  # (share buttons and short lines may sit between them)

_CLOSERS = pat.CLOSING_QUOTES + ")]"
_HANGUL_RE = re.compile("[\uac00-\ud7af]")
# pat.UI_FRAGMENT_RE without re.I, for lower-cased text: several times faster.
_UI_FRAGMENT_LOWER_RE = re.compile(pat._alternation(pat.UI_FRAGMENTS))


def find_title(lines: list[Line], start: int, end: int) -> int | None:
    """The headline: a title-shaped line before the article that shares its words.

    Headlines have a few words, do not end like a sentence, sit a little above the
    article (images, bylines and share buttons come between) and use the words the
    article goes on to use; sites often print them twice.
    """
    window = range(max(0, start - TITLE_WINDOW), min(start + TITLE_INSIDE, end))
    # (most lines of a menu fail the first test of title_shaped: skip the call for them)
    candidates = [i for i in window if lines[i].words >= 2 and title_shaped(lines[i], before_article=i < start)]
    # The article's words that some candidate uses: cheaper than a set of all its words.
    wanted = set(chain.from_iterable(line_tokens(lines[i]) for i in candidates))
    body = chain.from_iterable(map(line_tokens, lines[start : min(end, start + 30)]))
    hangul = any(map(_HANGUL_RE.search, (lines[i].text for i in candidates)))
    if hangul:
        body = with_stems(body)  # (and compare Hangul words by their stems)
        wanted = set(with_stems(wanted))
    shared = wanted.intersection(body)
    inside = prose_above(lines, start, candidates[-1]) if candidates and candidates[-1] > start else {}
    scores = {}
    for i in candidates:
        if i > start and inside[i] > INSIDE_MAX_WORDS:
            continue  # inside the article, not below real paragraphs (a subheading, an embedded post)
        score = headline_score(lines, i, start, shared, hangul=hangul)
        if score is not None:
            scores[i] = score
    rerank(lines, scores, start)
    best, best_score = None, 0.0
    for i, score in scores.items():
        if score > best_score:
            best, best_score = i, score
    if best_score < WEAK_TITLE_SCORE:
        found = headline_over_lead(lines, start)
        if found is not None and found[1] > best_score:
            return found[0]
    teasers = [i for i in candidates if i < start and is_teaser(lines, i)]
    if best in teasers and len(teasers) >= TEASER_BOX:
        found = headline_over_teasers(lines, teasers[0], start, end, hangul=hangul)
        if found is not None:
            return found
    if best is not None and 0 < best < start and is_standfirst(lines, best, start):
        above = lines[best - 1]
        if title_shaped(above, before_article=True) or dated_headline(above):
            return best - 1
    return best


def is_teaser(lines: list[Line], i: int) -> bool:
    """A headline over a dateline that is no byline: how a box of teasers lists them."""
    after = lines[i + 1] if i + 1 < len(lines) else None
    return after is not None and after.meta and not pat.BYLINE_RE.match(after.text)


def headline_over_teasers(lines: list[Line], top: int, start: int, end: int, *, hangul: bool) -> int | None:
    """The headline above a box of teasers ("More stories": headline, date, headline, date...).

    Such a box (and a menu) may sit between the headline and the article: look further
    up than TITLE_WINDOW, for a line longer than the box's labels; a dateline under a line
    earns nothing there, the teasers have them too.
    """
    body = chain.from_iterable(map(line_tokens, lines[start : min(end, start + 30)]))
    words = set(with_stems(body) if hangul else body)
    best, best_score = None, 0.0  # (it must share some words with the article)
    for i in range(max(0, top - TEASER_WINDOW), top):
        line = lines[i]
        if line.words < TEASER_MIN_WORDS or not title_shaped(line, before_article=True):
            continue
        score = headline_score(lines, i, top, words, hangul=hangul)
        if score is not None and is_teaser(lines, i):
            score -= META_TITLE_BONUS  # (on this page teasers carry datelines: a dateline tells nothing)
        if score is not None and score > best_score:
            best, best_score = i, score
    return best


def is_standfirst(lines: list[Line], i: int, start: int) -> bool:
    """A sentence printed again as the article's first paragraph: the standfirst, not the headline."""
    return lines[i].prose and lines[i].text == lines[start].text


def dated_headline(line: Line) -> bool:
    """A headline that is a dateline only for its date: a series instalment ("Opening Bell 11.18.19").

    Bylines and stamps ("Updated 5:36 PM") stay meta; what is left without the date must
    be a headline of its own (2+ words).
    """
    if not line.meta or pat.BYLINE_RE.match(line.text) or pat.STAMP_RE.search(line.text):
        return False
    rest = pat.TIME_RE.sub(" ", pat.NUMERIC_DATE_RE.sub(" ", line.text))
    if pat.MONTH_RE.search(rest) or pat.YEAR_RE.search(rest) or pat.DIGIT_RE.search(rest):
        return False  # ("Nov 18, 2019": only a fully numeric date is taken out)
    words = pat.WORD_RE.findall(rest)
    undated = Line(line.number, " ".join(words), len(words), line.blank_before, False, None)
    return title_shaped(undated, before_article=True)


def prose_above(lines: list[Line], start: int, last: int) -> dict[int, int]:
    """Words of spaced, unrepeated prose between `start` and each line up to `last` (a ticker printed twice is none)."""
    above, words = {}, 0
    for i in range(start, last + 1):
        above[i] = words
        line = lines[i]
        if line.prose and not line.tight and line.repeats == 1:
            words += line.words
    return above


def rerank(lines: list[Line], scores: dict[int, float], start: int) -> None:
    """Signals too dear to read for every line, read for the few best candidates."""
    ranked = sorted(scores, key=scores.__getitem__, reverse=True)[:RERANK]
    if not ranked:
        return
    top = scores[ranked[0]]
    # Only a bonus that can change the winner, or lift it over WEAK_TITLE_SCORE, matters.
    contenders = [i for i in ranked[1:] if scores[i] + QUOTED_TITLE_BONUS >= top]
    if not contenders and top >= WEAK_TITLE_SCORE:
        return
    window = lines[max(0, start - TITLE_WINDOW) : start + TITLE_INSIDE + 30]
    texts = "\n".join(line.text for line in window) + "\n"
    for i in [ranked[0], *contenders]:
        text = lines[i].text
        if lines[i].words < 4:
            continue
        # Lines that end with the headline, besides the lines that are the headline.
        copies = 1 if lines[i].repeats == 1 else sum(line.text == text for line in window)
        quoted = texts.count(text + "\n") - copies
        if quoted > 0:
            scores[i] += QUOTED_TITLE_BONUS  # "Share this on Facebook: <headline>", a breadcrumb


def headline_over_lead(lines: list[Line], stop: int) -> tuple[int, float] | None:
    """The best headline above `stop` that has its own byline and lead paragraph.

    When nothing near the article reads like its headline, the segment found may be
    the wrong one (a footer of links, a ticker). A headline, then a byline or
    dateline, then a paragraph that uses its words is an article wherever it sits;
    teasers have the first two but not the third.
    """
    best = None
    for i in range(stop):
        line = lines[i]
        if line.words < 2 or not followed_by_meta(lines, i) or not title_shaped(line, before_article=True):
            continue
        lead_at = next((j for j in range(i + 1, min(i + 1 + LEAD_WINDOW, stop)) if lines[j].prose), None)
        if lead_at is None or any(not (l.meta or l.ui or l.words < SHORT_LINE_WORDS) for l in lines[i + 1 : lead_at]):
            continue
        lead_words = set(with_stems(chain.from_iterable(map(line_tokens, lines[lead_at : lead_at + 2]))))
        score = headline_score(lines, i, lead_at, lead_words, hangul=_HANGUL_RE.search(line.text) is not None)
        if score is not None and (best is None or score > best[1]):
            best = (i, score)
    return best


def followed_by_meta(lines: list[Line], i: int) -> bool:
    return any([l.meta for l in lines[i + 1 : i + 1 + META_AFTER_TITLE]])


def headline_score(lines: list[Line], i: int, start: int, body_words: set[str], *, hangul: bool = False) -> float | None:
    """How much title-shaped line `i` looks like the headline of the article starting at `start`.

    `body_words` holds the article's words (at least those of 4+ letters the line uses).
    """
    line = lines[i]
    over_meta = followed_by_meta(lines, i)
    if i >= start and not (over_meta or line.repeats > 1):
        return None  # inside the article only a headline that looks like one
    tokens = content_words(line, hangul=hangul)
    # Share of the headline's words the article uses; a two-word label shares easily.
    overlap = sum(map(body_words.__contains__, tokens)) / len(tokens) * min(1.0, len(tokens) / 4) if tokens else 0.0
    score = min(line.words, 10) / 3 + TITLE_OVERLAP_WEIGHT * overlap - (start - i) / TITLE_DISTANCE_SCALE
    if line.repeats > 1 and line.words >= 4:
        score += REPEATED_TITLE_BONUS
    if over_meta:
        score += META_TITLE_BONUS  # a byline or dateline follows the headline
        if any(pat.BYLINE_RE.match(l.text) for l in lines[i + 1 : i + 1 + META_AFTER_TITLE] if l.meta):
            score += BYLINE_TITLE_BONUS
    if i >= start:
        score -= 1.0
    if line.text.endswith(".") or line.prose and not (over_meta and exclaims(line.text)):
        score -= SENTENCE_TITLE_PENALTY  # (a long cry with no byline under it is more often a call to action)
    return score


def content_words(line: Line, *, hangul: bool = False) -> list[str]:
    """The words a headline and its article share: 4+ letters, or (`hangul`) a Hangul word's stem.

    Korean glues particles onto words (엘제이의: "of 엘제이"), and two syllables carry as
    much as four letters: a Hangul word of 2+ syllables counts by its first two.
    """
    tokens = line_tokens(line)
    if not hangul:  # (a page without Hangul: no need to look)
        return [w for w in tokens if len(w) > 3]
    return [w[:2] if _is_hangul(w) else w for w in tokens if len(w) > 3 or len(w) >= 2 and _is_hangul(w)]


def with_stems(words: Iterable[str]) -> Iterable[str]:
    """The words and the stems of the Hangul ones (see content_words)."""
    for w in words:
        yield w
        if len(w) >= 2 and _is_hangul(w):
            yield w[:2]


def _is_hangul(word: str) -> bool:
    return "\uac00" <= word[0] <= "\ud7af"


def title_shaped(line: Line, *, before_article: bool = False) -> bool:
    """Could this line be a headline? Above the article, sentence-like ones may be."""
    if not 2 <= line.words <= 30 or line.ui or line.caption or line.known or line.meta or line.ends_article:
        return False
    if has_ui_fragment(line):
        return False
    if line.text.endswith((":", ",", ";")) or is_whole_quote(line.text):
        return False
    if before_article and line.words <= SENTENCE_TITLE_WORDS:
        # "Home Depot Stock Is Falling After Its Earnings Release. Why You Shouldn't Worry."
        return True
    if line.text.endswith(".") and not line.text.endswith("..."):
        return False
    return not (line.prose and not exclaims(line.text))


def has_ui_fragment(line: Line) -> bool:
    """ "Subscribe", "read more" ... anywhere in the line (lines.is_ui needs a short line or two of them)."""
    if pat.UI_FRAGMENT_FIRST.isdisjoint(line_tokens(line)):
        return False
    if line.words <= 12 and not line.ends_sentence and "©" not in line.text:
        return line.ui  # lines.is_ui has searched this one already
    return _UI_FRAGMENT_LOWER_RE.search(line.text.lower()) is not None


def exclaims(text: str) -> bool:
    """Ends with "?" or "!", maybe inside quotes: headlines ask and shout, sentences state."""
    return text.rstrip(_CLOSERS).endswith(("?", "!"))
