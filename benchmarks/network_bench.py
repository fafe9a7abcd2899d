"""The network page's figures for benchmarks/run.py: the size of its data and the time to
first interaction in Chromium. Figures, never pass/fail; not run by the tests."""

from __future__ import annotations

import gzip
import statistics
from pathlib import Path


def bench_network(site: Path, serve_dir, chromium: str, chromium_args: list[str], say, loads: int = 3) -> None:
    """network/graph.json raw and gzipped, then `loads` cold loads of network/ in Chromium:
    navigation start -> sigma's first render (the page's `data-ready-at`), median and worst."""
    data = site / "network" / "graph.json"
    if not data.exists():
        say("  network: no network/graph.json")
        return
    raw = data.read_bytes()
    bundle = site / "assets" / "javascripts" / "vendor" / "network-vendor.min.js"
    vendor = bundle.read_bytes() if bundle.exists() else b""
    import json

    parsed = json.loads(raw)
    say(f"  network data: {len(parsed['nodes'])} actors, {len(parsed['edges'])} ties; graph.json {len(raw) / 1024:.0f} KB, "
        f"{len(gzip.compress(raw, 6)) / 1024:.0f} KB gzipped (budget 1 MB gzipped); sigma bundle "
        f"{len(vendor) / 1024:.0f} KB, {len(gzip.compress(vendor, 6)) / 1024:.0f} KB gzipped")
    if not Path(chromium).exists():
        say(f"  network page: {chromium} missing, time to interaction not measured")
        return
    from playwright.sync_api import sync_playwright

    ready, drawing = [], []
    with serve_dir(site) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=chromium_args)
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
