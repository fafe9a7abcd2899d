"""The network page's figures for benchmarks/run.py: the size of its data, the size of the
state maps beside it, and the time to first interaction in Chromium. Figures, never pass/fail;
`map_sizes` is checked on a built site by tests/scale/test_map_figures.py."""

from __future__ import annotations

import gzip
import re
import statistics
from pathlib import Path

from measure import CHROMIUM, CHROMIUM_ARGS, say, serve_dir

_MAP_FIGURE = re.compile(r'<figure class="ba-map-figure">.*?</figure>', re.S)  # builder/site/worldmap.py's one line


def map_figure_bytes(page: Path) -> bytes:
    """The state map's `<figure>` in a built page, as bytes (b"" when the page has no map)."""
    found = _MAP_FIGURE.search(page.read_text(encoding="utf-8")) if page.exists() else None
    return found.group(0).encode("utf-8") if found else b""


def map_sizes(site: Path) -> str:
    """One line: the home page's map figure and the largest region page's, raw and gzipped."""
    home = map_figure_bytes(site / "index.html")
    regions = {page.parent.name: map_figure_bytes(page) for page in sorted((site / "regions").glob("*/index.html"))}
    region, largest = max(regions.items(), key=lambda item: len(item[1]), default=("none", b""))

    def size(data: bytes) -> str:
        return f"{len(data) / 1024:.0f} KB, {len(gzip.compress(data, 6)) / 1024:.0f} KB gzipped" if data else "none"

    linked = home.count(b"<a href=")
    return f"  state map: home page figure {size(home)} ({linked} states linked); largest region map ({region}) {size(largest)}"


def bench_network(site: Path, loads: int = 3) -> None:
    """network/graph.json raw and gzipped, the state maps (`map_sizes`), then `loads` cold loads of network/ in Chromium:
    navigation start -> sigma's first render (the page's `data-ready-at`), median and worst."""
    data = site / "network" / "graph.json"
    if not data.exists():
        say("  network: no network/graph.json")
        say(map_sizes(site))
        return
    raw = data.read_bytes()
    bundle = site / "assets" / "javascripts" / "vendor" / "network-vendor.min.js"
    vendor = bundle.read_bytes() if bundle.exists() else b""
    import json

    parsed = json.loads(raw)
    say(f"  network data: {len(parsed['nodes'])} actors, {len(parsed['edges'])} ties; graph.json {len(raw) / 1024:.0f} KB, "
        f"{len(gzip.compress(raw, 6)) / 1024:.0f} KB gzipped (budget 1 MB gzipped); sigma bundle "
        f"{len(vendor) / 1024:.0f} KB, {len(gzip.compress(vendor, 6)) / 1024:.0f} KB gzipped")
    say(map_sizes(site))
    if not Path(CHROMIUM).exists():
        say(f"  network page: {CHROMIUM} missing, time to interaction not measured")
        return
    from playwright.sync_api import sync_playwright

    ready, drawing = [], []
    with serve_dir(site) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        for _ in range(loads):
            context = browser.new_context(service_workers="block", viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.goto(url + "network/")
            page.wait_for_selector(".ba-network[data-ready]", timeout=60_000)
            network = page.locator(".ba-network")
            ready.append(int(network.get_attribute("data-ready-at") or 0))
            drawing.append(int(network.get_attribute("data-ready-ms") or 0))
            context.close()
        browser.close()
    say(f"  network page: time to first interaction (navigation start -> sigma's first render) median "
        f"{statistics.median(ready):.0f} ms, worst {max(ready)} ms over {loads} cold loads; of which data + bundle + "
        f"drawing {statistics.median(drawing):.0f} ms")
