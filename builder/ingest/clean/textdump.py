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

from builder.ingest.clean import patterns as pat
from builder.ingest.clean.lines import (
    SHORT_SENTENCE_WORDS,
    Line,
    is_list_item,
    is_whole_quote,
    mark_lines,
    split_lines,
)
from builder.ingest.clean.title import find_title
from builder.archive.model import Block, CleanedArticle, Role

# The numbers below were chosen on the development pages, always comparing the two
# halves (`python -m builder eval DIR --half 0|1`) and keeping only changes that did
# not help one half at the other's expense.

# Finding the article: a maximum-weight run; prose earns its words, furniture costs.
COST_SHORT = 5.0
COST_UI = 25.0
COST_CAPTION = 12.0
COST_META = 5.0
COST_KNOWN_BOILERPLATE = 30.0
COST_REPEATED = 15.0
TIGHT_FACTOR = 0.1  # weight of a prose line packed without blank lines (lines.mark_tight)

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

# Where it starts, below its headline (clean/title.py) and deck.
DECK_WINDOW = 4  # lines at the top of the article searched for a byline block
DECK_MAX_WORDS = 60  # a standfirst is a sentence or two

_GLUED_TEASER_RE = re.compile(r"^(?:\S+ ){2,15}?\S*[a-z\d][A-Z](?:[a-z]|\s)")
_SIGNATURE_RE = re.compile(r"[^\w\s'’.,!?-]|(?<=\s)-(?=\s)")  # a hyphen only between spaces


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
    teasers = glued_teasers(lines)
    for i, line in enumerate(lines):
        if running <= 0:
            running, run_start = 0.0, i
        running += -COST_SHORT if i in teasers else line_weight(line)
        if running > best:
            best, best_span = running, (run_start, i + 1)
    return best_span


def glued_teasers(lines: list[Line]) -> set[int]:
    """Prose lines in a run of 2+ that each glue a headline onto its summary: a teaser list.

    innerText runs a card's headline and summary together when both are inline-block
    ("...Honored As Student-AthleteA 24-year-old senior ..."); article paragraphs never do.
    """
    glued = [i for i, line in enumerate(lines) if line.prose and is_glued_teaser(line.text)]
    found: set[int] = set()
    run: list[int] = []
    for i in glued + [-2]:
        if run and i == run[-1] + 1:
            run.append(i)
            continue
        if len(run) >= 2:
            found.update(run)
        run = [i]
    return found


def is_glued_teaser(text: str) -> bool:
    """A title-case headline of 4+ words glued onto a summary (not prose naming "the new MacBook")."""
    match = _GLUED_TEASER_RE.match(text)
    if match is None:
        return False
    head = match.group(0)[:-2].split()
    if len(head) < 4 or any(w.endswith(".") for w in head[:-1]):
        return False
    return sum(w[0].isupper() or w[0].isdigit() for w in head) >= 2 * len(head) / 3


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


# -- labelling ---------------------------------------------------------------------


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
