"""The checks of one briefing on its own, the second step of `briefings check`: it is parsed
quickly (`parse_file`; the frontmatter's problems come from `schema`'s rules), then its file
name, its body (raw HTML, unsafe or broken links) and its `actors` list.

Separate from `builder.archive.check`, which runs these on every briefing (on forked workers
when the archive is large) and then checks the archive as a whole; ingest also checks a
Markdown draft's body with `check_body`.
"""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable
from urllib.parse import unquote

import frontmatter
import yaml

from builder import urls
from builder.archive.actors import Registry
from builder.archive.fast_read import fast_frontmatter_lines, read_text, scan_key_lines
from builder.archive.files import BRIEFINGS_DIR
from builder.archive.matching import ActorMatcher
from builder.archive.model import BriefingMeta
from builder.archive.refresh import ActorPrefilter, actor_source, stale_actors
from builder.archive.schema import load_untrusted_yaml, parse_briefing, validate_frontmatter
from builder.errors import BuildError

# ------------------------------------------------------------------ rules as data

SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
DATED_PATH = re.compile(rf"^{BRIEFINGS_DIR}/(\d{{4}})/(\d{{4}}-\d{{2}}-\d{{2}})-({SLUG})\.md$")
UNDATED_PATH = re.compile(rf"^{BRIEFINGS_DIR}/undated/({SLUG})\.md$")
UNSAFE_SCHEMES = ("javascript:", "data:", "vbscript:")
# Pages the site generates (builder/urls.py); links to them are valid without a file.
GENERATED_PAGES = frozenset({"index.md", "actors/index.md", "regions/index.md", "archive/index.md", "feed.xml",
                             urls.NETWORK})

# An HTML tag, comment, processing instruction or CDATA: autolinks (<https://...>) are not.
_HTML = re.compile(r"<(?:/?[A-Za-z][A-Za-z0-9-]*(?=[\s/>])[^<>]*>|!--|!\[CDATA\[|\?[A-Za-z])")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_INLINE_LINK = re.compile(r"(?<!\\)\]\(\s*(<[^>\n]*>|[^)\s]+)")
_REFERENCE_DEF = re.compile(r"^ {0,3}\[(?!\^)[^\]]+\]:\s*(<[^>\n]*>|\S+)")
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^>\s]*)>")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_INVISIBLE = re.compile(r"[\s\x00-\x1f\x7f]+")
_FM_HANDLER = frontmatter.YAMLHandler()


@dataclass(frozen=True)
class Parsed:
    """One briefing as the archive-wide checks need it."""

    rel: str  # docs-relative path: briefings/2021/2021-10-06-slug.md
    shown: str  # as reported: relative to the repository root
    meta: BriefingMeta | None  # None: the frontmatter is unusable (its problems are reported)
    key_lines: dict[str, int]
    body: str
    body_line: int  # line of the file where the body starts (the rest of the closing '---' line)

    @property
    def text_line(self) -> int:
        """The body's first line with text: where a reviewer looks for a body-wide problem."""
        return self.body_line + len(self.body) - len(self.body.lstrip("\n"))



def parse_file(
    path: Path, rel: str, shown: str, registry: Registry, known: frozenset[str] | None = None
) -> tuple[Parsed | None, list[BuildError]]:
    """Parse one briefing quickly; the frontmatter's problems come from `schema`'s rules.

    None when there is no body to speak of (unreadable, no frontmatter, broken YAML); a
    `Parsed` with `meta=None` when only the frontmatter is unusable, so that its body is
    still checked.
    """
    known, regions = known if known is not None else frozenset(registry.by_id), registry.regions
    try:
        text = read_text(path)
    except (OSError, UnicodeDecodeError) as exc:
        return None, [BuildError(shown, f"cannot be read as UTF-8 text ({exc.__class__.__name__})", line=1)]
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        if not _FM_HANDLER.detect(text):
            raise ValueError("no frontmatter")
        fm_text, body = _FM_HANDLER.split(text)
        fm_first_line = text.count("\n", 0, text.find(fm_text, 3)) + 1
        read = fast_frontmatter_lines(fm_text, fm_first_line)
        if read is not None:
            data, key_lines = read
        else:
            data = load_untrusted_yaml(shown, fm_text, first_line=fm_first_line, field="frontmatter") or {}
            key_lines = scan_key_lines(fm_text, fm_first_line)
        if not isinstance(data, dict):
            raise ValueError("not a mapping")
    except (ValueError, yaml.YAMLError, BuildError):
        # Broken: the slow, exact parser says precisely what and where.
        return None, parse_briefing(shown, text, known_actors=known, regions=regions)[1]
    meta, problems = validate_frontmatter(shown, data, key_lines, known_actors=known, regions=regions)
    body_line = text.count("\n", 0, len(text) - len(body)) + 1
    return Parsed(rel, shown, meta, key_lines, body, body_line), problems


def check_filename(briefing: Parsed) -> list[BuildError]:
    """briefings/<YYYY>/<YYYY-MM-DD>-<slug>.md, matching the date; briefings/undated/<slug>.md without one."""
    meta, rel = briefing.meta, briefing.rel
    line = briefing.key_lines.get("date", 1)

    def problem(message: str) -> list[BuildError]:
        return [BuildError(briefing.shown, message, line=line, field="filename")]

    if meta.date:
        expected = f"{BRIEFINGS_DIR}/{meta.date[:4]}/{meta.date}-<slug>.md"
        match = DATED_PATH.match(rel)
        if match is None:
            return problem(f"file name must be {expected}, the slug in lower-case a-z, 0-9 and single hyphens")
        if match.group(1) != meta.date[:4] or match.group(2) != meta.date:
            return problem(f"file name does not match the date {meta.date}: move it to {expected}")
        return []
    if UNDATED_PATH.match(rel) is None:
        return problem(f"a briefing without a date must be {BRIEFINGS_DIR}/undated/<slug>.md, "
                       "the slug in lower-case a-z, 0-9 and single hyphens")
    return []


def _body_lines(briefing: Parsed) -> Iterable[tuple[int, str]]:
    """(file line, text) of body lines outside fenced code, with inline code blanked out."""
    fence: str | None = None
    for number, line in enumerate(briefing.body.split("\n"), start=briefing.body_line):
        opening = _FENCE.match(line)
        if fence is not None:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = None
            continue
        if opening:
            fence = opening.group(1)
            continue
        if "`" in line:
            line = _CODE_SPAN.sub(lambda m: " " * len(m.group()), line)
        yield number, line


def check_body(briefing: Parsed, docs_files: frozenset[str], registry: Registry, *, links: bool = True) -> list[BuildError]:
    """Raw HTML, links with script schemes, internal links that lead nowhere (`links=False`:
    not that last one, for a draft whose links are checked once it is in docs/)."""
    problems: list[BuildError] = []
    body = briefing.body
    if "<" not in body and "](" not in body and "]:" not in body:
        return problems  # no tag, autolink, inline link or link definition: nothing to look at line by line

    def problem(line: int, message: str) -> None:
        problems.append(BuildError(briefing.shown, message, line=line, field="body"))

    for number, line in _body_lines(briefing):
        if "<" in line:
            tag = _HTML.search(line)  # one report per line is enough to find the rest
            if tag:
                problem(number, f"raw HTML {tag.group()[:40]!r}: write Markdown instead (the site does not render HTML in briefings)")
        if "](" not in line and "]:" not in line and ":" not in line:
            continue
        targets = [m.group(1) for m in _INLINE_LINK.finditer(line)]
        targets += [m.group(1) for m in _REFERENCE_DEF.finditer(line)]
        targets += [m.group(1) for m in _AUTOLINK.finditer(line)]
        # An autolink inside a link's brackets is one target, reported once.
        targets = dict.fromkeys(t[1:-1] if t.startswith("<") and t.endswith(">") else t for t in targets)
        for target in targets:
            bare = _INVISIBLE.sub("", html.unescape(unquote(target))).lower()
            if bare.startswith(UNSAFE_SCHEMES):
                problem(number, f"unsafe link {target[:40]!r}: javascript:, data: and vbscript: links are not allowed")
            elif links and not (_SCHEME.match(target) or target.startswith(("//", "#"))):
                missing = _missing_target(target, briefing.rel, docs_files, registry)
                if missing:
                    problem(number, f"broken link {target!r}: {missing}")
    return problems


def _missing_target(target: str, source: str, docs_files: frozenset[str], registry: Registry) -> str | None:
    """Why an internal link leads nowhere, or None when it leads to a page (file or generated).

    As `mkdocs build --strict` with this site's validation settings sees it: a link must be
    relative to the briefing and name the target's file (`../../actors/mali/index.md`);
    absolute links and links to folders are left as they are and fail the build.
    """
    path = unquote(target.split("#", 1)[0].split("?", 1)[0])
    if not path:
        return None
    if path.startswith(("/", "\\")):
        return "absolute links break when the site is not at the server's root; link relative to this file"
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(source), path))
    if resolved == ".." or resolved.startswith("../"):
        return "it points outside docs/"
    if not posixpath.splitext(resolved)[1]:
        page = posixpath.join(resolved, "index.md")
        hint = posixpath.relpath(page, posixpath.dirname(source))
        return f"links must name a file: write {hint!r}" + ("" if page in docs_files or _generated(page, registry) else f" (but there is no page {page} either)")
    if resolved in docs_files or _generated(resolved, registry):
        return None
    return f"no page {resolved} in docs/ (nor a generated actor, region or archive page)"


def _generated(src: str, registry: Registry) -> bool:
    """A page the site plugin generates (builder/urls.py): every actor, region and year."""
    if src in GENERATED_PAGES:
        return True
    parts = src.split("/")
    if parts[0] == "actors" and len(parts) >= 3 and parts[1] in registry.by_id:
        return parts[2:] in (["index.md"], ["feed.xml"]) or (len(parts) == 5 and parts[2] == "page" and parts[4] == "index.md")
    if parts[0] == "regions" and len(parts) >= 3 and parts[1] in {urls.slugify(r) for r in registry.regions}:
        return parts[2:] == ["index.md"] or (len(parts) == 5 and parts[2] == "page" and parts[4] == "index.md")
    if parts[0] == "archive" and len(parts) >= 3 and re.fullmatch(r"\d{4}|undated", parts[1]):
        return parts[2:] == ["index.md"] or (len(parts) == 5 and parts[2] == "page" and parts[4] == "index.md")
    return False


def check_stale_actors(
    briefing: Parsed, matcher: ActorMatcher, registry: Registry, prefilter: ActorPrefilter, root: Path,
    *, text: str | None = None, folded: str | None = None, word_set: set[bytes] | None = None,
) -> list[BuildError]:
    """A briefing whose `actors` list misses what the registry now matches in its text."""
    staleness = stale_actors(briefing.meta, briefing.body, matcher, registry, lambda meta: actor_source(meta, root),
                             prefilter=prefilter, text=text, folded=folded, word_set=word_set)
    if not staleness.added:
        return []
    return [BuildError(
        briefing.shown, f"stale: the registry now also matches {', '.join(staleness.added)} in this briefing; "
        "run `briefings actors refresh` (or exclude them in the raw file's sidecar)",
        line=briefing.key_lines.get("actors", briefing.key_lines.get("title", 1)), field="actors",
    )]
