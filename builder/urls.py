"""Paths and URLs of site pages: one place that knows how a source path becomes a URL.

At the bottom of the layers (like errors and fsutil): the site writes these pages, and
`check` accepts links that contributors write to them.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

# Docs-relative source paths of the generated pages.
HOME = "index.md"
ACTORS_INDEX = "actors/index.md"
REGIONS_INDEX = "regions/index.md"
ARCHIVE_INDEX = "archive/index.md"
REGISTRY = "registry/index.md"
FEED = "feed.xml"
NETWORK = "network/index.md"
NETWORK_DATA = "network/graph.json"  # the network page's data (builder/site/network_data.py)


def actor_page(actor_id: str, page: int = 1) -> str:
    return f"actors/{actor_id}/index.md" if page == 1 else f"actors/{actor_id}/page/{page}/index.md"


def registry_page(page: int = 1) -> str:
    return REGISTRY if page == 1 else f"registry/page/{page}/index.md"


def actor_feed(actor_id: str) -> str:
    return f"actors/{actor_id}/feed.xml"


def region_page(region: str, page: int = 1) -> str:
    slug = slugify(region)
    return f"regions/{slug}/index.md" if page == 1 else f"regions/{slug}/page/{page}/index.md"


def year_page(year: str, page: int = 1) -> str:
    return f"archive/{year}/index.md" if page == 1 else f"archive/{year}/page/{page}/index.md"


def slugify(text: str) -> str:
    """ASCII, lower case, hyphen separated: "Sahel & West Africa" -> "sahel-west-africa"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "region"


def page_url(src_path: str) -> str:
    """The site-relative URL MkDocs gives a source file (use_directory_urls: true)."""
    if not src_path.endswith(".md"):
        return src_path
    stem = src_path[: -len(".md")]
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def link(from_src: str, to_src: str) -> str:
    """A relative link between two source files, as written in Markdown (MkDocs resolves it).

    Both are docs-relative POSIX paths. Percent-encoded, so that a file name with spaces
    or parentheses stays one link target. (String work only: posixpath.relpath calls
    abspath, which dominated the time to generate 10,000 briefings' pages.)
    """
    from_dir = from_src.split("/")[:-1]
    target = to_src.split("/")
    common = 0
    while common < len(from_dir) and common < len(target) - 1 and from_dir[common] == target[common]:
        common += 1
    relative = "/".join([".."] * (len(from_dir) - common) + target[common:])
    return quote(relative, safe="/-._~")


def href(from_src: str, to_src: str) -> str:
    """The URL of `to_src` relative to the page built from `from_src`, as MkDocs writes it
    into HTML (use_directory_urls): for listings emitted as raw HTML, which MkDocs leaves alone."""
    return relative_url(from_src, page_url(to_src))


def absolute_url(site_url: str, src_path: str) -> str:
    return site_url.rstrip("/") + "/" + page_url(src_path)


def relative_url(from_src: str, site_url: str) -> str:
    """A site-relative URL ("actors/mali/") as a link from the page built from `from_src`
    (what MkDocs' `url` template filter gives)."""
    return link(page_url(from_src) + "index.html", site_url) or "./"
