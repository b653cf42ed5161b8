"""Task classes of the benchmark workloads. Public gokart/luigi API only: this file runs on gokart 1.12.2 too.

Every task dumps a small object, as in issue 5's measurements; outputs land under ./resources of the cwd.
"""

from __future__ import annotations

import luigi

import gokart


class Leaf(gokart.TaskOnKart):
    i = luigi.IntParameter()

    def run(self):
        self.dump(self.i)


class FanRoot(gokart.TaskOnKart):
    n = luigi.IntParameter()

    def requires(self):
        return [Leaf(i=i) for i in range(self.n)]

    def run(self):
        self.dump(self.n)


def dag_deps(i: int) -> list[int]:
    """Up to three earlier nodes, deterministic and spread over the whole prefix."""
    if i == 0:
        return []
    return sorted({(i * 7 + 3) % i, (i * 13 + 5) % i, i // 2})


class DagNode(gokart.TaskOnKart):
    i = luigi.IntParameter()

    def requires(self):
        return [DagNode(i=j) for j in dag_deps(self.i)]

    def run(self):
        self.dump(self.i)


class DagRoot(gokart.TaskOnKart):
    n = luigi.IntParameter()

    def requires(self):
        used = {j for i in range(self.n) for j in dag_deps(i)}
        return [DagNode(i=i) for i in range(self.n) if i not in used]

    def run(self):
        self.dump(self.n)


class ChainLink(gokart.TaskOnKart):
    """A requires() chain: link k needs link k-1."""

    k = luigi.IntParameter()

    def requires(self):
        return ChainLink(k=self.k - 1) if self.k > 0 else []

    def run(self):
        self.dump(self.k)


class TipStart(gokart.TaskOnKart):
    def run(self):
        self.dump(0)


class TipLink(gokart.TaskOnKart):
    """A TaskInstanceParameter chain: each link holds the previous one as a parameter."""

    prev = gokart.TaskInstanceParameter()
    k = luigi.IntParameter()

    def requires(self):
        return self.prev

    def run(self):
        self.dump(self.k)


def tip_chain(depth: int):
    task = TipStart()
    for k in range(depth):
        task = TipLink(prev=task, k=k)
    return task
