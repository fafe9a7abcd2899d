"""Link the first mention of each actor in a briefing body to the actor's page.

This runs at render time on the Markdown of a briefing, so a registry change (a new
actor, a new alias) reaches every page on the next build without rewriting files.

A mention is only linked in running text: never inside code (fenced or inline),
headings, existing links or images, footnote definitions, link reference definitions,
raw HTML, attribute lists or bare URLs. Those regions are found first ("protected
spans"); the matcher then runs once over the whole body and mentions that touch a
protected span are dropped.
"""

from __future__ import annotations

import bisect
import re
from typing import Callable, Iterable, Protocol, Sequence

# --- Markdown regions where a link must not be inserted (patterns kept as data) ------------

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATX_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)")
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(?:=+|-+)[ \t]*$")
_FOOTNOTE_DEFINITION = re.compile(r"^ {0,3}\[\^[^\]\n]+\]:")
_REFERENCE_DEFINITION = re.compile(r"^ {0,3}\[[^\]\n]+\]:[ \t]*\S")
_CONTINUATION = re.compile(r"^(?: {4}|\t)|^[ \t]*$")
# Raw HTML at the start of a line opens an HTML block: Markdown is not processed in it
# (up to the next blank line, close enough to Python-Markdown's rule for our purpose).
_HTML_BLOCK_START = re.compile(r"^ {0,3}<(?:[A-Za-z][A-Za-z0-9-]*|!--)[\s/>]")

# Each pattern starts with a literal character (or a small set of them) so the regex engine
# skips ahead to candidates instead of trying every position: at 10,000 briefings an optional
# or grouped first character ("!?[", "(`+)") cost seconds of the build.
_INLINE_PROTECTED = tuple(
    re.compile(pattern, flags)
    for pattern, flags in (
        (r"`(`*).+?`\1", re.DOTALL),  # inline code: a run of backticks, closed by the same run
        (r"<(a|code|pre|script|style|kbd|samp)\b[^>]*>.*?</\1\s*>", re.DOTALL | re.IGNORECASE),  # HTML with content
        (r"<[A-Za-z/!][^>]*>", 0),  # any other tag, autolinks
        # Links and images: an image's "!" needs no protecting (no actor name is a "!").
        (r"\[(?:[^\[\]\n]|\[[^\[\]\n]*\])*\]\([^)\n]*\)", 0),  # inline links and images
        (r"\[(?:[^\[\]\n]|\[[^\[\]\n]*\])*\]\[[^\]\n]*\]", 0),  # reference links
        (r"\[\^[^\]\n]+\]", 0),  # footnote references
        (r"[hHwW](?<!\w[hHwW])(?:(?i:ttps?://)|(?i:ww\.))\S+", 0),  # bare URLs (http://, https://, www.) at a word start
        (r"\{[:#.][^}\n]*\}", 0),  # attribute lists
    )
)
# Characters that would break the Markdown link we write around a mention.
_UNSAFE_IN_LINK_TEXT = re.compile(r"[\[\]`<>\n\\]")


class Mention(Protocol):
    actor_id: str
    start: int
    end: int
    text: str


class Matcher(Protocol):
    def find(self, text: str) -> Sequence[Mention]: ...


def protected_spans(markdown: str) -> list[tuple[int, int]]:
    """Sorted, merged (start, end) character ranges where no link may be inserted."""
    spans: list[tuple[int, int]] = []
    position = 0
    fence: str | None = None
    in_footnote = False
    in_html = False
    previous: tuple[int, int, bool] | None = None  # (start, end, blank) of the previous line
    for line in markdown.splitlines(keepends=True):
        start, end = position, position + len(line)
        position = end
        blank = not line.strip()
        if in_html:
            spans.append((start, end))
            in_html = not blank
        elif fence is not None:
            spans.append((start, end))
            if line.lstrip(" ").startswith(fence) and not line.strip().strip(fence[0]):
                fence = None
        elif match := _FENCE.match(line):
            fence = match.group(1)
            spans.append((start, end))
        elif _HTML_BLOCK_START.match(line) and (previous is None or previous[2]):
            in_html = True
            in_footnote = False
            spans.append((start, end))
        elif _FOOTNOTE_DEFINITION.match(line):
            in_footnote = True
            spans.append((start, end))
        elif in_footnote and _CONTINUATION.match(line):
            spans.append((start, end))
        elif _ATX_HEADING.match(line) or _REFERENCE_DEFINITION.match(line):
            in_footnote = False
            spans.append((start, end))
        elif _SETEXT_UNDERLINE.match(line) and previous is not None and not previous[2]:
            in_footnote = False
            spans.append((previous[0], end))  # the underline and the heading text above it
        else:
            in_footnote = False
        previous = (start, end, blank)
    for pattern in _INLINE_PROTECTED:
        spans.extend(match.span() for match in pattern.finditer(markdown))
    return _merge(spans)


def _merge(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _overlaps(spans: list[tuple[int, int]], starts: list[int], start: int, end: int) -> bool:
    index = bisect.bisect_right(starts, start) - 1
    if index >= 0 and spans[index][1] > start:
        return True
    following = index + 1
    return following < len(spans) and spans[following][0] < end


def linkable_mentions(markdown: str, matcher: Matcher) -> list[Mention]:
    """Mentions in running text (outside every protected span), in text order."""
    spans = protected_spans(markdown)
    starts = [s for s, _ in spans]
    return [
        mention
        for mention in matcher.find(markdown)
        if not _overlaps(spans, starts, mention.start, mention.end)
        and not _UNSAFE_IN_LINK_TEXT.search(markdown[mention.start : mention.end])
    ]


def first_mentions(mentions: Iterable[Mention]) -> list[Mention]:
    """The first mention of each actor, in text order."""
    seen: set[str] = set()
    firsts = []
    for mention in mentions:
        if mention.actor_id not in seen:
            seen.add(mention.actor_id)
            firsts.append(mention)
    return firsts


def mention_counts(mentions: Iterable[Mention]) -> dict[str, int]:
    """How many times each actor is mentioned, by actor id, in first-mention order."""
    counts: dict[str, int] = {}
    for mention in mentions:
        counts[mention.actor_id] = counts.get(mention.actor_id, 0) + 1
    return counts


def mentioned_actor_ids(markdown: str, matcher: Matcher) -> list[str]:
    """Ids of the actors named in running text, by first mention."""
    return [m.actor_id for m in first_mentions(linkable_mentions(markdown, matcher))]


def link_mentions(markdown: str, mentions: Iterable[Mention], href_for: Callable[[str], str | None]) -> str:
    """`markdown` with each of `mentions` (in text order, not overlapping) made a link.

    `href_for(actor_id)` gives the link target (a relative .md path) or None to leave
    that actor unlinked.
    """
    pieces: list[str] = []
    position = 0
    for mention in mentions:
        href = href_for(mention.actor_id)
        if href is None:
            continue
        pieces.append(markdown[position : mention.start])
        pieces.append(f"[{markdown[mention.start : mention.end]}]({href})")
        position = mention.end
    pieces.append(markdown[position:])
    return "".join(pieces)


def link_first_mentions(markdown: str, matcher: Matcher, href_for: Callable[[str], str | None]) -> str:
    """`markdown` with the first running-text mention of each actor made a link."""
    return link_mentions(markdown, first_mentions(linkable_mentions(markdown, matcher)), href_for)
