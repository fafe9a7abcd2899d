"""`python -m builder export --out DIR`: the generated pages as plain files (home, actor
pages, the actors index, the registry pages, regions, archive, feeds).

The tree can be rendered by any MkDocs-compatible generator next to docs/, and is what
the golden tests compare. Each file is written to a temporary file and renamed, files
whose content did not change are left alone, and generated files that no longer exist
(an actor removed from the registry) are deleted, only inside the folders export owns.
"""

from __future__ import annotations

from pathlib import Path

from builder.fsutil import write_atomic
from builder.site.load import DEFAULT_SITE_NAME, DEFAULT_SITE_URL, load_site

# Top-level folders that hold nothing but generated pages.
OWNED_FOLDERS = ("actors", "regions", "archive", "registry")


def export(
    out_dir: Path,
    *,
    docs_dir: Path = Path("docs"),
    registry_path: Path = Path("registry"),
    site_url: str = DEFAULT_SITE_URL,
    site_name: str = DEFAULT_SITE_NAME,
) -> int:
    """Write every generated page under `out_dir`; return how many pages there are.

    Raises `builder.site.load.SiteError` (one line per problem) on bad input,
    before anything is written.
    """
    out_dir = Path(out_dir)
    site = load_site(Path(docs_dir), Path(registry_path), site_url=site_url, site_name=site_name)
    wanted = {page.path for page in site.pages}
    for page in site.pages:
        write_atomic(out_dir / page.path, page.content)
    for folder in OWNED_FOLDERS:
        root = out_dir / folder
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*"), reverse=True):
            relative = path.relative_to(out_dir).as_posix()
            if path.is_file() and path.suffix in (".md", ".xml") and relative not in wanted:
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return len(site.pages)
