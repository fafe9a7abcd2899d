"""forkpool: a function over many jobs on forked workers, in input order, never pickled."""

import threading

import pytest

from builder import forkpool

pytestmark = pytest.mark.skipif(not forkpool.available(), reason="this platform cannot fork")


def test_results_come_back_in_input_order_and_the_task_is_inherited_not_pickled():
    lock = threading.Lock()  # a closure over it cannot be pickled: workers must inherit it
    offset = 1000
    task = lambda job: (job + offset, lock.locked())  # noqa: E731
    assert list(forkpool.fork_imap(task, range(50), workers=2, chunksize=3)) == [(j + 1000, False) for j in range(50)]
    assert forkpool._TASK is None


def test_a_failing_job_raises_in_the_parent_and_leaves_no_task_behind():
    def task(job):
        if job == 7:
            raise ValueError("job 7")
        return job

    with pytest.raises(ValueError, match="job 7"):
        list(forkpool.fork_imap(task, range(20), workers=2, chunksize=2))
    assert forkpool._TASK is None


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
