"""Measure the cleaning stage on an extraction benchmark directory.

A dataset directory holds, per page, `<id>.txt` (innerText dump) and/or `<id>.html`
plus `<id>.gold.txt` (the article body), the benchmark's own `score.py`, and
optionally `manifest.json` (page titles). For each input kind we clean every page,
write the body text to a temp dir, and let the benchmark's scorer judge it, so the
figures we print are the benchmark's, not ours.

    python -m builder eval DATASET_DIR [--kinds txt,html] [--half 0|1] [--jobs N]

Speed is timed twice: cleaning in this one process, then in a pool of `--jobs` forked
workers (default: one per core) that must return the very same articles, in order. Both
start from the same state: the pages already read, libraries loaded (for HTML also
dateparser's locales, which a long batch builds anyway), one page cleaned; the pool is
forked before the single-process run. Neither includes reading files.
"""

from __future__ import annotations

import argparse
import functools
import gc
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from builder import forkpool
from builder.ingest.clean import clean_html, clean_text_dump
from builder.ingest.clean.html import warm_up as warm_up_html
from builder.archive.model import CleanedArticle

_SUMMARY_RE = re.compile(r"F1 ([0-9.]+) P ([0-9.]+) R ([0-9.]+) n=(\d+)")
_WORD_RE = re.compile(r"\w+")
# " - BBC News", " — Site", " :: Site": a site name glued to a page title. (" | " parts are
# judged apart: there the headline is the longest part, as in "Opinion | Headline".)
_SITE_SUFFIX_RE = re.compile(r"\s+[\-–—:·•»]+\s+[^|\-–—·•»]{1,60}$")


@dataclass(frozen=True)
class KindResult:
    """The figures for one input kind (txt or html)."""

    kind: str
    f1: float
    precision: float
    recall: float
    pages: int
    pages_per_s: float  # wall clock
    worst: tuple[tuple[str, float], ...]  # (page id, F1), worst first
    cpu_pages_per_s: float = 0.0  # process CPU time: steadier than the wall clock on a busy machine
    jobs: int = 1  # workers of the pool run (1: no pool run)
    pool_pages_per_s: float | None = None  # wall clock from handing out the first page to the last result
    pool_cpu_pages_per_s: float | None = None  # by the busiest worker's CPU time (steadier on a busy machine)
    pool_startup: float | None = None  # wall seconds to fork the pool's workers (once per batch)
    warm_up: float = 0.0  # wall seconds of loading libraries before the timed runs (once per process)
    title_accuracy: float | None = None  # text dumps with a manifest only
    title_accuracy_findable: float | None = None  # ...among pages whose title is a line of the dump
    scorer_output: str = ""


@dataclass(frozen=True)
class EvalReport:
    dataset_dir: Path
    results: tuple[KindResult, ...] = field(default_factory=tuple)


def read_page(path: Path) -> str:
    text = path.read_bytes().decode("utf-8", errors="replace")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def clean_page(text: str, kind: str) -> CleanedArticle:
    if kind == "html":
        return clean_html(text)
    return clean_text_dump(text)


def page_ids(dataset_dir: Path, kind: str) -> list[str]:
    ids = []
    for gold in sorted(dataset_dir.glob("*.gold.txt")):
        page_id = gold.name[: -len(".gold.txt")]
        if (dataset_dir / f"{page_id}.{kind}").is_file():
            ids.append(page_id)
    return ids


def title_words(title: str, *, strip_site: bool) -> list[str]:
    title = unicodedata.normalize("NFKC", title).strip()
    if strip_site:
        title = _SITE_SUFFIX_RE.sub("", title)
    return [w.lower() for w in _WORD_RE.findall(title)]


def title_forms(title: str) -> set[tuple[str, ...]]:
    """The title's words, with and without a site part (" | NYT", " - BBC News", "Opinion | ")."""
    forms = {tuple(title_words(title, strip_site=False)), tuple(title_words(title, strip_site=True))}
    parts = re.split(r"\s+[|]\s+", title)
    if len(parts) > 1:  # the headline is the longest part; a lone section label must not match
        forms.add(tuple(title_words(max(parts, key=len), strip_site=False)))
    return {form for form in forms if form}


def title_matches(found: str | None, expected: str) -> bool:
    """Same words (case-insensitive) once a site-name part is stripped from either side."""
    return bool(found) and bool(title_forms(found) & title_forms(expected))


def manifest_titles(dataset_dir: Path) -> dict[str, str]:
    manifest = dataset_dir / "manifest.json"
    if not manifest.is_file():
        return {}
    data = json.loads(manifest.read_text(encoding="utf-8"))
    return {p["id"]: p["title"] for p in data.get("pages", []) if p.get("title")}


def run_scorer(scorer: Path, pred_dir: Path, gold_dir: Path, per_page: Path) -> str:
    proc = subprocess.run(
        [sys.executable, str(scorer), str(pred_dir), "--gold", str(gold_dir), "--per-page", str(per_page)],
        capture_output=True,
        text=True,
        check=True,
    )
    return proc.stdout


# What a worker sends back: title, found metadata, (role, line, text) per block. Plain
# tuples pickle about five times faster than the dataclasses and enums they hold.
ArticleRecord = tuple


def article_record(article: CleanedArticle) -> ArticleRecord:
    return article.title, dict(article.found), tuple((b.role.value, b.line, b.text) for b in article.blocks)


def _clean_pooled(pages: dict[str, str], kind: str, page_id: str) -> tuple[ArticleRecord, int, float]:
    """One page's record, with the worker's pid and the CPU seconds the page took."""
    cpu_start = time.process_time()
    record = article_record(clean_page(pages[page_id], kind))
    return record, os.getpid(), time.process_time() - cpu_start


@dataclass(frozen=True)
class PoolRun:
    records: dict[str, ArticleRecord]  # in input order
    elapsed: float  # wall seconds from handing out the first page to the last result
    busiest_cpu: float  # CPU seconds of the busiest worker: the wall time on an idle machine
    startup: float = 0.0  # wall seconds to fork the workers (paid once per batch, not per page)


class CleaningPool:
    """`jobs` forked workers that clean the pages given when the pool starts.

    Start it before anything else is cleaned in this process, so the workers begin as a
    fresh batch command would (libraries loaded, one page cleaned) and not with the
    caches of a whole earlier run (dateparser's compiled languages, htmldate's and
    trafilatura's memoised strings). The pages are handed over at the fork, not pickled.
    """

    def __init__(self, inputs: dict[str, str], kind: str, jobs: int) -> None:
        self.inputs, self.jobs = inputs, jobs
        gc.collect()  # then the pool freezes what is left: the workers need not copy it to collect garbage
        # The pages reach the workers with the fork (the task holds them), never through a pipe.
        self.pool = forkpool.ForkPool(functools.partial(_clean_pooled, inputs, kind), workers=jobs)
        start = time.perf_counter()
        self.pool.start()
        self.startup = time.perf_counter() - start

    def run(self) -> PoolRun:
        """Clean every page, in input order.

        Timed from handing out the first page to the last result: that includes sending
        the page ids, cleaning, and pickling each article back to this process; not the
        fork (`startup`), nor shutting the pool down (its handler threads poll every 0.1 s,
        which would dominate a small dataset).
        """
        chunksize = max(1, len(self.inputs) // (self.jobs * 32))  # small chunks: even shares on a small set
        start = time.perf_counter()
        results = list(self.pool.imap(self.inputs, chunksize=chunksize))
        elapsed = time.perf_counter() - start
        cpu_by_worker: dict[int, float] = {}
        for _, pid, cpu in results:
            cpu_by_worker[pid] = cpu_by_worker.get(pid, 0.0) + cpu
        records = dict(zip(self.inputs, (record for record, _, _ in results)))
        busiest = max(cpu_by_worker.values(), default=0.0)
        return PoolRun(records=records, elapsed=elapsed, busiest_cpu=busiest, startup=self.startup)

    def close(self) -> None:
        self.pool.close()

    def __enter__(self) -> "CleaningPool":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def clean_in_pool(inputs: dict[str, str], kind: str, jobs: int) -> PoolRun:
    """Clean `inputs` in `jobs` forked workers, in input order (see CleaningPool.run)."""
    with CleaningPool(inputs, kind, jobs) as pool:
        return pool.run()


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def evaluate_kind(
    dataset_dir: Path, kind: str, ids: Sequence[str], scorer: Path, titles: dict[str, str], *, jobs: int = 1
) -> KindResult:
    with tempfile.TemporaryDirectory(prefix=f"eval-{kind}-") as tmp:
        pred_dir, gold_dir = Path(tmp, "pred"), Path(tmp, "gold")
        pred_dir.mkdir()
        gold_dir.mkdir()
        inputs = {page_id: read_page(dataset_dir / f"{page_id}.{kind}") for page_id in ids}
        warm_start = time.perf_counter()
        if inputs:  # load stopword lists, trafilatura and dateparser's locales before the clock starts
            if kind == "html":
                warm_up_html()
            clean_page(next(iter(inputs.values())), kind)
        warm_up = time.perf_counter() - warm_start
        # Forked now, so the pool starts from the same state as the single-process run.
        pool = CleaningPool(inputs, kind, jobs) if jobs > 1 and inputs else None
        try:
            start, cpu_start = time.perf_counter(), time.process_time()
            cleaned = {page_id: clean_page(text, kind) for page_id, text in inputs.items()}
            elapsed, cpu_elapsed = time.perf_counter() - start, time.process_time() - cpu_start
            pool_run = pool.run() if pool is not None else None
        finally:
            if pool is not None:
                pool.close()
        pool_pages_per_s = pool_cpu_pages_per_s = pool_startup = None
        if pool_run is not None:
            pool_pages_per_s = len(ids) / pool_run.elapsed if pool_run.elapsed > 0 else float("inf")
            pool_cpu_pages_per_s = len(ids) / pool_run.busiest_cpu if pool_run.busiest_cpu > 0 else float("inf")
            pool_startup = pool_run.startup
            if pool_run.records != {page_id: article_record(article) for page_id, article in cleaned.items()}:
                raise RuntimeError(f"{kind}: the pool's articles differ from the single-process run")
        for page_id, article in cleaned.items():
            (pred_dir / f"{page_id}.txt").write_text(article.body_text(), encoding="utf-8")
            (gold_dir / f"{page_id}.gold.txt").symlink_to((dataset_dir / f"{page_id}.gold.txt").resolve())
        per_page = Path(tmp, "per_page.tsv")
        output = run_scorer(scorer, pred_dir, gold_dir, per_page)
        rows = [line.split("\t") for line in per_page.read_text(encoding="utf-8").splitlines()[1:]]
    match = _SUMMARY_RE.search(output.strip().splitlines()[-1])
    if match is None:
        raise RuntimeError(f"unexpected scorer output: {output[-300:]!r}")
    worst = tuple(sorted(((r[0], float(r[1])) for r in rows), key=lambda x: (x[1], x[0]))[:10])
    title_accuracy = title_accuracy_findable = None
    if kind == "txt" and titles:
        judged = {i: title_matches(cleaned[i].title, titles[i]) for i in ids if i in titles}
        title_accuracy = sum(judged.values()) / len(judged) if judged else None
        # og:title often differs from the headline printed on the page; count those apart.
        findable = [ok for i, ok in judged.items() if any(title_matches(b.text, titles[i]) for b in cleaned[i].blocks)]
        title_accuracy_findable = sum(findable) / len(findable) if findable else None
    return KindResult(
        kind=kind,
        f1=float(match.group(1)),
        precision=float(match.group(2)),
        recall=float(match.group(3)),
        pages=int(match.group(4)),
        pages_per_s=len(ids) / elapsed if elapsed > 0 else float("inf"),
        cpu_pages_per_s=len(ids) / cpu_elapsed if cpu_elapsed > 0 else float("inf"),
        jobs=jobs,
        pool_pages_per_s=pool_pages_per_s,
        pool_cpu_pages_per_s=pool_cpu_pages_per_s,
        pool_startup=pool_startup,
        warm_up=warm_up,
        worst=worst,
        title_accuracy=title_accuracy,
        title_accuracy_findable=title_accuracy_findable,
        scorer_output=output,
    )


def run_eval(
    dataset_dir: Path,
    kinds: Iterable[str] = ("txt", "html"),
    scorer: Path | None = None,
    *,
    half: int | None = None,
    jobs: int = 1,
) -> EvalReport:
    """Clean every page of `dataset_dir` per kind and score it with the benchmark's scorer.

    `half` (0 or 1) keeps only the pages whose sorted position has that parity: a quick way
    to tune on one half and check the other. `jobs` > 1 also times a pool of that many
    forked workers.
    """
    dataset_dir = Path(dataset_dir)
    scorer = Path(scorer) if scorer else dataset_dir / "score.py"
    titles = manifest_titles(dataset_dir)
    results = []
    for kind in kinds:
        ids = page_ids(dataset_dir, kind)
        if half is not None:
            ids = ids[half::2]
        if ids:
            results.append(evaluate_kind(dataset_dir, kind, ids, scorer, titles, jobs=jobs))
    return EvalReport(dataset_dir=dataset_dir, results=tuple(results))


def format_result(result: KindResult) -> str:
    lines = [
        f"== {result.kind}: {result.pages} pages",
        f"F1 {result.f1:.3f} P {result.precision:.3f} R {result.recall:.3f} n={result.pages}",
        f"speed {result.pages_per_s:.1f} pages/s (cleaning only; {result.cpu_pages_per_s:.1f} pages/s of CPU time;"
        f" after a warm-up of {result.warm_up:.1f} s: libraries loaded, one page cleaned"
        + (", dateparser's locales built" if result.kind == "html" else "")
        + ")",
    ]
    if result.pool_pages_per_s is not None:
        lines.append(
            f"speed {result.pool_pages_per_s:.1f} pages/s with a pool of {result.jobs} processes"
            f" (first page handed out to last result back, articles pickled back to this process;"
            f" {result.pool_cpu_pages_per_s:.1f} pages/s of the busiest worker's CPU time;"
            f" forking the workers took {1000 * (result.pool_startup or 0.0):.0f} ms more; same articles, in order)"
        )
    if result.title_accuracy is not None:
        lines.append(f"title accuracy {result.title_accuracy:.3f}")
        if result.title_accuracy_findable is not None:
            lines.append(f"title accuracy where the title is a line of the dump {result.title_accuracy_findable:.3f}")
    lines.append("worst pages:")
    lines.extend(f"  {page_id}  F1 {f1:.3f}" for page_id, f1 in result.worst)
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="builder eval", description=__doc__.split("\n\n")[0])
    parser.add_argument("dataset_dir", type=Path)
    parser.add_argument("--kinds", default="txt,html", help="comma-separated: txt,html")
    parser.add_argument("--scorer", type=Path, default=None, help="default: DATASET_DIR/score.py")
    parser.add_argument("--half", type=int, choices=(0, 1), default=None, help="only even/odd pages")
    parser.add_argument("--jobs", type=int, default=default_jobs(), help="pool size for the second timing (1: none)")
    args = parser.parse_args(argv)
    if not args.dataset_dir.is_dir():
        print(f"not a directory: {args.dataset_dir}", file=sys.stderr)
        return 2
    kinds = [k for k in args.kinds.split(",") if k]
    report = run_eval(args.dataset_dir, kinds, args.scorer, half=args.half, jobs=max(1, args.jobs))
    if not report.results:
        print(f"no pages with gold in {args.dataset_dir}", file=sys.stderr)
        return 1
    print("\n\n".join(format_result(r) for r in report.results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
