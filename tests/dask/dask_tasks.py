"""Task graphs for the Dask tests. A module of their own, so that the Dask workers import them by reference."""

from __future__ import annotations

import os
import random
import time

import luigi

import gokart


def _append(path: str, line: str) -> None:
    """One O_APPEND write: lines from several processes never interleave."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, (line + '\n').encode())
    finally:
        os.close(fd)


class Counted(gokart.TaskOnKart):
    """Appends its id to `count_log` when run() completes."""

    count_log = luigi.Parameter(default='', significant=False)
    sleep = luigi.FloatParameter(default=0.0, significant=False)

    def _begin(self) -> None:
        if self.count_log:
            _append(self.count_log + '.begin', f'{self.make_unique_id()} {os.getpid()}')
        if self.sleep:
            time.sleep(self.sleep)

    def _end(self) -> None:
        if self.count_log:
            _append(self.count_log, f'{type(self).__name__} {self.make_unique_id()}')


class DLeaf(Counted):
    i = luigi.IntParameter()

    def run(self):
        self._begin()
        self.dump({'i': self.i, 'draw': random.random()})  # seeded per task at START: same draw as a local build
        self._end()


class DMiddle(Counted):
    j = luigi.IntParameter()
    fail = luigi.BoolParameter(default=False)

    def requires(self):
        common = {'count_log': self.count_log, 'workspace_directory': self.workspace_directory}
        return [DLeaf(i=self.j % 100, **common), DLeaf(i=(self.j * 7 + 3) % 100, **common)]

    def run(self):
        self._begin()
        if self.fail:
            raise ValueError(f'boom {self.j}')
        self.dump(sum(x['i'] for x in self.load()) + random.randint(0, 1000))
        self._end()


class DTop(Counted):
    k = luigi.IntParameter()
    fail_at = luigi.IntParameter(default=-1)

    def requires(self):
        common = {'count_log': self.count_log, 'workspace_directory': self.workspace_directory}
        shared = range(6 if self.k == 48 else 4)  # the last top also takes the two middles left over
        return [
            DMiddle(j=(self.k * 3 + d) % 150, fail=(self.k * 3 + d) % 150 == self.fail_at, **common) for d in shared
        ]

    def run(self):
        self._begin()
        self.dump(sum(self.load()))
        self._end()


class DRoot(Counted):
    """300 tasks: 100 leaves shared by 150 middles, shared by 49 tops, and this root."""

    fail_at = luigi.IntParameter(default=-1)

    def requires(self):
        common = {'count_log': self.count_log, 'workspace_directory': self.workspace_directory}
        return [DTop(k=k, fail_at=self.fail_at, **common) for k in range(49)]

    def run(self):
        self._begin()
        self.dump(sum(self.load()))
        self._end()


class FanLeaf(luigi.Task):
    """A plain luigi task with one small output: the fan measures scheduling, not gokart's five log files."""

    i = luigi.IntParameter()
    workspace_directory = luigi.Parameter()

    def output(self):
        return luigi.LocalTarget(os.path.join(self.workspace_directory, 'fan', f'{self.i}.txt'))

    def run(self):
        with self.output().open('w') as f:
            f.write(str(self.i))


class Fan(gokart.TaskOnKart):
    n = luigi.IntParameter()

    def requires(self):
        return [FanLeaf(i=i, workspace_directory=self.workspace_directory) for i in range(self.n)]

    def run(self):
        self.dump(sum(1 for target in self.input() if target.exists()))


class SlowLeaf(Counted):
    i = luigi.IntParameter()
    hold = luigi.Parameter(default='', significant=False)

    def run(self):
        self._begin()
        # a held leaf waits in run() until that file exists: a test kills its worker here, before any output
        deadline = time.monotonic() + 60
        while self.hold and not os.path.exists(self.hold) and time.monotonic() < deadline:
            time.sleep(0.01)
        self.dump(self.i)
        self._end()


class SlowRoot(Counted):
    n = luigi.IntParameter()
    hold = luigi.Parameter(default='', significant=False)  # given to leaf 7 only

    def requires(self):
        common = {'count_log': self.count_log, 'workspace_directory': self.workspace_directory, 'sleep': self.sleep}
        return [SlowLeaf(i=i, hold=self.hold if i == 7 else '', **common) for i in range(self.n)]

    def run(self):
        self._begin()
        self.dump(sum(self.load()))
        self._end()
