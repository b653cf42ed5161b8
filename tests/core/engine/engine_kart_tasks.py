"""TaskOnKart graphs for the engine tests (the classes live in a module so their output paths are stable)."""

from __future__ import annotations

import luigi

import gokart


class KLeaf(gokart.TaskOnKart):
    i = luigi.IntParameter()

    def run(self):
        self.dump(self.i * 10)


class KMiddle(gokart.TaskOnKart):
    i = luigi.IntParameter()
    fail = luigi.BoolParameter(default=False)

    def requires(self):
        return [KLeaf(i=self.i), KLeaf(i=self.i + 1)]

    def run(self):
        if self.fail:
            raise ValueError(f'boom {self.i}')
        self.dump(sum(self.load()))


class KRoot(gokart.TaskOnKart):
    n = luigi.IntParameter()
    fail_at = luigi.IntParameter(default=-1)

    def requires(self):
        return [KMiddle(i=i, fail=(i == self.fail_at)) for i in range(self.n)]

    def run(self):
        self.dump(sum(self.load()))
