"""site_overrides/sitemap.xml: the compact sitemap Material's instant navigation downloads on a
first visit. It must still list every page (instant navigation follows only listed links)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_sitemap_lists_every_page_compactly(fixture_site):
    site, config = fixture_site.site, (fixture_site.root / "mkdocs.yml").read_text(encoding="utf-8")
    site_url = re.search(r"^site_url: *(\S+)", config, re.M).group(1)
    text = (site / "sitemap.xml").read_text(encoding="utf-8")
    root = ET.fromstring(text.encode())
    assert root.tag == f"{NS}urlset"
    locs = [url.findtext(f"{NS}loc") for url in root.iter(f"{NS}url")]
    pages = [path.parent.relative_to(site).as_posix() for path in site.rglob("index.html")]
    assert sorted(locs) == sorted(site_url + ("" if page == "." else page + "/") for page in pages)
    assert len(set(locs)) == len(locs)
    assert "lastmod" not in text  # MkDocs' build date on every page: no information, daily churn
    lines = text.splitlines()
    assert len(lines) == len(locs) + 3  # declaration, <urlset>, one line per page, </urlset>
    assert all(line.startswith("<") for line in lines)  # no indentation
