"""The batch run: decide which raw files changed, build their briefings (on forked workers when
there are many), then write them into the archive in input order, never overwriting a
hand-edited briefing unless forced.

Pure Python, no MkDocs import. Building one briefing is `builder.ingest.briefing`, finding the
raw files `builder.ingest.rawpaths`, learning boilerplate `builder.ingest.learning`.
"""

from __future__ import annotations

import functools
import gc
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from builder import forkpool
from builder.archive.files import ArchiveEntry, read_entry, scan_archive
from builder.archive.schema import is_hand_edited, parse_briefing
from builder.errors import BuildError
from builder.fsutil import write_atomic
from builder.ingest.briefing import RunContext, _build_job
from builder.ingest.learning import PARALLEL_MIN_FILES, learn_boilerplate
from builder.ingest.rawpaths import RawFile, find_raw
from builder.ingest.readers import file_sha256


@dataclass
class IngestReport:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # already ingested
    kept_hand_edits: list[str] = field(default_factory=list)
    errors: list[BuildError] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{len(self.written)} written, {len(self.unchanged)} unchanged, {len(self.skipped)} already ingested, "
            f"{len(self.kept_hand_edits)} hand-edited kept, {len(self.errors)} failed"
        )


def ingest(
    paths: Iterable[Path],
    ctx: RunContext,
    *,
    docs_dir: Path,
    force: bool = False,
    forced_format: str | None = None,
    jobs: int | None = None,
    learn_from: Path | None = None,
    cache_dir: Path | None = None,
    progress: Callable[[Iterable, int], Iterable] = lambda items, total: items,
) -> IngestReport:
    """Build and write the briefing of each raw file; one bad file never stops the others.

    Three passes: decide what changed (content hashes, main process), build briefings (pure,
    in parallel when there are many), then write them in input order (main process), so the
    output does not depend on the number of workers.
    """
    report = IngestReport()
    entries = scan_archive(docs_dir)
    by_sha = {e.raw_sha256: e for e in entries if e.raw_sha256}
    by_raw = {e.raw: e for e in entries if e.raw}
    to_build: list[tuple[Path, str]] = []
    for item in find_raw(paths, ctx.root):
        if item.rel is None:
            report.errors.append(BuildError(item.path, "raw file is outside the repository: copy it into raw/ first"))
        elif force or not _unchanged(item, by_raw.get(item.rel)):
            to_build.append((item.path, item.rel))
        else:
            report.skipped.append(item.rel)
    if to_build and ctx.boilerplate is None and learn_from is not None:
        # Only when something is to be built; from the cache when raw/ has not changed since.
        ctx.boilerplate = learn_boilerplate(learn_from, cache_dir=cache_dir, jobs=jobs)
    for path, rel, built in progress(build_many(to_build, ctx, forced_format, jobs), len(to_build)):
        if isinstance(built, BuildError):
            report.errors.append(built)
            continue
        raw_sha, sidecar_sha, briefing_path, text = built
        if not force and raw_sha in by_sha and by_sha[raw_sha].raw != rel:
            report.skipped.append(f"{rel} (same content as {by_sha[raw_sha].raw})")
            continue
        target = _write_briefing(briefing_path, text, rel, raw_sha, by_raw.get(rel), docs_dir, force, report)
        if target is not None:
            # Later files of the same run see this one (two raw copies of one article -> one briefing).
            by_sha[raw_sha] = by_raw[rel] = ArchiveEntry(target, rel, raw_sha, sidecar_sha)
    return report


def _unchanged(item: RawFile, previous: ArchiveEntry | None) -> bool:
    """Content hashes of the raw file and its sidecar decide, not timestamps (a fresh clone has
    new mtimes): a no-op re-run reads each file once and parses nothing."""
    if previous is None or previous.raw_sha256 is None:
        return False
    try:
        return file_sha256(item.name) == previous.raw_sha256 and (
            (file_sha256(item.sidecar) if item.sidecar else None) == previous.sidecar_sha256
        )
    except OSError:
        return False


# A forked worker may allocate this much beyond what it inherits: one hostile input then
# fails with MemoryError (its own error) long before the machine runs short.
WORKER_MEMORY_LIMIT = 2 * 1024**3
# A file that keeps its worker busy this long is given up (a parser stuck on a hostile input).
FILE_TIMEOUT_SECONDS = 300.0


def _died(job: tuple[Path, str, str | None], death: forkpool.WorkerDied):
    path, rel, _ = job
    return path, rel, BuildError(path, f"building this file failed: {death.how}; nothing written for it")


def build_many(to_build, ctx: RunContext, forced_format: str | None = None, jobs: int | None = None):
    """(path, rel, (raw_sha, sidecar_sha, briefing path, briefing text) or BuildError), in input order.

    `to_build`: (raw path, repository-relative path or None). Large batches run on forked
    workers; a file whose worker dies (killed, out of memory, stuck) is that file's error.
    """
    work = [(path, rel, forced_format) for path, rel in to_build]
    task = functools.partial(_build_job, ctx)  # the forked workers inherit the run context, never pickled
    jobs = jobs if jobs is not None else (os.cpu_count() or 1)
    if jobs <= 1 or len(work) < PARALLEL_MIN_FILES or not forkpool.available():
        yield from map(task, work)
        return
    # No clean.html.warm_up() here: it builds all of dateparser's locales (~4 s), while a
    # worker builds only those its pages' dates need, usually none or a few (measured: 100
    # HTML pages took 5.4 s with it, 3.6 s without).
    gc.collect()  # then fork_imap freezes what is left: the workers share it instead of copying it on gc
    yield from forkpool.fork_imap(task, work, workers=jobs, chunksize=16, on_death=_died,
                                  memory_limit=WORKER_MEMORY_LIMIT, timeout=FILE_TIMEOUT_SECONDS)


def _write_briefing(briefing_path, text, rel, raw_sha, previous, docs_dir, force, report) -> Path | None:
    """Write one briefing unless that would overwrite a hand edit; the path it now lives at."""
    target = _free_target(docs_dir / briefing_path, rel, raw_sha)
    old_files = {previous.path} if previous is not None else set()
    if target.exists():
        old_files.add(target)
    for old in sorted(old_files):
        if not force and _hand_edited(old):
            report.kept_hand_edits.append(old.as_posix())
            report.notices.append(f"{old.as_posix()}: edited by hand, not overwritten (use --force to rebuild it from {rel})")
            return None
    if write_atomic(target, text):
        report.written.append(target.as_posix())
    else:
        report.unchanged.append(target.as_posix())
    for old in sorted(old_files - {target}):
        old.unlink(missing_ok=True)  # the title or date changed: the briefing moved
    return target


def _free_target(target: Path, rel: str, sha: str) -> Path:
    """The target path, or a variant when another raw article already owns that name."""
    if not target.exists():
        return target
    entry = read_entry(target)
    owner = entry.raw if entry is not None else None
    if owner in (None, rel):
        return target
    return target.with_name(f"{target.stem}-{sha[:8]}.md")


def _hand_edited(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return True  # cannot prove it is ours: keep it
    briefing, _ = parse_briefing(str(path), text)
    return briefing is None or is_hand_edited(briefing)
