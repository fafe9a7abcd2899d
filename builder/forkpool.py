"""One function over many jobs on forked worker processes, results in input order.

The workers are forked, so they inherit what the function needs (a registry, an actor
matcher, a run context) as the parent built it: only the jobs and the results are pickled.
When it pays to start workers (how many jobs, cores, threads) is each caller's decision.

Why not `multiprocessing.Pool`: a pool cannot say which job a dead worker had (a worker
killed by the OOM killer or by SIGKILL), and a result it cannot unpickle kills its result
thread, after which `imap` waits forever. Here each worker has its own pipe and answers job
by job, so the parent always knows the job a worker is on: a worker that dies (or overruns
`timeout`) costs exactly that job, a new worker takes the rest, and the run goes on.
"""

from __future__ import annotations

import collections
import gc
import multiprocessing
import os
import pickle
import queue
import signal
import threading
import time
import traceback
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any, Callable, Iterable, Iterator

class WorkerDied(Exception):
    """The worker running a job died before it answered (killed, out of memory, overran its time)."""

    def __init__(self, how: str):
        self.how = how
        super().__init__(how)

    def __reduce__(self):
        return type(self), (self.how,)


class JobFailed(Exception):
    """A job raised an exception that could not be sent back as itself (it does not pickle)."""

    def __init__(self, kind: str, message: str, trace: str):
        self.kind, self.message, self.trace = kind, message, trace
        super().__init__(f"{kind}: {message}")

    def __reduce__(self):
        return type(self), (self.kind, self.message, self.trace)


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


# ------------------------------------------------------------------------ worker side


def _limit_memory(extra_bytes: int | None) -> None:
    """Cap the worker's address space at what it has now plus `extra_bytes`: an input that
    makes it allocate without end gets a MemoryError (that job's error), not the OOM killer."""
    if not extra_bytes:
        return
    import resource

    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            current = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return  # no /proc (macOS): no cap; a runaway job is then caught as a dead worker
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    wanted = current + extra_bytes
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))


def _answer(task: Callable[[Any], Any], conn: Connection, index: int, job: Any) -> None:
    try:
        data = pickle.dumps((index, (True, task(job))), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as exc:  # noqa: BLE001 - the job's own error: raised in the parent, as itself
        data = _error_bytes(index, exc)
    conn.send_bytes(data)


def _error_bytes(index: int, exc: BaseException) -> bytes:
    """The job's exception, pickled; as a JobFailed (its text) when it would not come back whole."""
    try:
        data = pickle.dumps((index, (False, exc)), protocol=pickle.HIGHEST_PROTOCOL)
        pickle.loads(data)
        return data
    except Exception:  # noqa: BLE001 - whatever pickling an arbitrary exception raises
        trace = "".join(traceback.format_exception(exc))
        failed = JobFailed(type(exc).__name__, str(exc), trace)
        return pickle.dumps((index, (False, failed)), protocol=pickle.HIGHEST_PROTOCOL)


def _worker_main(task: Callable[[Any], Any], conn: Connection, memory_limit: int | None) -> None:
    # Ctrl-C reaches the whole process group: the parent stops the run and ends its workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _limit_memory(memory_limit)
    # A thread takes the parent's chunks as they come, so that the parent can queue the next
    # chunk while this one is worked on (no idle worker between chunks) and never blocks on a
    # full pipe while this process blocks on sending it answers.
    chunks: queue.SimpleQueue = queue.SimpleQueue()

    def receive() -> None:
        while True:
            try:
                chunk = conn.recv()
            except (EOFError, OSError):
                chunk = None  # the parent is gone
            chunks.put(chunk)
            if chunk is None:
                return

    threading.Thread(target=receive, daemon=True).start()
    while (chunk := chunks.get()) is not None:
        for index, job in chunk:
            _answer(task, conn, index, job)


# ------------------------------------------------------------------------ parent side


@dataclass
class _Worker:
    process: Any
    conn: Connection
    jobs: collections.deque = field(default_factory=collections.deque)  # (index, job) sent, not answered
    since: float = 0.0  # when its current job started


class ForkPool:
    """Forked workers that run `task` on jobs, one pipe each (see the module docstring).

    `task` reaches the workers by the fork itself, never pickled: it may be a closure over
    anything the parent built. Workers start on `start()` or on the first job.
    """

    def __init__(self, task: Callable[[Any], Any], *, workers: int, memory_limit: int | None = None):
        self.task = task
        self.size = max(1, workers)
        self.memory_limit = memory_limit
        self.context = multiprocessing.get_context("fork")
        self.workers: list[_Worker] = []
        # Frozen, the parent's objects are out of the workers' garbage collections: a collection
        # that walked them would write to every page of memory they share with the parent, and
        # each worker would end up with its own copy of it.
        self._froze = gc.get_freeze_count() == 0
        if self._froze:
            gc.freeze()

    def start(self) -> None:
        """Fork every worker now (a timed run starts with its workers ready)."""
        while len(self.workers) < self.size:
            self.fork()

    def fork(self) -> _Worker:
        parent_end, child_end = self.context.Pipe(duplex=True)
        process = self.context.Process(
            target=_worker_main, args=(self.task, child_end, self.memory_limit), daemon=True
        )
        process.start()
        child_end.close()
        worker = _Worker(process, parent_end)
        self.workers.append(worker)
        return worker

    def retire(self, worker: _Worker) -> None:
        self.workers.remove(worker)
        worker.conn.close()
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join()

    def imap(
        self,
        jobs: Iterable[Any],
        *,
        chunksize: int,
        on_death: Callable[[Any, WorkerDied], Any] | None = None,
        timeout: float | None = None,
    ) -> Iterator[Any]:
        """task(job) for each job, in input order (see `fork_imap`)."""
        return _run(self, iter(enumerate(jobs)), chunksize, on_death, timeout)

    def close(self) -> None:
        for worker in list(self.workers):
            try:
                worker.conn.send(None)
            except OSError:
                pass
        deadline = time.monotonic() + 2
        for worker in list(self.workers):
            worker.process.join(max(0.0, deadline - time.monotonic()))
            self.retire(worker)
        if self._froze:
            gc.unfreeze()
            self._froze = False

    def __enter__(self) -> "ForkPool":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _how_it_died(process: Any) -> str:
    code = process.exitcode
    if code is not None and code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        hint = " (killed: out of memory, or by hand)" if -code == signal.SIGKILL else ""
        return f"its worker process died of {name}{hint}"
    return f"its worker process exited with code {code}"


def fork_imap(
    task: Callable[[Any], Any],
    jobs: Iterable[Any],
    *,
    workers: int,
    chunksize: int,
    on_death: Callable[[Any, WorkerDied], Any] | None = None,
    memory_limit: int | None = None,
    timeout: float | None = None,
) -> Iterator[Any]:
    """task(job) for each job, in order, on `workers` forked processes (`task` is never pickled).

    An exception a job raises is raised here, at that job's place. A job whose worker dies
    (or runs longer than `timeout` seconds, and is killed) gives `on_death(job, WorkerDied)`
    as its result, or raises the WorkerDied without `on_death`; either way the other jobs
    go on in new workers. `memory_limit`: bytes each worker may allocate beyond what it
    inherits (then MemoryError, the job's own error). Jobs are taken from `jobs` lazily.
    """
    with ForkPool(task, workers=workers, memory_limit=memory_limit) as pool:
        yield from pool.imap(jobs, chunksize=chunksize, on_death=on_death, timeout=timeout)


def _run(pool: ForkPool, numbered: Iterator, chunksize: int, on_death, timeout: float | None) -> Iterator[Any]:
    retry: collections.deque = collections.deque()  # jobs a dead worker had queued, not started
    done: dict[int, tuple[bool, Any]] = {}
    next_index = 0
    issued = 0  # jobs taken from `numbered`
    exhausted = False

    def next_chunk() -> list:
        nonlocal exhausted, issued
        if retry:
            return [retry.popleft()]  # one at a time: a job that kills its worker costs only itself
        chunk = []
        while not exhausted and len(chunk) < chunksize:
            try:
                chunk.append(next(numbered))
            except StopIteration:
                exhausted = True
        issued += len(chunk)
        return chunk

    def dispatch() -> None:
        for worker in [w for w in pool.workers if not w.jobs and not w.process.is_alive()]:
            pool.retire(worker)  # died between two chunks: nothing of it is lost
        while len(pool.workers) < pool.size and (retry or not exhausted):
            pool.fork()
        # Each worker holds up to two chunks: the one it works on and the next (no wait between
        # them), handed out in rounds so that every worker has one before any has two. After a
        # death, jobs go one at a time, so a job that kills its worker costs only itself.
        for depth in (1, 2):
            for worker in list(pool.workers):
                if len(worker.jobs) > (depth - 1) * chunksize or (retry and worker.jobs):
                    continue
                chunk = next_chunk()
                if not chunk:
                    return
                try:
                    worker.conn.send(chunk)
                except OSError:  # it died just now: this chunk goes to another, its own jobs as after a death
                    retry.extendleft(reversed(chunk))
                    worker.process.join()
                    bury(worker, _how_it_died(worker.process))
                    continue
                if not worker.jobs:
                    worker.since = time.monotonic()
                worker.jobs.extend(chunk)

    def bury(worker: _Worker, how: str) -> None:
        if worker.jobs:
            index, job = worker.jobs.popleft()
            death = WorkerDied(how)
            done[index] = (True, on_death(job, death)) if on_death is not None else (False, death)
            retry.extendleft(reversed(worker.jobs))
            worker.jobs.clear()
        pool.retire(worker)

    while True:
        while next_index in done:
            ok, value = done.pop(next_index)
            next_index += 1
            if not ok:
                raise value
            yield value
        dispatch()
        busy = [w for w in pool.workers if w.jobs]
        if not busy:
            if exhausted and not retry:
                if done or next_index < issued:
                    raise RuntimeError(f"forkpool lost jobs: {issued - next_index} never answered")  # a bug of ours
                return
            continue
        wait_for = None
        if timeout is not None:
            wait_for = max(0.0, min(w.since for w in busy) + timeout - time.monotonic())
        wait([w.conn for w in busy] + [w.process.sentinel for w in busy], wait_for)
        for worker in busy:
            # Answers first: a worker that answered and then died keeps its answers.
            while worker.jobs and worker.conn.poll():
                try:
                    index, outcome = pickle.loads(worker.conn.recv_bytes())
                except (EOFError, OSError):
                    break  # died mid-answer
                worker.jobs.popleft()
                worker.since = time.monotonic()
                done[index] = outcome
            if worker.jobs and not worker.process.is_alive():
                worker.process.join()
                bury(worker, _how_it_died(worker.process))
            elif worker.jobs and timeout is not None and time.monotonic() - worker.since > timeout:
                bury(worker, f"it took longer than {timeout:g} s, and its worker process was stopped")
