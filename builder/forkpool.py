"""One function over many jobs on forked worker processes, results in input order.

The workers are forked, so they inherit what the function needs (a registry, an actor
matcher, a run context) as the parent built it: only the jobs and the results are pickled.
When it pays to start workers (how many jobs, cores, threads) is each caller's decision.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
from typing import Any, Callable, Iterable, Iterator

_TASK: Callable[[Any], Any] | None = None  # set in the parent before forking: workers inherit it


def available() -> bool:
    """Can this platform fork (Linux, macOS; not Windows)?"""
    return "fork" in multiprocessing.get_all_start_methods()


def workers_if_alone(limit: int) -> int:
    """How many workers to fork, one per core up to `limit`; 0 where forking is unsafe or
    pointless: no fork, one core, or other threads running (under `mkdocs serve` the server's
    threads may hold locks a forked child would wait for forever; its first build has none)."""
    workers = min(os.cpu_count() or 1, limit)
    if workers < 2 or threading.active_count() > 1 or not available():
        return 0
    return workers


def _run(job: Any) -> Any:
    assert _TASK is not None
    return _TASK(job)


def fork_imap(task: Callable[[Any], Any], jobs: Iterable[Any], *, workers: int, chunksize: int) -> Iterator[Any]:
    """task(job) for each job, in order, on `workers` forked processes (`task` is never pickled)."""
    global _TASK
    _TASK = task
    # Frozen, the parent's objects are out of the workers' garbage collections: a collection
    # that walked them would write to every page of memory they share with the parent, and
    # each worker would end up with its own copy of it.
    freeze = gc.get_freeze_count() == 0
    if freeze:
        gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            yield from pool.imap(_run, jobs, chunksize=chunksize)
    finally:
        _TASK = None
        if freeze:
            gc.unfreeze()
