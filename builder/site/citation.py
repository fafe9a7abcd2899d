"""How to cite a briefing: a Chicago-style bibliography entry and a BibTeX entry.

Plain functions of a briefing's metadata and its page's URL; the theme shows both under the
briefing (site_overrides/partials/citation.html), in code blocks Material gives a copy
button. The original is what is cited (its authors, publication, date and URL); the archive's
page follows as where it was read. Deterministic: no access date from the clock (a reader
who needs one adds the day they read it). No MkDocs import here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from builder import urls
from builder.archive.model import BriefingMeta

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
# BibTeX's month macros (written without braces: `month = oct`).
BIBTEX_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# LaTeX's special characters in BibTeX text fields. Braces become commands rather than \{ and
# \}: BibTeX counts every brace, escaped or not, and a title with one "{" would be unbalanced.
_BIBTEX_ESCAPES = {
    "\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}", "&": r"\&", "%": r"\%",
    "$": r"\$", "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}
_BIBTEX_SPECIAL = re.compile("|".join(re.escape(c) for c in _BIBTEX_ESCAPES))
_DATE_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}-")


@dataclass(frozen=True)
class Citation:
    key: str  # the BibTeX key: "<slug>-<year>", "<slug>-nd" when undated
    chicago: str
    bibtex: str


def _one_line(text: str) -> str:
    return " ".join(text.split())


def long_date(date: str | None) -> str:
    """ "2021-10-06" -> "October 6, 2021"; "n.d." (no date) when unknown."""
    if not date:
        return "n.d."
    year, month, day = date.split("-")
    return f"{MONTHS[int(month) - 1]} {int(day)}, {year}"


def inverted(name: str) -> str:
    """ "Alex Thurston" -> "Thurston, Alex": the first author as a bibliography sorts it. A one-word
    name (or one with a comma already) stays as it is."""
    name = _one_line(name)
    if "," in name or " " not in name:
        return name
    given, family = name.rsplit(" ", 1)
    return f"{family}, {given}"


def chicago_authors(authors: tuple[str, ...]) -> str:
    """Chicago's author list: "Last, First", "Last, First, and First Last", "A, B, and C"."""
    names = [_one_line(a) for a in authors if _one_line(a)]
    if not names:
        return ""
    first = inverted(names[0])
    if len(names) == 1:
        return first
    if len(names) == 2:
        return f"{first}, and {names[1]}"
    return ", ".join([first, *names[1:-1]]) + f", and {names[-1]}"


def _sentence(text: str) -> str:
    return text if text.endswith((".", "?", "!")) else text + "."


def chicago(meta: BriefingMeta, page_url: str, *, site_name: str) -> str:
    """A Chicago bibliography entry (notes and bibliography style, a web article):

    Thurston, Alex. “Is Mali Flirting ...?” Responsible Statecraft, October 6, 2021. https://... .
    Archived in Briefing Archive, https://briefings.example.org/briefings/... .
    """
    parts = []
    authors = chicago_authors(meta.authors)
    if authors:
        parts.append(_sentence(authors))
    title = _one_line(meta.title)
    # The period goes inside the quotation marks, unless the title ends with its own mark.
    parts.append(f"“{title}”" if title.endswith((".", "?", "!")) else f"“{title}.”")
    source = _one_line(meta.source or "")
    parts.append(_sentence(f"{source}, {long_date(meta.date)}" if source else long_date(meta.date)))
    if meta.url:
        parts.append(f"{meta.url}.")
    parts.append(f"Archived in {_one_line(site_name)}, {page_url}.")
    return " ".join(parts)


def bibtex_escape(text: str) -> str:
    """Text for a BibTeX field: LaTeX's special characters escaped, one line; other characters
    (accents, non-Latin scripts) kept as they are (UTF-8, which biber and BibTeX 0.99d+ read)."""
    return _BIBTEX_SPECIAL.sub(lambda m: _BIBTEX_ESCAPES[m.group(0)], _one_line(text))


def _bibtex_url(url: str) -> str:
    """A URL for a verbatim field (`url`): only what would break the entry is percent-encoded."""
    return url.replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D").replace(" ", "%20")


def citation_key(path: str, date: str | None) -> str:
    """ "briefings/2021/2021-10-06-mali-wagner.md", "2021-10-06" -> "mali-wagner-2021"."""
    stem = path.rsplit("/", 1)[-1].removesuffix(".md")
    slug = urls.slugify(_DATE_PREFIX.sub("", stem))
    return f"{slug}-{date[:4] if date else 'nd'}"


def _bibtex_name(name: str) -> str:
    # A name holding " and " or a comma (an organisation) is braced: BibTeX would split it.
    name = bibtex_escape(name)
    return f"{{{name}}}" if " and " in name or "," in name else name


def bibtex(meta: BriefingMeta, page_url: str, *, path: str, site_name: str) -> str:
    """A BibTeX @misc entry for the original, with the archive's page in its note."""
    fields: list[tuple[str, str]] = []
    names = [n for n in (_one_line(a) for a in meta.authors) if n]
    if names:
        fields.append(("author", "{" + " and ".join(_bibtex_name(n) for n in names) + "}"))
    fields.append(("title", "{{" + bibtex_escape(meta.title) + "}}"))  # double braces keep its capitals
    if meta.source:
        fields.append(("howpublished", "{" + bibtex_escape(meta.source) + "}"))
    if meta.date:
        year, month, _ = meta.date.split("-")
        fields += [("year", "{" + year + "}"), ("month", BIBTEX_MONTHS[int(month) - 1]), ("date", "{" + meta.date + "}")]
    if meta.url:
        fields.append(("url", "{" + _bibtex_url(meta.url) + "}"))
    archived = _bibtex_url(page_url).replace("%", r"\%").replace("#", r"\#")  # \url inside another field
    fields.append(("note", "{Archived in " + bibtex_escape(site_name) + r", \url{" + archived + "}}"))
    width = max(len(name) for name, _ in fields)
    lines = [f"  {name.ljust(width)} = {value}," for name, value in fields]
    return "@misc{" + citation_key(path, meta.date) + ",\n" + "\n".join(lines) + "\n}"


def cite(meta: BriefingMeta, *, path: str, page_url: str, site_name: str) -> Citation:
    """Both citations of the briefing at `path` (docs-relative), whose page is `page_url` (absolute)."""
    return Citation(
        key=citation_key(path, meta.date),
        chicago=chicago(meta, page_url, site_name=site_name),
        bibtex=bibtex(meta, page_url, path=path, site_name=site_name),
    )
