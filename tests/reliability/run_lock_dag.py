"""A 200-task DAG whose tasks take a redis run lock; run by tests/reliability/test_run_locks.py and
benchmarks/run_lock_throughput.py as separate processes sharing one workspace (the current directory).

    python run_lock_dag.py HOST PORT SIZE WORKERS PAUSE RUNS_LOG

Node(i) requires Node(2i+1) and Node(2i+2) (a binary tree, root Node(0)), appends its index to RUNS_LOG
when its run() starts, sleeps PAUSE seconds and dumps its index plus the sum of its inputs. Exits 0 when
the root's output is the sum of all indices.
"""

from __future__ import annotations

import logging
import os
import sys
import time

import luigi

import gokart


class LockedNode(gokart.TaskOnKart):
    index = luigi.IntParameter()
    size = luigi.IntParameter()
    pause = luigi.FloatParameter(default=0.0, significant=False)
    runs_log = luigi.Parameter(default='runs.log', significant=False)

    def requires(self):
        kids = [k for k in (2 * self.index + 1, 2 * self.index + 2) if k < self.size]
        return [self.clone(index=k) for k in kids]

    def run(self):
        fd = os.open(self.runs_log, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
        try:
            os.write(fd, f'{self.index} {os.getpid()}\n'.encode())
        finally:
            os.close(fd)
        if self.pause:
            time.sleep(self.pause)
        self.dump(self.index + sum(self.load()))


def main(host: str, port: str, size: str, workers: str, pause: str, runs_log: str) -> int:
    root = LockedNode(
        index=0,
        size=int(size),
        pause=float(pause),
        runs_log=runs_log,
        redis_host=host,
        redis_port=int(port),
        should_lock_run=True,
    )
    # One try: the local engine itself must wait for tasks locked by the other processes; the whole-build
    # retry on HasLockedTaskException is only for runs on luigi's worker.
    result = gokart.build(
        root, reset_register=False, workers=int(workers), log_level=logging.ERROR, task_lock_exception_max_tries=1
    )
    expected = sum(range(int(size)))
    if result != expected:
        print(f'root output {result!r}, expected {expected}', file=sys.stderr)
        return 3
    return 0


if __name__ == '__main__':
    sys.exit(main(*sys.argv[1:]))
