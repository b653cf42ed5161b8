"""Throughput of redis run locks: 1, 2 and 4 processes building one DAG in a shared workspace.

    python benchmarks/run_lock_throughput.py [--size 200] [--processes 1,2,4] [--pause 0.01] [--repeat 3]
                                             [--redis HOST:PORT]

Each process runs tests/reliability/run_lock_dag.py (gokart.build of a binary-tree DAG, should_lock_run=True,
each run() sleeping --pause seconds). tasks/s = DAG size / wall time from starting the processes to the last
exit (interpreter start-up and imports included), best of --repeat rounds, each in a fresh workspace. Every
round checks that every process exited 0 and every task ran exactly once. Without --redis a throwaway
redis-server is started on a free loopback port and stopped at the end. Prints one JSON line per count.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DAG_SCRIPT = os.path.join(ROOT, 'tests', 'reliability', 'run_lock_dag.py')


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


@contextmanager
def throwaway_redis() -> Iterator[tuple[str, int]]:
    binary = shutil.which('redis-server')
    if binary is None:
        raise SystemExit('redis-server is not installed (make services)')
    port = _free_port()
    proc = subprocess.Popen(
        [binary, '--port', str(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(('127.0.0.1', port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit('redis-server did not start') from None
                time.sleep(0.05)
        yield '127.0.0.1', port
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _flush(host: str, port: int) -> None:
    import redis

    redis.Redis(host=host, port=port).flushall()


def one_round(host: str, port: int, size: int, processes: int, pause: float, timeout: float = 600) -> float:
    """Wall seconds for `processes` builds of the DAG in one fresh workspace."""
    _flush(host, port)
    with tempfile.TemporaryDirectory(prefix='gokart-run-locks-') as workspace:
        cmd = [sys.executable, DAG_SCRIPT, host, str(port), str(size), '1', str(pause), 'runs.log']
        started = time.perf_counter()
        procs = [
            subprocess.Popen(cmd, cwd=workspace, stderr=subprocess.PIPE, text=True, start_new_session=True)
            for _ in range(processes)
        ]
        try:
            errors = [proc.communicate(timeout=timeout)[1] for proc in procs]
        finally:
            for proc in procs:
                if proc.poll() is None:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.communicate()
        seconds = time.perf_counter() - started
        for proc, err in zip(procs, errors, strict=True):
            if proc.returncode != 0:
                raise RuntimeError(f'a build exited {proc.returncode}: {err[-2000:]}')
        with open(os.path.join(workspace, 'runs.log')) as f:
            runs = collections.Counter(int(line.split()[0]) for line in f)
        if sorted(runs) != list(range(size)) or set(runs.values()) != {1}:
            raise RuntimeError(f'tasks not run exactly once: {sorted(i for i, n in runs.items() if n != 1)}')
    return seconds


def measure(host: str, port: int, size: int, counts: list[int], pause: float, repeat: int) -> list[dict]:
    rows = []
    for processes in counts:
        best = min(one_round(host, port, size, processes, pause) for _ in range(repeat))
        rows.append(
            {
                'processes': processes,
                'size': size,
                'pause': pause,
                'seconds': round(best, 3),
                'tasks_per_second': round(size / best, 1),
            }
        )
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--size', type=int, default=200)
    parser.add_argument('--processes', default='1,2,4')
    parser.add_argument('--pause', type=float, default=0.01)
    parser.add_argument('--repeat', type=int, default=3)
    parser.add_argument('--redis', help='HOST:PORT of a redis to use (flushed before every round)')
    args = parser.parse_args(argv)
    counts = [int(n) for n in args.processes.split(',')]
    if args.redis:
        host, port = args.redis.rsplit(':', 1)
        rows = measure(host, int(port), args.size, counts, args.pause, args.repeat)
    else:
        with throwaway_redis() as (host, port):
            rows = measure(host, port, args.size, counts, args.pause, args.repeat)
    for row in rows:
        print(json.dumps(row))


if __name__ == '__main__':
    main()
