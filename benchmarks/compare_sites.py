"""Compare two built sites by page list and link graph (issue 18: "same pages, same links").

    .venv/bin/python benchmarks/compare_sites.py OLD_SITE NEW_SITE

Prints the HTML pages only one site has, and for each page both have, the internal links
(resolved to site paths) only one of them has. Exit 0 when both agree.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

_HREF = re.compile(r'\shref="([^"]*)"')


def link_graph(site: Path) -> dict[str, set[str]]:
    graph = {}
    for page in sorted(site.rglob("*.html")):
        rel = page.relative_to(site).as_posix()
        targets = set()
        for href in _HREF.findall(page.read_text(encoding="utf-8", errors="replace")):
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path:
                continue
            target = unquote(urljoin("/" + rel, parts.path))
            targets.add(target + "index.html" if target.endswith("/") else target)
        graph[rel] = targets
    return graph


def main(old: str, new: str) -> int:
    before, after = link_graph(Path(old)), link_graph(Path(new))
    only_old, only_new = sorted(set(before) - set(after)), sorted(set(after) - set(before))
    print(f"pages: {len(before)} before, {len(after)} after; only before: {only_old}; only after: {only_new}")
    differing = 0
    for page in sorted(set(before) & set(after)):
        lost, gained = before[page] - after[page], after[page] - before[page]
        if lost or gained:
            differing += 1
            print(f"  {page}: links lost {sorted(lost)[:5]}, gained {sorted(gained)[:5]}")
    links = sum(len(v) for v in before.values())
    print(f"links: {links} before, {sum(len(v) for v in after.values())} after; {differing} pages differ")
    return 1 if only_old or only_new or differing else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
