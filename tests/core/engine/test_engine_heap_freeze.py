"""The run phase keeps the heap discovery built out of full collections (gc.freeze), collects what run()
creates as before, and always unfreezes (gokart_fastio.heap_frozen)."""

from __future__ import annotations

import gc
import threading
import weakref

import luigi
import pytest

import gokart
from gokart.build import GokartBuildError
from gokart_fastio._gcpause import freeze_depth, heap_frozen

seen: list[tuple[int, int, bool]] = []  # (freeze count, freeze depth, a fresh cycle collected)


class _Cycle:
    def __init__(self) -> None:
        self.me = self


class FrozenLeaf(gokart.TaskOnKart):
    i = luigi.IntParameter()

    def run(self):
        cycle = _Cycle()
        alive = weakref.ref(cycle)
        del cycle
        gc.collect()  # a cycle made by run() is young: collected during the build
        seen.append((gc.get_freeze_count(), freeze_depth(), alive() is None))
        self.dump(self.i)


class FrozenRoot(gokart.TaskOnKart):
    fail = luigi.BoolParameter(default=False)

    def requires(self):
        return [FrozenLeaf(i=i) for i in range(3)]

    def run(self):
        if self.fail:
            raise RuntimeError('root failed')
        self.dump(sum(self.load()))


@pytest.fixture(autouse=True)
def _unfrozen():
    gc.unfreeze()
    seen.clear()
    yield
    assert freeze_depth() == 0 and gc.get_freeze_count() == 0


def test_tasks_run_with_the_graph_frozen_and_their_own_cycles_collected(tmp_path):
    assert gokart.build(FrozenRoot(workspace_directory=str(tmp_path))) == 3
    assert len(seen) == 3
    assert all(count > 0 and depth == 1 and collected for count, depth, collected in seen)


def test_a_failed_build_unfreezes(tmp_path):
    with pytest.raises(GokartBuildError):
        gokart.build(FrozenRoot(workspace_directory=str(tmp_path), fail=True))
    assert len(seen) == 3


def test_a_discovery_error_never_freezes(tmp_path, monkeypatch):
    monkeypatch.setattr(FrozenRoot, 'requires', lambda self: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        gokart.build(FrozenRoot(workspace_directory=str(tmp_path)))
    assert seen == []


def test_freezes_nest_across_threads_and_the_last_one_out_unfreezes():
    entered, release = threading.Event(), threading.Event()

    def other_build() -> None:
        with heap_frozen():
            entered.set()
            release.wait(10)

    thread = threading.Thread(target=other_build)
    with heap_frozen():
        thread.start()
        assert entered.wait(10)
        assert freeze_depth() == 2
    assert freeze_depth() == 1 and gc.get_freeze_count() > 0  # the other build is still running
    release.set()
    thread.join()
    assert freeze_depth() == 0 and gc.get_freeze_count() == 0
