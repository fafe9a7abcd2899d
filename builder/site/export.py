"""`briefings export --out DIR [--format pages|json]`: the whole site as a plain docs tree that
any generator of the MkDocs family builds without the `briefings` plugin (Zensical, ProperDocs,
MkDocs itself); with `--format json`, the open data files alone (DIR/api/: JSON, CSV and JSON
Schemas, builder.site.opendata).

The tree holds the generated pages (home, actor pages, the actors index, the registry pages,
regions, archive, feeds, the open data files), every briefing as its page shows it (the header,
the first mention of each actor linked, the review notice, the related briefings, the citation:
builder.site.briefing_page and briefing_html, the same functions the plugin uses) and docs/'s
hand-written pages.

A plain generator does not sanitise HTML, so a briefing whose body holds raw HTML or a
script link is refused here (the rules of `briefings check`), before anything is written.
Each file is written to a temporary file and renamed, files whose content did not change are
left alone, and generated files that no longer exist (an actor removed from the registry)
are deleted, only inside the folders export owns.
"""

from __future__ import annotations

import os
from pathlib import Path

from builder.archive.check_briefing import Parsed, check_body, parse_file
from builder.archive.model import Briefing
from builder.fsutil import read_bytes, write_atomic
from builder.site import briefing_html, briefing_page
from builder.site.load import DEFAULT_SITE_NAME, DEFAULT_SITE_URL, Site, SiteError, load_site
from builder.site.markup import frontmatter
from builder.site.opendata import API_DIR

FORMATS = ("pages", "json")
# Top-level folders that hold nothing but generated pages, exported briefings and open data,
# and the suffixes of the files export writes there (anything else in them is left alone).
OWNED_FOLDERS = ("actors", "regions", "archive", "registry", "briefings", "network", API_DIR)
OWNED_SUFFIXES = (".md", ".xml", ".json", ".csv")
RELATED_BRIEFINGS = 5  # as the plugin's default `related_briefings`


def briefing_markdown(site: Site, briefing: Briefing, related_limit: int = RELATED_BRIEFINGS, *,
                      site_url: str = DEFAULT_SITE_URL, site_name: str = DEFAULT_SITE_NAME) -> str:
    """The exported page of a briefing: frontmatter, header, linked body, related briefings, citation."""
    path = briefing.path
    actors = briefing_page.actors_of(site, path)
    fields = briefing_page.header_of(site, briefing, actors)
    body = briefing_page.render_markdown(briefing, briefing.body, site.first_mentions.get(path, ()),
                                         site.graph.briefings_by_actor)
    parts = [
        frontmatter(**{k: v for k, v in (("title", briefing.meta.title), ("description", briefing.meta.summary),
                                          ("tags", briefing_page.tags(briefing.meta, actors))) if v}),
        briefing_html.header(briefing.meta.title, fields, path) + "\n",
        body.rstrip("\n") + "\n",
    ]
    related = site.graph.related_briefings(path, related_limit) if related_limit > 0 else []
    if related:
        anchor = briefing_page.related_anchor(set())
        parts.append(briefing_html.related(briefing_page.related(path, related), anchor) + "\n")
    citation = briefing_page.citation(briefing, site_url=site_url, site_name=site_name)
    parts.append(briefing_html.citation(citation) + "\n")
    return "\n".join(parts)


def _unsafe_bodies(site: Site, docs_dir: Path) -> list:
    """Raw HTML or script links in briefings, each at its file line (check's rules)."""
    problems = []
    for briefing in site.briefings:
        path = docs_dir / briefing.path
        # The bodies are in memory; only a file with a problem is read again, for its lines.
        loaded = Parsed(briefing.path, path.as_posix(), briefing.meta, {}, briefing.body, body_line=1)
        if check_body(loaded, frozenset(), site.registry, links=False):
            parsed, _ = parse_file(path, briefing.path, path.as_posix(), site.registry)
            problems += check_body(parsed or loaded, frozenset(), site.registry, links=False)
    return problems


def _hand_written(folder: Path, prefix: str = "") -> dict[str, bytes]:
    """The files of `folder` (docs/'s own pages and images, not briefings; the theme's assets)."""
    files = {}
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            path = Path(root) / name
            rel = prefix + path.relative_to(folder).as_posix()
            if not name.startswith(".") and rel.split("/")[0] not in OWNED_FOLDERS:
                files[rel] = read_bytes(path)
    return files


def export(
    out_dir: Path,
    *,
    docs_dir: Path = Path("docs"),
    registry_path: Path = Path("registry"),
    site_url: str = DEFAULT_SITE_URL,
    site_name: str = DEFAULT_SITE_NAME,
    assets_dir: Path | None = None,
    format: str = "pages",
) -> int:
    """Write the docs tree under `out_dir`; return how many files it has. `assets_dir` (the
    theme's stylesheets and scripts, site_overrides/assets) is copied to `out_dir`/assets.
    `format="json"`: only the open data files, to `out_dir`/api/.

    Raises `builder.site.load.SiteError` (one line per problem) on bad input, before
    anything is written.
    """
    if format not in FORMATS:
        raise ValueError(f"export format {format!r}: one of {', '.join(FORMATS)}")
    out_dir, docs_dir = Path(out_dir), Path(docs_dir)
    site = load_site(docs_dir, registry_path, site_url=site_url, site_name=site_name)
    contents: dict[str, str | bytes] = {}
    if format == "json":
        contents.update({page.path: page.content for page in site.pages if page.path.startswith(f"{API_DIR}/")})
    else:
        unsafe = _unsafe_bodies(site, docs_dir)
        if unsafe:
            raise SiteError(unsafe)
        contents.update(_hand_written(Path(assets_dir), "assets/") if assets_dir else {})
        contents.update(_hand_written(docs_dir))
        contents.update({page.path: page.content for page in site.pages})
        contents.update({b.path: briefing_markdown(site, b, site_url=site_url, site_name=site_name)
                         for b in site.briefings})
    for rel, content in contents.items():
        write_atomic(out_dir / rel, content)
    for folder in OWNED_FOLDERS if format == "pages" else (API_DIR,):
        root = out_dir / folder
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*"), reverse=True):
            relative = path.relative_to(out_dir).as_posix()
            if path.is_file() and path.suffix in OWNED_SUFFIXES and relative not in contents:
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return len(contents)
