"""Helpers of the tests that run several builds as separate processes (run locks, leases)."""

from __future__ import annotations

import collections
import os
import signal
import subprocess
import time
from pathlib import Path


def finish(procs: list[subprocess.Popen[str]], timeout: float) -> list[tuple[int, str]]:
    """(exit code, stderr) of each process, waiting `timeout` seconds for all of them; the process groups of
    those still running then are killed (each was started in a session of its own, with its forked workers)."""
    deadline = time.monotonic() + timeout
    outcomes = []
    try:
        for proc in procs:
            _, err = proc.communicate(timeout=max(1.0, deadline - time.monotonic()))
            outcomes.append((proc.returncode, err))
    finally:
        for proc in procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.communicate()
    return outcomes


def assert_each_ran_once(outcomes: list[tuple[int, str]], runs_log: Path, size: int) -> None:
    """Every process exited 0, and the runs log (one `index pid` line per run() started) names each of the
    `size` tasks exactly once."""
    for code, err in outcomes:
        assert code == 0, err[-3000:]
    runs = collections.Counter(int(line.split()[0]) for line in runs_log.read_text().splitlines())
    twice = {index: count for index, count in runs.items() if count != 1}
    assert not twice, f'tasks run more than once: {twice}'
    assert sorted(runs) == list(range(size))
