"""Scale figures for the briefing archive: ingest, actor matching, site build, search, serve.

    .venv/bin/python benchmarks/run.py --n 1000 10000 [--keep DIR] [--skip serve,search] [--rounds 3]

For each N it generates a synthetic archive (benchmarks/generate.py) in a temporary folder
and prints, as figures (never pass/fail):

- ingest throughput, text dumps and HTML pages separately (articles/s, peak RSS of the
  largest process), and a no-op re-run over all raw files;
- `briefings check` over the whole archive (wall, CPU, peak RSS);
- actor matching throughput (ActorMatcher over every briefing, in process);
- `mkdocs build` wall time, peak RSS of the largest process and peak memory of the whole
  process tree (sum of PSS, with the plugin's forked render workers): plain Material (its search, its own templates, no
  plugin, the same Markdown, a one-page nav), ours (Material search + the `briefings` plugin, the repository's
  mkdocs.yml),
  ours with Pagefind instead of Material's search, plain Material over the same
  pages as ours (the generated pages exported as Markdown files), and the plugin's share
  over each baseline (with `--rounds K`, the medians of K cold builds of ours and the
  baselines, alternated: on a shared or virtual machine one build's wall time is noise);
- bytes per generated HTML page (briefings with and without their body text, other pages);
- the actor network page: its data (network/graph.json) raw and gzipped, and the time to first
  interaction in Chromium (navigation start -> sigma's first render), benchmarks/network_bench.py;
- search payload for a first query: Material's whole search_index.json vs. the bytes Chromium
  fetches for one Pagefind query (served on 127.0.0.1, counted with Playwright);
- edit-to-visible latency under `mkdocs serve --dirty` (Material search and Pagefind configs; and plain
  `serve`, skippable) over five edits of one briefing: median and worst.

Wall times are for this machine only; run it on an idle machine.
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

from generate import generate  # noqa: E402
from measure import CHROMIUM, CHROMIUM_ARGS, ENV, PY, check, cpu, fetch, free_port, say, serve_dir, timed  # noqa: E402
from network_bench import bench_network  # noqa: E402

# ---------------------------------------------------------------- project layout


def write_configs(root: Path) -> dict[str, Path]:
    """mkdocs.yml variants over the same docs/: ours, ours + Pagefind, plain Material."""
    shutil.copytree(REPO / "site_overrides", root / "site_overrides", dirs_exist_ok=True)
    for page in (REPO / "docs").glob("*.md"):  # about, contributing...: the nav names them
        shutil.copy(page, root / "docs" / page.name)
    ours = (REPO / "mkdocs.yml").read_text(encoding="utf-8").replace("strict: true", "strict: false")
    configs = {"ours": root / "mkdocs.yml"}
    configs["ours"].write_text(ours, encoding="utf-8")

    pagefind = ours.replace("plugins:\n  - search\n", "plugins:\n")
    pagefind += f"\nhooks:\n  - {REPO / 'builder' / 'pagefind_hooks.py'}\n"
    configs["ours+pagefind"] = root / "mkdocs-pagefind.yml"
    configs["ours+pagefind"].write_text(pagefind, encoding="utf-8")

    plain = re.sub(r"  - briefings:\n(      .*\n)+", "", ours)
    plain = plain.replace("  custom_dir: site_overrides\n", "")  # Material's own templates (ours need the plugin)
    plain = re.sub(r"nav:\n(?: {2,}- .*\n)+", "nav:\n  - About: about.md\n", plain)
    configs["plain Material"] = root / "mkdocs-plain.yml"
    configs["plain Material"].write_text(plain, encoding="utf-8")

    # The same pages as ours: the briefings plus the generated pages as plain Markdown files
    # (`builder export`), so that the plugin's own work is told apart from its extra pages.
    same = root / "docs-same"
    shutil.rmtree(same, ignore_errors=True)
    shutil.copytree(root / "docs", same)
    check(subprocess.run([PY, "-m", "builder", "export", "--out", str(same)], cwd=root, env=ENV,
                         capture_output=True, text=True), "builder export")
    configs["plain, same pages"] = root / "mkdocs-plain-same.yml"
    configs["plain, same pages"].write_text(plain.replace("docs_dir: docs\n", "docs_dir: docs-same\n"), encoding="utf-8")
    return configs


# ---------------------------------------------------------------- ingest and matching


def bench_ingest(root: Path, n: int) -> None:
    raw = sorted((root / "raw").iterdir())
    text = [p.name for p in raw if p.suffix == ".txt"]
    html = [p.name for p in raw if p.suffix == ".html"]
    cli = [PY, "-m", "builder", "ingest", "--raw-root", "raw"]
    for label, names in (("text", text), ("HTML", html)):
        wall, rss, result = timed(cli + [f"raw/{name}" for name in names], root)
        check(result, f"ingest {label}")
        say(f"  ingest {label:5s}: {len(names):6d} articles in {wall:6.1f} s = {len(names) / wall:6.0f} articles/s, "
            f"peak RSS {rss:5.0f} MB")
    wall, rss, result = timed(cli + ["raw"], root)
    check(result, "ingest no-op")
    say(f"  ingest no-op re-run: {len(text) + len(html)} raw files in {wall:.2f} s, peak RSS {rss:.0f} MB")


def bench_matching(root: Path) -> None:
    from builder.archive.registry_load import load_registry
    from builder.archive.matching import ActorMatcher

    started = time.perf_counter()
    registry = load_registry(root / "registry")
    matcher = ActorMatcher(registry)
    setup = time.perf_counter() - started
    texts = [p.read_text(encoding="utf-8") for p in sorted((root / "docs" / "briefings").rglob("*.md"))]
    started = time.perf_counter()
    found = sum(len(matcher.actor_ids(text)) for text in texts)
    wall = time.perf_counter() - started
    mb = sum(map(len, texts)) / 1e6
    say(f"  actor matching: {len(registry)} actors (registry + automaton {setup:.2f} s); {len(texts)} briefings "
        f"in {wall:.2f} s = {len(texts) / wall:,.0f} briefings/s ({mb / wall:.1f} MB/s), {found / len(texts):.1f} actors each")


def bench_check(root: Path) -> None:
    """`briefings check` over the whole ingested archive (issue 4: a few seconds at 10,000)."""
    wall, rss, result = timed([PY, "-m", "builder", "check"], root)
    summary = (result.stdout or "").strip().splitlines()[-1:] or ["(no output)"]
    say(f"  check: whole archive in {wall:.2f} s ({cpu(result):.1f} s CPU), peak RSS {rss:.0f} MB; "
        f"exit {result.returncode}, {summary[0]!r}")


# ---------------------------------------------------------------- site build


# The builds the shares compare; extra rounds repeat only these (Pagefind's is not in a share).
SHARE_BUILDS = ("ours", "plain Material", "plain, same pages")


def bench_builds(root: Path, configs: dict[str, Path], second: bool, rounds: int = 1) -> dict[str, float]:
    """Every config built cold once, then `rounds - 1` more rounds of the builds the shares
    compare, each round in the reverse order of the one before, so that a machine getting
    faster or slower during the run weighs on every build alike. Shares come from the median
    wall and CPU time of each build; returns those medians."""
    walls: dict[str, list[float]] = {}
    cpus: dict[str, list[float]] = {}
    order = list(configs)
    for number in range(1, rounds + 1):
        labels = order if number == 1 else [label for label in order if label in SHARE_BUILDS]
        tag = f" [round {number}]" if rounds > 1 else ""
        for label in labels:
            config = configs[label]
            site = root / f"site-{label.replace(', ', '-').replace(' ', '-').replace('+', '-')}"
            quiet = [] if "pagefind" in label else ["-q"]  # its INFO line says how long indexing took
            shutil.rmtree(root / ".cache" / "render", ignore_errors=True)  # every first build is cold
            wall, rss, result = timed([PY, "-m", "mkdocs", "build", *quiet, "-f", str(config), "-d", str(site)], root)
            check(result, f"mkdocs build ({label})")
            walls.setdefault(label, []).append(wall)
            cpus.setdefault(label, []).append(cpu(result))
            pages = sum(1 for _ in site.rglob("*.html"))
            indexed = re.search(r"pagefind: indexed (\d+) briefings in ([\d.]+) s", result.stderr)
            extra = f" (of which Pagefind indexing {float(indexed.group(2)):.1f} s)" if indexed else ""
            say(f"  mkdocs build {label:15s}: {wall:6.1f} s ({cpu(result):.1f} s CPU), peak RSS {rss:5.0f} MB "
                f"(all processes {result.peak_tree_mb:.0f} MB), {pages} HTML pages{extra}{tag}")
            if second and label == "ours":
                wall2, rss2, result = timed([PY, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)], root)
                check(result, "second build")
                walls.setdefault("ours, 2nd run", []).append(wall2)
                cpus.setdefault("ours, 2nd run", []).append(cpu(result))
                say(f"  mkdocs build {'ours, 2nd run':15s}: {wall2:6.1f} s ({cpu(result):.1f} s CPU), peak RSS {rss2:5.0f} MB "
                    f"(all processes {result.peak_tree_mb:.0f} MB; render cache warm, nothing changed){tag}")
        order.reverse()
    wall = {label: statistics.median(times) for label, times in walls.items()}
    cpu_time = {label: statistics.median(times) for label, times in cpus.items()}
    if rounds > 1:
        say(f"  shares below: medians of {rounds} rounds, builds alternated; wall spread per build: "
            + ", ".join(f"{label} {min(walls[label]):.1f}–{max(walls[label]):.1f} s"
                        for label in walls if len(walls[label]) > 1))
    for build in ("ours", "ours, 2nd run"):
        for baseline in ("plain Material", "plain, same pages"):
            if baseline in wall and build in wall:
                plain, ours = wall[baseline], wall[build]
                what = {"ours": "plugin's share", "ours, 2nd run": "2nd run's share"}.get(build, f"{build}: share")
                say(f"  {what} over {baseline}: {ours - plain:+.1f} s = {100 * (ours - plain) / plain:+.0f}% "
                    f"(target <= +10%); by CPU time {cpu_time[build] - cpu_time[baseline]:+.1f} s = "
                    f"{100 * (cpu_time[build] - cpu_time[baseline]) / cpu_time[baseline]:+.0f}%")
    return wall


def page_sizes(site: Path) -> None:
    """Bytes per HTML page: briefings (whole, and without the article body) and the rest."""
    briefing_whole, briefing_chrome, others = [], [], []
    body = re.compile(r"(<article[^>]*>).*?(</article>)", re.DOTALL)
    for path in site.rglob("*.html"):
        data = path.read_text(encoding="utf-8")
        rel = path.relative_to(site).as_posix()
        if rel.startswith("briefings/"):
            briefing_whole.append(len(data.encode()))
            briefing_chrome.append(len(body.sub(r"\1\2", data).encode()))
        else:
            others.append((len(data.encode()), rel))
    if briefing_whole:
        say(f"  briefing page: median {statistics.median(briefing_whole) / 1024:.1f} KB, max {max(briefing_whole) / 1024:.1f} KB; "
            f"without its body: median {statistics.median(briefing_chrome) / 1024:.1f} KB, max {max(briefing_chrome) / 1024:.1f} KB "
            f"(target < 60 KB)")
    if others:
        others.sort(reverse=True)
        biggest = ", ".join(f"{rel} {size / 1024:.0f} KB" for size, rel in others[:3])
        say(f"  other pages: {len(others)}, median {statistics.median(s for s, _ in others) / 1024:.1f} KB; biggest: {biggest}")


# ---------------------------------------------------------------- search payload


def first_query_bytes(site: Path, query: str) -> tuple[int, int, int, str, int]:
    """(bytes fetched for the query, bytes of the page load before it, requests, first result title,
    the same query's bytes had the server gzipped the text files (JS, CSS, JSON))."""
    from playwright.sync_api import sync_playwright

    with serve_dir(site) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(service_workers="block")
        page = context.new_page()
        fetched: list[tuple[str, int]] = []
        page.on("requestfinished", lambda request: fetched.append((request.url, request.sizes()["responseBodySize"])))
        page.goto(url, wait_until="networkidle")
        before = sum(size for _, size in fetched)
        fetched.clear()
        page.keyboard.press("/")
        page.locator("#ba-search .pagefind-ui__search-input").fill(query)
        page.locator("#ba-search .pagefind-ui__result-link").first.wait_for(timeout=30_000)
        page.wait_for_load_state("networkidle")
        title = page.locator("#ba-search .pagefind-ui__result-link").first.inner_text()
        total = sum(size for _, size in fetched)
        requests = len(fetched)
        browser.close()
    gzipped = 0
    for fetched_url, size in fetched:
        path = site / fetched_url.split("/", 3)[3].split("?")[0]
        is_text = path.suffix in (".js", ".css", ".json", ".html") and path.is_file()
        gzipped += len(gzip.compress(path.read_bytes(), 6)) if is_text else size  # index chunks are gzip already
    return total, before, requests, title, gzipped


def bench_search(root: Path, walls: dict[str, float]) -> None:
    index = root / "site-plain-Material" / "search" / "search_index.json"
    if not index.exists():
        index = root / "site-ours" / "search" / "search_index.json"
    if index.exists():
        data = index.read_bytes()
        say(f"  Material search: first query needs search_index.json = {len(data) / 1e6:.1f} MB "
            f"({len(gzip.compress(data, 6)) / 1e6:.1f} MB gzipped), all of it, before any result")
    site = root / "site-ours-pagefind"
    if not (site / "pagefind" / "pagefind-entry.json").exists():
        say("  Pagefind: no index built")
        return
    if not Path(CHROMIUM).exists():
        say("  Pagefind: /usr/bin/chromium missing, first-query transfer not measured")
        return
    registry = (root / "registry" / "actors.yml").read_text(encoding="utf-8")
    name = re.search(r'name: "([^"]+)"\n    type: armed-group', registry).group(1)
    query = name.split()[-1]
    total, before, requests, title, gzipped = first_query_bytes(site, query)
    bundle = sum(f.stat().st_size for f in (site / "pagefind").rglob("*") if f.is_file())
    say(f"  Pagefind: first query {query!r} fetched {total / 1024:.0f} KB in {requests} requests, "
        f"{gzipped / 1024:.0f} KB with a gzipping server (target < 500 KB; the home page itself {before / 1024:.0f} KB; "
        f"whole bundle on disk {bundle / 1e6:.1f} MB); first result: {title[:60]!r}")


# ---------------------------------------------------------------- serve latency


def bench_serve(root: Path, config: Path, dirty: bool, limit: float, label: str, edits: int = 5) -> None:
    """Serve the site, then edit one briefing `edits` times (a new paragraph each, 4 s apart, as
    a writer saves) and time each edit until the page shows it: median and worst."""
    briefing = sorted((root / "docs" / "briefings").rglob("*.md"))[len(list((root / "docs" / "briefings").rglob("*.md"))) // 2]
    rel = briefing.relative_to(root / "docs").with_suffix("").as_posix() + "/"
    port = free_port()
    cmd = [PY, "-m", "mkdocs", "serve", "-f", str(config), "-a", f"127.0.0.1:{port}"] + (["--dirty"] if dirty else [])
    url = f"http://127.0.0.1:{port}/{rel}"
    original = briefing.read_text(encoding="utf-8")
    process = subprocess.Popen(cmd, cwd=root, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        started = time.perf_counter()
        while fetch(url) is None:
            if process.poll() is not None or time.perf_counter() - started > limit:
                say(f"  {label}: not serving after {time.perf_counter() - started:.0f} s")
                return
            time.sleep(0.2)
        ready = time.perf_counter() - started
        latencies = []
        text = original.rstrip("\n")
        for number in range(edits):
            time.sleep(4.0)  # the watcher settles; a writer does not save twice a second
            marker = f"edit-marker-{number}-{time.time_ns()}"
            text += f"\n\nAdded paragraph {marker}.\n"
            briefing.write_text(text, encoding="utf-8")
            edited = time.perf_counter()
            while True:
                page = fetch(url)
                if page is not None and marker in page:
                    latencies.append(time.perf_counter() - edited)
                    break
                if time.perf_counter() - edited > limit:
                    say(f"  {label}: edit not visible after {limit:.0f} s")
                    return
                time.sleep(0.05)
        say(f"  {label}: first page after {ready:.1f} s; edit-to-visible median {statistics.median(latencies):.1f} s, "
            f"worst {max(latencies):.1f} s over {edits} edits (target < 2 s)")
    finally:
        briefing.write_text(original, encoding="utf-8")
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


# ---------------------------------------------------------------- main


def run(n: int, work: Path, skip: set[str], rounds: int = 1) -> None:
    say(f"== N = {n:,} briefings ==")
    started = time.perf_counter()
    made = generate(work, n)
    say(f"  generated {made.articles} raw articles ({made.html} HTML, {made.raw_bytes / 1e6:.0f} MB) and "
        f"{made.actors} actors in {time.perf_counter() - started:.1f} s")
    bench_ingest(work, n)
    if "check" not in skip:
        bench_check(work)
    if "match" not in skip:
        bench_matching(work)
    configs = write_configs(work)
    if "build" in skip:
        return
    walls = bench_builds(work, configs, second="second" not in skip, rounds=rounds)
    page_sizes(work / "site-ours")
    if "network" not in skip:
        bench_network(work / "site-ours")
    if "search" not in skip:
        bench_search(work, walls)
    if "serve" not in skip:
        limit = max(120.0, 3 * walls.get("ours", 60))
        if "fullserve" not in skip:  # plain `mkdocs serve` rebuilds everything; `./run serve` uses --dirty
            bench_serve(work, configs["ours"], dirty=False, limit=limit, label="serve", edits=1)
        bench_serve(work, configs["ours"], dirty=True, limit=limit, label="serve --dirty")
        bench_serve(work, configs["ours+pagefind"], dirty=True, limit=limit, label="serve --dirty, Pagefind")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--keep", type=Path, help="work in this folder (kept) instead of a temporary one")
    parser.add_argument("--skip", default="", help="comma-separated: check, match, build, second, network, search, serve, fullserve (serve without --dirty)")
    parser.add_argument("--rounds", type=int, default=1,
                        help="cold builds of ours and the baselines repeated this many times, alternated; shares from medians")
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    skip = {s for s in args.skip.split(",") if s}
    say(f"benchmarks/run.py on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {os.cpu_count()} cores; "
        f"Python {sys.version.split()[0]}")
    for n in args.n:
        if args.keep:
            work = args.keep / f"n{n}"
            shutil.rmtree(work, ignore_errors=True)
            run(n, work, skip, args.rounds)
        else:
            with tempfile.TemporaryDirectory(prefix=f"bench-{n}-") as tmp:
                run(n, Path(tmp), skip, args.rounds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
