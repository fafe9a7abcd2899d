"""What the benchmarks measure with: a timed run (wall, CPU, peak memory of the largest process
and of the whole process tree), a quiet local web server, Chromium's path and flags.

Shared by run.py, registry_cost.py and network_bench.py. Figures only: nothing here passes or fails.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

PY = sys.executable
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONUNBUFFERED": "1"}
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
_RSS = re.compile(r"Maximum resident set size \(kbytes\): (\d+)")
_CPU = re.compile(r"(?:User|System) time \(seconds\): ([\d.]+)")


def cpu(result: subprocess.CompletedProcess) -> float:
    """user + sys CPU seconds of a `timed` run (wall time is noisy on a shared machine)."""
    return sum(float(x) for x in _CPU.findall(result.stderr or "")) or float("nan")


def say(text: str = "") -> None:
    print(text, flush=True)


_PSS = re.compile(r"^Pss:\s+(\d+) kB", re.MULTILINE)


def tree_pss_mb(root: int) -> float:
    """Memory of a process and all its descendants now: the sum of their PSS (a page shared by
    forked workers counted once in all), in MB; 0 where /proc does not say."""
    pids, total = [root], 0
    for pid in pids:  # grows while walked: children of every thread, breadth first
        for children in Path(f"/proc/{pid}/task").glob("*/children"):
            try:
                pids.extend(int(child) for child in children.read_text().split())
            except OSError:
                pass
        try:
            match = _PSS.search(Path(f"/proc/{pid}/smaps_rollup").read_text())
        except OSError:
            continue
        total += int(match.group(1)) if match else 0
    return total / 1024


class TimedRun(subprocess.CompletedProcess):
    peak_tree_mb: float = float("nan")  # peak sum of PSS over the process tree, sampled


def timed(cmd: list[str], cwd: Path) -> tuple[float, float, TimedRun]:
    """(wall seconds, peak RSS MB of the largest process, result) via /usr/bin/time -v; the
    result also holds the peak memory of the whole process tree, sampled every 0.2 s."""
    wrapper = ["/usr/bin/time", "-v"] if Path("/usr/bin/time").exists() else []
    started = time.perf_counter()
    process = subprocess.Popen(wrapper + cmd, cwd=cwd, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0.0]
    sampling = threading.Event()

    def sample() -> None:
        while not sampling.wait(0.2):
            peak[0] = max(peak[0], tree_pss_mb(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = process.communicate()
    wall = time.perf_counter() - started
    sampling.set()
    sampler.join()
    result = TimedRun(process.args, process.returncode, stdout, stderr)
    result.peak_tree_mb = peak[0] or float("nan")
    match = _RSS.search(result.stderr)
    return wall, (int(match.group(1)) / 1024 if match else float("nan")), result


def check(result: subprocess.CompletedProcess, what: str) -> None:
    if result.returncode != 0:
        tail = "\n".join((result.stderr or result.stdout).strip().splitlines()[-15:])
        say(f"  !! {what} failed (exit {result.returncode}):\n{tail}")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002
        pass


@contextlib.contextmanager
def serve_dir(directory: Path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except Exception:
        return None
