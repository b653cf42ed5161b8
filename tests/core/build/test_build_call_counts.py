"""A build evaluates requires(), output() and complete() of each task at most once.

Calls are counted by code object through sys.setprofile, so the methods stay the real ones: wrapping
complete() would itself make it an override, which takes the other path.
"""

from __future__ import annotations

import collections
import contextlib
import shutil
import sys
from collections.abc import Iterator

import luigi

import gokart


class CountLeaf(gokart.TaskOnKart[int]):
    n = luigi.IntParameter(default=1)

    def run(self):
        self.dump(self.n)


class CountMiddle(gokart.TaskOnKart[int]):
    n = luigi.IntParameter()

    def requires(self):
        return {'leaf': CountLeaf()}

    def run(self):
        self.dump(self.load('leaf') + self.n)


class CountRoot(gokart.TaskOnKart[int]):
    def requires(self):
        return [CountMiddle(n=1), CountMiddle(n=2)]

    def run(self):
        self.dump(sum(self.load()))


class CountByParameter(gokart.TaskOnKart[int]):
    """The default requires(): task-valued parameters."""

    left = gokart.TaskInstanceParameter()
    right = gokart.TaskInstanceParameter()

    def run(self):
        self.dump(self.load('left') + self.load('right'))


_COUNTED = {
    gokart.TaskOnKart.complete.__code__: 'complete',
    gokart.TaskOnKart.output.__code__: 'output',
    gokart.TaskOnKart.requires.__code__: 'requires',
    CountMiddle.requires.__code__: 'requires',
    CountRoot.requires.__code__: 'requires',
}


@contextlib.contextmanager
def counting() -> Iterator[collections.Counter]:
    calls: collections.Counter = collections.Counter()

    def profile(frame, event, arg):
        if event == 'call' and frame.f_code in _COUNTED:
            task = frame.f_locals['self']
            calls[(type(task).__name__, id(task), _COUNTED[frame.f_code])] += 1

    previous = sys.getprofile()
    sys.setprofile(profile)
    try:
        yield calls
    finally:
        sys.setprofile(previous)


def _per_method(calls: collections.Counter) -> dict[str, int]:
    """The largest number of calls any one task saw, per method."""
    most: dict[str, int] = {}
    for (_, _, method), count in calls.items():
        most[method] = max(most.get(method, 0), count)
    return most


def test_a_cold_build_asks_each_task_once():
    with counting() as calls:
        assert gokart.build(CountRoot()) == 5
    assert _per_method(calls) == {'complete': 1, 'output': 1, 'requires': 1}
    tasks = {(name, key) for name, key, _ in calls}
    assert len(tasks) == 4  # root, two middles, the shared leaf
    for name, key in tasks:
        for method in ('complete', 'output', 'requires'):
            assert calls[(name, key, method)] == 1, (name, method, calls)


def test_a_warm_build_asks_at_most_once_and_only_what_it_needs():
    gokart.build(CountRoot())
    with counting() as calls:
        assert gokart.build(CountRoot()) == 5
    # The root is complete and its id known from the first build: only it is asked, and only that.
    assert dict(calls) == {('CountRoot', id(CountRoot()), 'complete'): 1, ('CountRoot', id(CountRoot()), 'output'): 1}


def test_each_build_asks_again(tmp_path):
    # The memo lasts one build: a later build that must run the root again asks requires() again.
    with counting() as calls:
        gokart.build(CountRoot())
        shutil.rmtree(tmp_path / 'resources')
        gokart.build(CountRoot(), return_value=False)
    root_requires = [
        count for (name, _, method), count in calls.items() if name == 'CountRoot' and method == 'requires'
    ]
    assert root_requires == [2]


def test_task_valued_parameters():
    task = CountByParameter(left=CountLeaf(n=3), right=CountLeaf(n=4))
    with counting() as calls:
        assert gokart.build(task) == 7
    assert _per_method(calls) == {'complete': 1, 'output': 1, 'requires': 1}


def test_outside_a_build_nothing_is_memoized():
    task = CountRoot()
    with counting() as calls:
        task.requires()
        task.requires()
    assert [count for (_, _, method), count in calls.items() if method == 'requires'] == [2]
