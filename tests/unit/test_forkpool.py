"""forkpool: a function over many jobs on forked workers, in input order, never pickled, and
never hanging: a job that raises, a worker that is killed or runs out of memory or time costs
that job alone."""

import multiprocessing
import os
import signal
import threading
import time

import pytest

from builder import forkpool

pytestmark = pytest.mark.skipif(not forkpool.available(), reason="this platform cannot fork")


class Unpicklable(Exception):
    """An exception whose __init__ the default unpickling cannot call (the hang of issue 16)."""

    def __init__(self, path, message):
        super().__init__(f"{path}: {message}")


def no_workers_left():
    return not multiprocessing.active_children()


def test_results_come_back_in_input_order_and_the_task_is_inherited_not_pickled():
    lock = threading.Lock()  # a closure over it cannot be pickled: workers must inherit it
    offset = 1000
    task = lambda job: (job + offset, lock.locked())  # noqa: E731
    assert list(forkpool.fork_imap(task, range(50), workers=2, chunksize=3)) == [(j + 1000, False) for j in range(50)]
    assert no_workers_left()


def test_a_failing_job_raises_in_the_parent_after_the_jobs_before_it():
    def task(job):
        if job == 7:
            raise ValueError("job 7")
        return job

    got = []
    with pytest.raises(ValueError, match="job 7"):
        for result in forkpool.fork_imap(task, range(20), workers=2, chunksize=2):
            got.append(result)
    assert got == list(range(7))
    assert no_workers_left()


@pytest.mark.parametrize("position", [0, 50, 99])
def test_an_exception_that_cannot_be_unpickled_comes_back_as_its_text_instead_of_hanging(position):
    def task(job):
        if job == position:
            raise Unpicklable("raw/x.html", "bad page")
        return job

    started = time.monotonic()
    with pytest.raises(forkpool.JobFailed) as raised:
        list(forkpool.fork_imap(task, range(100), workers=2, chunksize=16))
    assert raised.value.kind == "Unpicklable" and "raw/x.html: bad page" in raised.value.message
    assert "Traceback" in raised.value.trace
    assert time.monotonic() - started < 30
    assert no_workers_left()


@pytest.mark.parametrize("position", [0, 50, 99])
def test_a_killed_worker_costs_exactly_its_job_and_the_others_go_on(position):
    def task(job):
        if job == position:
            os.kill(os.getpid(), signal.SIGKILL)
        return job * 2

    results = list(forkpool.fork_imap(task, range(100), workers=2, chunksize=16,
                                      on_death=lambda job, death: ("died", job, death.how)))
    died = [r for r in results if isinstance(r, tuple)]
    assert len(died) == 1 and died[0][:2] == ("died", position) and "SIGKILL" in died[0][2]
    assert [r for r in results if not isinstance(r, tuple)] == [j * 2 for j in range(100) if j != position]
    assert no_workers_left()


def test_without_on_death_a_dead_worker_is_raised_as_worker_died():
    def task(job):
        if job == 3:
            os._exit(7)
        return job

    with pytest.raises(forkpool.WorkerDied, match="exited with code 7"):
        list(forkpool.fork_imap(task, range(10), workers=2, chunksize=4))
    assert no_workers_left()


def test_a_job_over_the_memory_limit_gets_memory_error_as_its_own_error():
    def task(job):
        if job == 5:
            try:
                bytearray(512 * 1024**2)  # over the 256 MB the worker may add
            except MemoryError:
                return "memory error"
        return "ok"

    results = list(forkpool.fork_imap(task, range(10), workers=2, chunksize=2, memory_limit=256 * 1024**2))
    assert results == ["ok"] * 5 + ["memory error"] + ["ok"] * 4


def test_a_job_over_its_time_is_stopped_and_costs_only_itself():
    def task(job):
        if job == 2:
            time.sleep(60)
        return job

    started = time.monotonic()
    results = list(forkpool.fork_imap(task, range(6), workers=2, chunksize=1, timeout=1.0,
                                      on_death=lambda job, death: death.how))
    assert results[:2] == [0, 1] and results[3:] == [3, 4, 5]
    assert "longer than 1 s" in results[2]
    assert time.monotonic() - started < 20
    assert no_workers_left()


def test_jobs_are_taken_as_workers_need_them_not_all_at_once():
    taken = []

    def jobs():
        for job in range(100):
            taken.append(job)
            yield job

    def task(job):
        if job:
            time.sleep(0.05)  # the first result is back long before the others are all handed out
        return job

    results = forkpool.fork_imap(task, jobs(), workers=2, chunksize=4)
    assert next(results) == 0
    assert len(taken) < 100
    results.close()
    assert no_workers_left()


def test_every_builder_exception_survives_a_pickle_round_trip():
    import inspect
    import pickle
    import pkgutil
    import importlib

    import builder
    from builder.archive.actors import RegistryError
    from builder.errors import BuildError, BuilderBug
    from builder.site.load import SiteError
    from builder.site.search_index import PagefindError

    samples = {
        BuildError: BuildError("raw/a.txt", "bad", line=3, field="date"),
        BuilderBug: BuilderBug("raw/a.txt", ValueError("x"), trace="Traceback ..."),
        RegistryError: RegistryError("registry/states.yml", 4, "id", "duplicate"),
        SiteError: SiteError([BuildError("docs/a.md", "bad", line=1)]),
        forkpool.WorkerDied: forkpool.WorkerDied("its worker process died of SIGKILL"),
        forkpool.JobFailed: forkpool.JobFailed("Unpicklable", "bad", "Traceback ..."),
        PagefindError: PagefindError("pagefind failed: exit code 1"),
    }
    # Every exception class the builder defines is in the table: a new one cannot be forgotten.
    found = set()
    for module_info in pkgutil.walk_packages(builder.__path__, "builder."):
        if module_info.name == "builder.__main__":
            continue  # running it is running the command line
        module = importlib.import_module(module_info.name)
        for _, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, BaseException) and value.__module__ == module.__name__:
                found.add(value)
    assert found == set(samples)
    for cls, error in samples.items():
        copy = pickle.loads(pickle.dumps(error))
        assert type(copy) is cls and str(copy) == str(error)
        assert {k: repr(v) for k, v in copy.__dict__.items()} == {k: repr(v) for k, v in error.__dict__.items()}


def test_workers_if_alone_one_per_core_up_to_the_limit_and_none_beside_other_threads(monkeypatch):
    monkeypatch.setattr(forkpool.threading, "active_count", lambda: 1)
    monkeypatch.setattr(forkpool.os, "cpu_count", lambda: 8)
    assert forkpool.workers_if_alone(4) == 4
    monkeypatch.setattr(forkpool.os, "cpu_count", lambda: 2)
    assert forkpool.workers_if_alone(4) == 2
    monkeypatch.setattr(forkpool.os, "cpu_count", lambda: 1)
    assert forkpool.workers_if_alone(4) == 0
    monkeypatch.setattr(forkpool.os, "cpu_count", lambda: 8)
    monkeypatch.setattr(forkpool.threading, "active_count", lambda: 3)  # `mkdocs serve`'s server threads
    assert forkpool.workers_if_alone(4) == 0
