"""Clean an HTML page with trafilatura, then label what it keeps.

trafilatura finds the main content and renders it as Markdown; the Markdown markup
becomes the role ("## x" -> HEADING, "> x" -> QUOTE, "- x" -> LIST_ITEM). On top we
drop the source's learned boilerplate lines, label captions, credits and widgets with
the same vocabulary as the text-dump cleaner, and keep end notes as FOOTNOTE.
"""

from __future__ import annotations

import re
from copy import deepcopy
from functools import lru_cache
from typing import Any

from builder.ingest.clean import patterns as pat
from builder.ingest.clean.boilerplate import normalise_line
from builder.ingest.clean.lines import Line, count_words, mark_lines
from builder.ingest.clean.textdump import cut_tail
from builder.archive.model import Block, CleanedArticle, Role

_HEADING_RE = re.compile(r"^#{1,6}\s+")
_QUOTE_RE = re.compile(r"^(?:\\?>\s?)+")  # xmltotxt escapes a leading ">"
_LIST_RE = re.compile(r"^(?:[-*+•]|\d{1,3}[.)])\s+")
_BOLD_RE = re.compile(r"\*\*(.+?)\*\*")
_ITALIC_RE = re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])")
_TABLE_RULE_RE = re.compile(r"^\|?[\s:|-]+\|?$")
_INNER_HEADING_RE = re.compile(r"\s#{1,6}\s")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}")

# trafilatura's trade-off, as measured on the dev set (see builder/ingest/evaluate.py).
FAVOR_PRECISION = False
FAVOR_RECALL = True
CUT_TAIL = True  # end the article at a newsletter box / "Related" list trafilatura kept
TITLE_LOOKAHEAD = 5  # the headline repeated in the first blocks is the title, not body
FAST = True  # skip the fallback extractors (faster, see the measured trade-off)


def clean_html(html: str, *, url: str | None = None, boilerplate: frozenset[str] = frozenset()) -> CleanedArticle:
    document = extract_document(html, url)
    if document is None:
        return CleanedArticle(title=None, blocks=())
    markdown = _body_markdown(document)
    found = metadata(document)
    blocks = label_markdown(markdown, boilerplate, found.get("title"))
    return CleanedArticle(title=found.get("title"), blocks=blocks, found=found)


def warm_up() -> None:
    """Pay now what the first pages of a batch would: loading trafilatura, and dateparser
    building its 205 locales, each the first time a page's date string needs it (a few
    seconds in all, once per process). A batch that forks workers calls this first, so
    each worker does not pay it again; the output does not depend on it.
    """
    clean_html("<html><body><article><p>Warm-up.</p></article></body></html>")
    try:
        from htmldate.extractors import get_external_parser, month_words
    except ImportError:
        return  # htmldate moved these: the warm-up is only a head start, the output does not change
    month_words()
    get_external_parser().get_date_data("xyzzy 12 qwerty 2021")  # no locale matches: all are built


def extract_document(html: str, url: str | None) -> Any | None:
    """trafilatura's Document for the page, or None when it finds nothing (or fails).

    The page is parsed once; the metadata we keep is read off that tree, then trafilatura
    extracts the body from it. Same result as `bare_extraction(html, with_metadata=True)`
    without the categories, tags and licence it would also look for (an eighth of the time).
    """
    if not html or not html.strip():
        return None
    # Imported here: trafilatura takes a while to load and text dumps never need it. Outside
    # the `try`: a missing dependency (lxml_html_clean, say) is an install problem, raised as itself.
    import trafilatura
    from lxml.etree import LxmlError
    from trafilatura.settings import Extractor
    from trafilatura.utils import load_html

    try:
        tree = load_html(html)
        if tree is None:
            return None
        document = page_metadata(tree, url)
        options = Extractor(
            output_format="markdown",
            formatting=True,
            comments=False,
            tables=True,
            precision=FAVOR_PRECISION,
            recall=FAVOR_RECALL,
            fast=FAST,
            url=url or document.url,
        )
        extracted = trafilatura.bare_extraction(tree, options=options)
        if extracted is None:
            return None
        document.body, document.raw_text, document.text = extracted.body, extracted.raw_text, extracted.text
        return document
    except (LxmlError, ValueError):
        # What lxml says of a page it cannot parse (garbage bytes, an encoding declaration it
        # refuses): no article. Anything else is a bug, and is reported as one.
        return None


def page_metadata(tree: Any, url: str | None) -> Any:
    """trafilatura's `extract_metadata`, limited to the fields `metadata()` keeps.

    Kept step for step (same order, same fallbacks) so the values are trafilatura's own.
    """
    from trafilatura import metadata as tm
    from trafilatura.settings import set_date_params

    # bare_extraction passes its `fast` flag as extract_metadata's `extensive` argument
    date_config = set_date_params(FAST)
    found = tm.examine_meta(tree)
    if found.author and " " not in found.author:
        found.author = None
    try:
        found = tm.extract_meta_json(tree, found)
    except (ValueError, TypeError, AttributeError, KeyError, IndexError):
        # A page's malformed JSON-LD trips trafilatura's reader in these ways; the other
        # metadata sources still apply (trafilatura's own extract_metadata does the same).
        pass
    if not found.title:
        found.title = tm.extract_title(tree)
    if not found.author:
        found.author = page_author(tree)
    if not found.url:
        found.url = tm.extract_url(tree, url)
    if found.url:
        found.hostname = tm.extract_domain(found.url, fast=True)
    date_config["url"] = found.url
    found.date = tm.find_date(tree, **date_config)
    if not found.sitename:
        found.sitename = tm.extract_sitename(tree)
    if found.sitename:
        found.sitename = found.sitename.lstrip("@")
        if "." not in found.sitename and not found.sitename[0].isupper():
            found.sitename = found.sitename.title()
    elif found.url:
        match = tm.META_URL.match(found.url)
        if match:
            found.sitename = match[1]
    found.filedate = date_config.get("max_date")
    found.clean_and_trim()
    return found


def page_author(tree: Any) -> str | None:
    """trafilatura's `extract_author`, read in one pass over the page instead of five XPaths.

    trafilatura deep-copies the tree, deletes the nodes of AUTHOR_DISCARD_XPATHS (comments,
    dates, figures...) and returns the first AUTHOR_XPATHS match whose text is 3 to 119
    characters. Those XPaths test an element's tag and attributes only, with EXSLT regexes
    that call back into Python for every element (a quarter of an HTML page's cleaning
    time). `author_nodes` applies the same tests in Python (tests/unit/test_clean_html.py
    checks them against trafilatura's XPaths); a match left after the deletions is a match
    outside the deleted nodes, and only one with deleted nodes inside needs a copy to read.
    """
    from trafilatura import metadata as tm
    from trafilatura.xml import delete_element

    if tree.find(".//rel") is not None:  # `rel='me'` reads a child <rel> element: let trafilatura do it
        return tm.extract_author(tree)
    discarded, figures, matches = author_nodes(tree)
    discarded_set = set(discarded)
    later = [e for e in figures if not _inside(e, discarded_set)]  # deleted second, as trafilatura does
    discarded.extend(later)
    discarded_set.update(later)
    for results in matches:
        for elem in results:
            if _inside(elem, discarded_set):
                continue
            inside = {e for e in elem.iterdescendants() if e in discarded_set} if len(elem) else None
            if inside:
                inner = [e for e in discarded if e in inside]  # in trafilatura's order of deletion
                copied = deepcopy(elem)
                twin = dict(zip(elem.iter(), copied.iter()))
                for e in inner:
                    delete_element(twin[e])
                elem = copied
            content = tm.trim(" ".join(elem.itertext()))
            if content and 2 < len(content) < 120:
                return tm.normalize_authors(None, content)
    return None


# trafilatura 2.3's AUTHOR_DISCARD_XPATHS and AUTHOR_XPATHS, test for test (see author_nodes).
_DISCARD_TAGS = frozenset({"a", "div", "section", "span"})
_DISCARD_VALUES = frozenset({"comments", "title", "date"})  # @class (and "comments" for @id)
_DISCARD_ID_RE = re.compile("^comments|comment-?list|ProductReviews")
_DISCARD_CLASS_RE = re.compile(
    "^[Cc]omments|commentlist|comments-list|sidebar|is-hidden|quote|embedly-instagram|"
    "article-(?:share|support)|print|category|meta-date|meta-reviewer"
)
_AUTHOR1_TAGS = frozenset({"a", "address", "div", "link", "p", "span", "strong"})
_AUTHOR1_CLASS_RE = re.compile("author-?name|AuthorName|authorName")
_AUTHOR2_TAGS = frozenset({"a", "div", "h3", "h4", "p", "span"})
_AUTHOR2_CLASSES = frozenset({"byline", "username", "byl", "BBL"})
_AUTHOR2_ID_RE = re.compile("author|zuozhe|bianji|xiaobian")
_AUTHOR2_CLASS_RE = re.compile("author|channel-name|zuozhe|bianji|xiaobian|submitted-by|posted-by|journalist-name")
_AUTHOR3_ID_RE = re.compile("[Aa]uthor")
_AUTHOR3_CLASS_RE = re.compile("[Aa]uthor|screenname|writer|[Bb]yline")


# The elements any of the tests below can select: those with one of the attributes they
# read, or the tags they name (found by libxml2 without calling back into Python).
_AUTHOR_CANDIDATES_XPATH = (
    "//*[@class or @id or @itemprop or @data-component or @rel or @data-testid"
    " or self::time or self::figure or self::author]"
)


@lru_cache(maxsize=1)
def _author_candidates() -> Any:
    from lxml.etree import XPath

    return XPath(_AUTHOR_CANDIDATES_XPATH)


def author_nodes(tree: Any) -> tuple[list, list, tuple[list, list, list]]:
    """What AUTHOR_DISCARD_XPATHS (the first; //time|//figure) and the three AUTHOR_XPATHS
    select on the page, each in document order. (The `rel='me'` test is left out: a <rel>
    child element, which page_author hands to trafilatura.)"""
    discarded: list = []
    figures: list = []
    first: list = []
    second: list = []
    third: list = []
    for elem in _author_candidates()(tree):
        tag = elem.tag
        get = elem.get
        cls, ident, itemprop = get("class", ""), get("id", ""), get("itemprop", "")
        component = get("data-component", "")
        if tag in _DISCARD_TAGS and elem is not tree and (
            ident == "comments" or cls in _DISCARD_VALUES or (ident and _DISCARD_ID_RE.search(ident))
            or (cls and _DISCARD_CLASS_RE.search(cls)) or "Figure" in component
        ):
            discarded.append(elem)
        if tag == "time" or tag == "figure":
            figures.append(elem)
        if tag == "author" or tag in _AUTHOR1_TAGS and (
            get("rel") == "author" or ident == "author" or cls == "author" or itemprop == "author name"
            or get("data-testid") in ("AuthorCard", "AuthorURL") or (cls and _AUTHOR1_CLASS_RE.search(cls))
        ):
            first.append(elem)
        if tag in _AUTHOR2_TAGS and (
            cls in _AUTHOR2_CLASSES or "author" in itemprop or (ident and _AUTHOR2_ID_RE.search(ident))
            or (cls and _AUTHOR2_CLASS_RE.search(cls))
        ):
            second.append(elem)
        if "Byline" in component or "author" in itemprop or (ident and _AUTHOR3_ID_RE.search(ident)) or (
            cls and _AUTHOR3_CLASS_RE.search(cls)
        ):
            third.append(elem)
    return discarded, figures, (first, second, third)


def _inside(elem: Any, nodes: set) -> bool:
    """Whether `elem` or one of its ancestors is in `nodes`."""
    while elem is not None:
        if elem in nodes:
            return True
        elem = elem.getparent()
    return False


def _body_markdown(document: Any) -> str:
    from trafilatura.xml import xmltotxt

    if getattr(document, "body", None) is None:
        return document.text or ""
    from lxml.etree import LxmlError

    try:
        _mark_quotes(document.body)
        return xmltotxt(document.body, True) or ""
    except (LxmlError, ValueError):  # a tree trafilatura cannot serialise: its plain text instead
        return document.text or ""


def _mark_quotes(body: Any) -> None:
    """Prefix quoted paragraphs with "> ": trafilatura renders <quote> as plain text."""
    for quote in body.iter("quote"):
        paragraphs = [p for p in quote.iter("p")] or [quote]
        for paragraph in paragraphs:
            if paragraph.text and paragraph.text.strip():
                paragraph.text = "> " + paragraph.text.lstrip()


def metadata(document: Any) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, attr in (("title", "title"), ("sitename", "sitename"), ("url", "url"), ("description", "description")):
        value = getattr(document, attr, None)
        if isinstance(value, str) and value.strip():
            found[key] = value.strip()
    date = getattr(document, "date", None)
    if isinstance(date, str) and _DATE_RE.match(date):
        found["date"] = date[:10]
    author = getattr(document, "author", None)
    if isinstance(author, str) and author.strip():
        found["authors"] = [a.strip() for a in re.split(r";|\s+and\s+", author) if a.strip()]
    return found


def strip_inline(text: str) -> str:
    if "*" not in text:  # (both patterns need one: most lines skip the two scans)
        return text.strip()
    text = _BOLD_RE.sub(r"\1", text)
    return _ITALIC_RE.sub(r"\1", text).strip()


def markdown_role(line: str) -> tuple[Role, str]:
    if _HEADING_RE.match(line):
        return Role.HEADING, _HEADING_RE.sub("", line)
    if _QUOTE_RE.match(line):
        return Role.QUOTE, _QUOTE_RE.sub("", line)
    if _LIST_RE.match(line):
        return Role.LIST_ITEM, _LIST_RE.sub("", line, count=1)
    return Role.PARAGRAPH, line


def _block_line(text: str) -> Line:
    tokens = pat.WORD_RE.findall(text.lower())
    # An ASCII line has as many words as lower-case tokens (elsewhere lower-casing may
    # split a word: "İ" becomes "i" and a combining dot), and no CJK: tokenised once.
    words = len(tokens) if text.isascii() else count_words(text)
    return Line(0, text, words, 0, text[-1] in pat.SENTENCE_END, None, tokens=tokens)


def label_markdown(markdown: str, boilerplate: frozenset[str], title: str | None = None) -> tuple[Block, ...]:
    """Blocks with roles: the Markdown markup first, then what the text itself shows.

    The same line features as the text-dump cleaner decide widgets, credits and
    datelines; its tail cut ends the article at a newsletter box or a "Related" list
    that trafilatura kept.
    """
    parsed: list[tuple[Role, str]] = []
    for raw in markdown.split("\n"):
        raw = raw.strip()
        if not raw or "-" in raw and _TABLE_RULE_RE.match(raw):
            continue
        role, text = markdown_role(raw)
        text = strip_inline(_INNER_HEADING_RE.sub(" ", text) if "#" in text else text)
        if text:
            parsed.append((role, text))
    if not parsed:
        return ()
    lines = [_block_line(text) for _, text in parsed]
    mark_lines(lines, boilerplate)
    # trafilatura already dropped most furniture: only announced breaks ("Related",
    # a newsletter box) end the article here, not runs of short lines (tables, lists).
    end = cut_tail(lines, 0, len(lines), break_lines=len(lines) + 1) if CUT_TAIL else len(lines)
    title_key = normalise_line(title) if title else None
    blocks: list[Block] = []
    for i, ((role, text), line) in enumerate(zip(parsed, lines)):
        if line.known or line.ui:
            role = Role.BOILERPLATE
        elif line.caption:
            role = Role.CAPTION
        elif pat.BRACKET_NOTE_RE.match(text):
            role = Role.FOOTNOTE
        elif title_key and i < TITLE_LOOKAHEAD and normalise_line(text) == title_key:
            role = Role.TITLE
        elif line.meta and not line.prose and role is not Role.LIST_ITEM:
            role = Role.META
        elif i >= end:
            role = Role.BOILERPLATE
        blocks.append(Block(role=role, text=text))
    return tuple(blocks)
