"""Clean a text dump (a page's innerText) into labelled blocks.

A dump is a page read top to bottom: navigation, the headline, a dateline, the
article, then captions, teasers of other articles and the footer. We find the
article as the densest run of prose (a maximum-sum segment over per-line weights:
prose earns its word count, furniture costs), then label every line by what it looks
like and where it sits: before the article (title, meta, captions, navigation),
inside it (paragraphs, headings, quotes, list items, captions), after it (notes,
credits, teasers, footer).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from itertools import chain

from builder.clean import patterns as pat
from builder.clean.boilerplate import normalise_line
from builder.model import Block, CleanedArticle, Role

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

# Finding the article: a maximum-weight run; prose earns its words, furniture costs.
COST_SHORT = 5.0
COST_UI = 25.0
COST_CAPTION = 12.0
COST_META = 5.0
COST_KNOWN_BOILERPLATE = 30.0
COST_REPEATED = 15.0
TIGHT_FACTOR = 0.1  # weight of a prose line packed without blank lines...
MIN_SPACED_SHARE = 0.5  # ...on a page where this share of long lines has a blank line before

# Where the article ends.
TAIL_BREAK_LINES = 4  # this many non-prose lines in a row end the article...
TAIL_MIN_SHARE = 0.5  # ...once this share of its prose has been read...
TAIL_MIN_WORDS = 150  # ...or this many words of it...
CONTINUE_MIN_WORDS = 60  # ...unless this much prose follows before the next break...
ANNOUNCED_FACTOR = 1.5  # ...or this many times as much after a "Related" / "About the author" line
CONTINUE_WINDOW = 15  # lines after a break searched for more of the article
MAX_LIST_ITEMS = 80  # lines kept after a last paragraph ending with ":"...
LIST_ITEM_MAX_WORDS = 30  # ...each at most this long
MIN_LIST_ITEMS = 4  # a uniform list after the article: at least this many items...
LIST_SIGNATURE_SHARE = 0.75  # ...this share of them starting with the same punctuation...
LIST_SIGNATURE_CHARS = 25  # ...found within this many characters
LIST_SIGNATURE_PROBE = 6  # items read to find the common punctuation

# Where it starts, and its headline.
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
DECK_WINDOW = 4  # lines at the top of the article searched for a byline block
DECK_MAX_WORDS = 60  # a standfirst is a sentence or two


_LABEL_SEPARATORS = frozenset("|>/»›")
_FILE_NAME_CHARS = frozenset("_.-0123456789")
_SIGNATURE_RE = re.compile(r"[^\w\s'’.,!?-]|(?<=\s)-(?=\s)")  # a hyphen only between spaces


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


def clean_text_dump(text: str, *, boilerplate: frozenset[str] = frozenset()) -> CleanedArticle:
    lines = split_lines(text)
    if not lines:
        return CleanedArticle(title=None, blocks=())
    mark_lines(lines, boilerplate)
    start, end = find_article(lines)
    end = cut_tail(lines, start, end)
    list_from, end = end, extend_announced_list(lines, start, end)
    end = extend_data_list(lines, start, end)
    title_at = find_title(lines, start, end)
    if title_at is not None and title_at >= start:
        start = title_at + 1  # the article begins after its headline
    start = skip_deck(lines, start, end)
    roles = assign_roles(lines, start, end, title_at, list_from=list_from)
    blocks = tuple([Block(role, line.text, line.number) for line, role in zip(lines, roles)])  # positional: faster
    title = lines[title_at].text if title_at is not None else None
    return CleanedArticle(title=title, blocks=blocks)


# -- reading -----------------------------------------------------------------------


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
    for number, (raw, lowered) in enumerate(zip(text.split("\n"), text.lower().split("\n")), start=1):
        stripped = raw.strip()
        if not stripped:
            blank += 1
            continue
        read = seen.get(stripped)
        if read is None:
            tokens = findall(lowered)  # (shared by the repeats; nothing changes a token list)
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
    """Set each line's features. Hot path: cheap token-set tests guard every regex."""
    stopwords = page_stopwords(lines)
    counts = Counter(line.text for line in lines)
    mark_tight(lines)
    cjk = any(pat.CJK_RE.search(line.text) for line in lines[:: max(1, len(lines) // 20)])
    first_of: dict[str, Line] = {}  # menus repeat: classify each distinct text once
    for line in lines:
        line.repeats = counts[line.text]
        twin = first_of.get(line.text) if line.repeats > 1 else None
        if twin is not None:
            line.known, line.stopword_ratio, line.footnote = twin.known, twin.stopword_ratio, twin.footnote
            line.prose = twin.prose
            line.ui, line.ends_article, line.caption, line.meta = twin.ui, twin.ends_article, twin.caption, twin.meta
            continue
        first_of[line.text] = line
        line.known = bool(boilerplate) and normalise_line(line.text) in boilerplate
        tokens = line_tokens(line)
        if stopwords is not None and line.words >= PROSE_MIN_WORDS and tokens:
            line.stopword_ratio = sum(map(stopwords.__contains__, tokens)) / len(tokens)
        line.prose = line.looks_like_prose()
        line.footnote = line.text[0] in "[(^0123456789" and bool(pat.FOOTNOTE_RE.match(line.text))
        if line.words > MAX_FURNITURE_WORDS:
            continue  # long prose: none of the furniture tests below can fire
        token_set = set(pat.FURNITURE_FIRST.intersection(tokens))  # all the tests below look at
        if cjk:
            # Meant for scripts without spaces ("分享到微信" is one \w+ token), to let every
            # regex run; but no prefilter set holds "", so it changes nothing. Making it work
            # (skip the prefilters on such pages) would change roles: measure it first.
            token_set.add("")
        line.ui = is_ui(line, token_set)
        line.ends_article = line.words <= 8 and bool(
            (not pat.END_FIRST.isdisjoint(token_set) and pat.END_LINE_RE.match(line.text))
            or (not pat.SIGNUP_FIRST.isdisjoint(token_set) and pat.SIGNUP_RE.search(line.text))
            or (line.words <= 5 and pat.AUTHOR_BOX_RE.match(line.text))
        )
        line.caption = is_caption(line, token_set)
        line.meta = not line.caption and is_meta(line, token_set)
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


def _tokens_of(line: Line, token_set: set[str] | None) -> set[str]:
    return token_set if token_set is not None else set(line_tokens(line)) | {""}


def is_ui(line: Line, token_set: set[str] | None = None) -> bool:
    if line.words > 25:
        return False
    text = line.text
    token_set = _tokens_of(line, token_set)
    if text.startswith(("http", "www.")) and pat.URL_RE.match(text):
        return True
    if line.words <= 8 and (not pat.UI_LINE_FIRST.isdisjoint(token_set) or not line.words) and pat.UI_LINE_RE.match(text):
        return True
    candidates = len(pat.UI_FRAGMENT_FIRST.intersection(token_set))
    if not candidates and "©" not in text and not ("(" in text and "(c)" in text.lower()):
        return False
    if line.words <= 12 and not line.ends_sentence or "©" in text:
        # One widget phrase in a short line.
        return bool(pat.UI_FRAGMENT_RE.search(text))
    if candidates < 2:
        return False
    # Several in a longer one ("Get the latest updates in your inbox. Subscribe to our newsletters.").
    return len({m.group(0).lower() for m in pat.UI_FRAGMENT_RE.finditer(text)}) >= 2


def is_caption(line: Line, token_set: set[str] | None = None) -> bool:
    text = line.text
    token_set = _tokens_of(line, token_set)
    if line.words <= 4 and not _FILE_NAME_CHARS.isdisjoint(text) and pat.IMAGE_FILE_RE.match(text):
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


def is_meta(line: Line, token_set: set[str] | None = None) -> bool:
    text = line.text
    token_set = _tokens_of(line, token_set)
    stamped = not pat.STAMP_FIRST.isdisjoint(token_set) and bool(pat.STAMP_RE.search(text))
    if line.words <= 20 and not pat.BYLINE_FIRST.isdisjoint(token_set) and pat.BYLINE_RE.match(text):
        return True
    if line.words > 14:
        return line.words <= 20 and not line.ends_sentence and stamped and bool(pat.STAMP_RE.match(text))
    if text[0] == "@" and pat.HANDLE_RE.match(text):
        return True
    labelled = line.words <= 8 and not _LABEL_SEPARATORS.isdisjoint(text) and bool(pat.SECTION_LABEL_RE.match(text))
    if not pat.DIGIT_RE.search(text):
        return stamped or labelled
    dated = not pat.MONTH_FIRST.isdisjoint(token_set) and bool(pat.MONTH_RE.search(text) and pat.YEAR_RE.search(text))
    if dated or stamped or pat.NUMERIC_DATE_RE.search(text):
        return True
    if line.words <= 8 and pat.TIME_RE.search(text):
        return True
    return labelled


# -- finding the article -----------------------------------------------------------


def line_weight(line: Line) -> float:
    if line.known:
        return -COST_KNOWN_BOILERPLATE
    if line.ui:
        return -COST_UI
    if line.caption or line.duplicate:
        return -COST_CAPTION
    if line.meta:
        return -COST_META
    if line.prose:
        weight = float(line.words) * (TIGHT_FACTOR if line.tight else 1.0)
        return weight / line.repeats if line.repeats > 1 else weight
    if line.repeats > 1:
        return -COST_REPEATED
    if line.words >= SHORT_SENTENCE_WORDS and line.ends_sentence:
        return 1.0
    return -COST_SHORT


def find_article(lines: list[Line]) -> tuple[int, int]:
    """[start, end) of the maximum-weight run of lines (Kadane); empty when there is no prose."""
    best, best_span = 0.0, (0, 0)
    running, run_start = 0.0, 0
    for i, line in enumerate(lines):
        if running <= 0:
            running, run_start = 0.0, i
        running += line_weight(line)
        if running > best:
            best, best_span = running, (run_start, i + 1)
    return best_span


def is_break(line: Line) -> bool:
    """A line that is not article prose: furniture, a credit, a label, a short fragment."""
    if line.known or line.ui or line.caption or line.duplicate or line.meta:
        return True
    return not (line.prose or line.ends_sentence and line.words >= SHORT_SENTENCE_WORDS)


def cut_tail(lines: list[Line], start: int, end: int, *, break_lines: int = TAIL_BREAK_LINES) -> int:
    """End the article at the first strong break once most of its prose has been read.

    The segment search happily bridges a few furniture lines to reach the teasers of
    other articles, which are prose too. What separates them from the article is a
    break (a run of several non-prose lines: credit, label, teaser headline, section;
    or an end-of-article line such as "Related" or "Keep reading") followed by only a
    little prose, or by prose that itself ends in "Read more".
    """
    total = sum(line.words for line in lines[start:end] if line.prose)
    seen = 0
    i = start
    while i < end:
        line = lines[i]
        if not is_break(line):
            seen += line.words if line.prose else 0
            i += 1
            continue
        run_end = i
        while run_end < end and is_break(lines[run_end]):
            run_end += 1
        run = lines[i:run_end]
        announced = any(l.ends_article or l.known for l in run)
        strong = announced or len(run) >= break_lines
        needed = CONTINUE_MIN_WORDS * (ANNOUNCED_FACTOR if announced else 1)
        far_enough = seen >= min(TAIL_MIN_SHARE * total, TAIL_MIN_WORDS)
        if strong and far_enough and not continues_article(lines, run_end, end, needed):
            return i
        i = run_end
    return end


def continues_article(lines: list[Line], i: int, end: int, needed: float) -> bool:
    """Whether a run of prose of `needed` words follows soon after a break at `i`.

    Prose chunks are read within a window after the break (a box of teaser links may
    sit between two parts of the article); a chunk ends at two break lines in a row.
    A chunk closed by "Read more" is a teaser, however long.
    """
    words = 0
    j = i
    stop = min(end, i + CONTINUE_WINDOW)
    while j < stop:
        line = lines[j]
        if line.ends_article:
            words = 0
        elif is_break(line):
            if j + 1 < end and is_break(lines[j + 1]):
                if words >= needed:
                    return True
                words = 0
        elif line.prose:
            words += line.words
        j += 1
    if j < end and lines[j].ends_article:
        return False
    return words >= needed


def extend_announced_list(lines: list[Line], start: int, end: int) -> int:
    """Keep the list a last paragraph announces ("The tour dates:" then one date a line)."""
    if not start < end < len(lines) or not lines[end - 1].text.endswith(":"):
        return end
    j = end
    while j < len(lines) and j - end < MAX_LIST_ITEMS:
        line = lines[j]
        if line.ui or line.known or line.ends_article or line.caption or line.words > LIST_ITEM_MAX_WORDS:
            break
        if j > end and line.blank_before > 1:
            break
        j += 1
    return j


def list_signature(text: str) -> str:
    """The first punctuation mark near the start of a line: "June 9 – Tampa" -> "–"."""
    match = _SIGNATURE_RE.search(text[:LIST_SIGNATURE_CHARS])
    return match.group(0) if match else ""


def extend_data_list(lines: list[Line], start: int, end: int) -> int:
    """Keep a uniform list right after the article (tour dates, Q&A, standings).

    Teaser and menu lists under an article are mixed or bare words; a list of items
    that all share their punctuation ("England (Group A): ...", "Q: ...", "A: ...")
    and follows the article, maybe under one short heading, is part of it.
    """
    if not start < end < len(lines):
        return end
    first = end
    heading = lines[first]
    if heading.words <= 8 and not (heading.ui or heading.known or heading.ends_article or heading.caption):
        first += 1  # "Qualified teams", "Tour dates"
    signatures: list[str] = []
    for line in lines[first : first + MAX_LIST_ITEMS]:
        if line.ui or line.known or line.ends_article or line.caption or line.words > LIST_ITEM_MAX_WORDS:
            break
        signatures.append(list_signature(line.text))
    common = Counter(sig for sig in signatures[:LIST_SIGNATURE_PROBE] if sig).most_common(1)
    if not common:
        return end
    dominant = common[0][0]
    last, misses = -1, 0
    for k, sig in enumerate(signatures):
        if sig == dominant:
            last, misses = k, 0
        else:
            misses += 1
            if misses > 1:
                break
    matching = signatures[: last + 1].count(dominant)
    if matching < MIN_LIST_ITEMS or matching < LIST_SIGNATURE_SHARE * (last + 1):
        return end
    return first + last + 1


def skip_deck(lines: list[Line], start: int, end: int) -> int:
    """Move the start past a standfirst and byline block at the top of the article.

    A deck is prose, but the byline/dateline after it shows the article proper has not
    begun yet: "headline / deck / By X | May 3, 2024 / first paragraph".
    """
    last_meta = None
    for i in range(start, min(end, start + DECK_WINDOW)):
        if lines[i].meta:
            last_meta = i
    if last_meta is None or last_meta + 1 >= end:
        return start
    if sum(line.words for line in lines[start:last_meta]) > DECK_MAX_WORDS:
        return start
    if not any(line.prose for line in lines[last_meta + 1 : end]):
        return start
    return last_meta + 1


def find_title(lines: list[Line], start: int, end: int) -> int | None:
    """The headline: a title-shaped line before the article that shares its words.

    Headlines have a few words, do not end like a sentence, sit a little above the
    article (images, bylines and share buttons come between) and use the words the
    article goes on to use; sites often print them twice.
    """
    body_words = {w for line in lines[start : min(end, start + 30)] for w in line_tokens(line) if len(w) > 3}
    scores = {}
    for i in range(max(0, start - TITLE_WINDOW), min(start + TITLE_INSIDE, end)):
        score = title_score(lines, i, start, body_words)
        if score is not None:
            scores[i] = score
    best, best_score = None, 0.0
    for i, score in scores.items():
        if score > best_score:
            best, best_score = i, score
    return best


def followed_by_meta(lines: list[Line], i: int) -> bool:
    return any(l.meta for l in lines[i + 1 : i + 1 + META_AFTER_TITLE])


def title_score(lines: list[Line], i: int, start: int, body_words: set[str]) -> float | None:
    """How much line `i` looks like the headline of the article starting at `start`."""
    line = lines[i]
    if not title_shaped(line, before_article=i < start):
        return None
    over_meta = followed_by_meta(lines, i)
    if i >= start and not (over_meta or line.repeats > 1):
        return None  # inside the article only a headline that looks like one...
    if i > start and sum(l.words for l in lines[start:i] if l.prose and not l.tight) > INSIDE_MAX_WORDS:
        return None  # ...and not below real paragraphs (a subheading, an embedded post)
    tokens = [w for w in line_tokens(line) if len(w) > 3]
    # Share of the headline's words the article uses; a two-word label shares easily.
    overlap = sum(t in body_words for t in tokens) / len(tokens) * min(1.0, len(tokens) / 4) if tokens else 0.0
    score = min(line.words, 10) / 3 + TITLE_OVERLAP_WEIGHT * overlap - (start - i) / TITLE_DISTANCE_SCALE
    if line.repeats > 1 and line.words >= 4:
        score += REPEATED_TITLE_BONUS
    if over_meta:
        score += META_TITLE_BONUS  # a byline or dateline follows the headline
        if any(pat.BYLINE_RE.match(l.text) for l in lines[i + 1 : i + 1 + META_AFTER_TITLE] if l.meta):
            score += BYLINE_TITLE_BONUS
    if i >= start:
        score -= 1.0
    if line.text.endswith(".") or line.prose:
        score -= SENTENCE_TITLE_PENALTY
    return score


def title_shaped(line: Line, *, before_article: bool = False) -> bool:
    """Could this line be a headline? Above the article, sentence-like ones may be."""
    if not 2 <= line.words <= 30 or line.ui or line.caption or line.known or line.meta or line.ends_article:
        return False
    if not pat.UI_FRAGMENT_FIRST.isdisjoint(line_tokens(line)) and pat.UI_FRAGMENT_RE.search(line.text):
        return False
    if line.text.endswith((":", ",", ";")) or is_whole_quote(line.text):
        return False
    if before_article and line.words <= SENTENCE_TITLE_WORDS:
        # "Home Depot Stock Is Falling After Its Earnings Release. Why You Shouldn't Worry."
        return True
    if line.text.endswith(".") and not line.text.endswith("..."):
        return False
    return not (line.prose and not line.text.endswith(("?", "!")))


# -- labelling ---------------------------------------------------------------------


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


def body_role(lines: list[Line], i: int) -> Role:
    line = lines[i]
    if line.known or line.ui:
        return Role.BOILERPLATE
    if line.caption or line.duplicate:
        return Role.CAPTION
    if line.meta and not line.prose:
        return Role.META
    if line.repeats > 1 and not line.prose:
        return Role.CAPTION
    if is_list_item(line.text):
        return Role.LIST_ITEM
    if is_whole_quote(line.text):
        return Role.QUOTE
    if line.prose or line.ends_sentence:
        return Role.PARAGRAPH
    if line.words <= 15:
        return Role.HEADING
    return Role.PARAGRAPH


def outside_role(lines: list[Line], i: int, start: int) -> Role:
    line = lines[i]
    if line.caption:
        return Role.CAPTION
    if line.meta or (line.prose and i < start and start - i <= DECK_WINDOW):
        return Role.META  # dateline, byline, or the standfirst just above the article
    if line.duplicate and line.words <= 30 and not line.ui:
        return Role.CAPTION  # image alt text next to its caption
    return Role.BOILERPLATE


def is_note(line: Line) -> bool:
    """An end note: "[ii] For more ...", or "3. See ..." with the look of a citation."""
    if not line.footnote:
        return False
    return bool(pat.BRACKET_NOTE_RE.match(line.text) or pat.CITATION_RE.search(line.text))


def assign_roles(
    lines: list[Line], start: int, end: int, title_at: int | None, *, list_from: int | None = None
) -> list[Role]:
    roles = [Role.BOILERPLATE] * len(lines)
    in_box = False  # inside a "More from UK" / "Related" box the article runs around
    for i in range(len(lines)):
        if start <= i < end:
            line = lines[i]
            in_box = line.ends_article or (in_box and not (line.prose and not line.tight))
            roles[i] = Role.BOILERPLATE if in_box and not line.caption else body_role(lines, i)
            if list_from is not None and i >= list_from and roles[i] in (Role.HEADING, Role.PARAGRAPH):
                roles[i] = Role.LIST_ITEM
        else:
            roles[i] = outside_role(lines, i, start)
    # Notes at the end of the article: the trailing run of marker lines ("[i] For
    # instance ...", "1. See ..."), and such lines after it.
    i = end - 1
    while i >= start and is_note(lines[i]):
        roles[i] = Role.FOOTNOTE
        i -= 1
    for j in range(end, len(lines)):
        if is_note(lines[j]):
            roles[j] = Role.FOOTNOTE
    if title_at is not None:
        for j, line in enumerate(lines):
            if line.text == lines[title_at].text and roles[j] not in (Role.PARAGRAPH, Role.HEADING):
                roles[j] = Role.BOILERPLATE  # the headline repeated in breadcrumbs or "up next"
        roles[title_at] = Role.TITLE
    return roles
