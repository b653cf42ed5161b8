"""Discovery holds the collector's full collections off while it builds the graph, and always gives the
thresholds back (gokart._engine._graph, gokart_fastio.gc_paused)."""

from __future__ import annotations

import gc
import logging

import luigi
import pytest

import gokart
from gokart._engine import _graph
from gokart_fastio import gc_paused
from gokart_fastio._gcpause import NO_FULL_COLLECTIONS

seen_thresholds: list[tuple[int, ...]] = []


class GcLeaf(gokart.TaskOnKart):
    i = luigi.IntParameter()

    def requires(self):
        seen_thresholds.append(gc.get_threshold())
        return []

    def run(self):
        self.dump(self.i)


class GcRoot(gokart.TaskOnKart):
    fail = luigi.BoolParameter(default=False)

    def requires(self):
        seen_thresholds.append(gc.get_threshold())
        if self.fail:
            raise RuntimeError('requires failed')
        return [GcLeaf(i=i) for i in range(3)]

    def run(self):
        self.dump(0)


@pytest.fixture
def thresholds():
    seen_thresholds.clear()
    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield (700, 10, 10)
    gc.set_threshold(*before)


def test_discovery_pauses_full_collections_and_restores_them(tmp_path, thresholds):
    gokart.build(GcRoot(workspace_directory=str(tmp_path)), reset_register=False, log_level=logging.CRITICAL)
    assert len(seen_thresholds) == 4  # the root and its three leaves, each asked during discovery
    assert all(seen == (700, 10, NO_FULL_COLLECTIONS) for seen in seen_thresholds)
    assert gc.get_threshold() == thresholds


def test_thresholds_come_back_when_requires_fails(tmp_path, thresholds):
    with pytest.raises(RuntimeError, match='requires failed'):
        gokart.build(
            GcRoot(fail=True, workspace_directory=str(tmp_path)), reset_register=False, log_level=logging.CRITICAL
        )
    assert seen_thresholds and seen_thresholds[0][2] == NO_FULL_COLLECTIONS
    assert gc.get_threshold() == thresholds


def test_thresholds_come_back_when_discovery_raises(tmp_path, thresholds, monkeypatch):
    def broken(self, root):
        seen_thresholds.append(gc.get_threshold())
        raise RuntimeError('discovery broke')

    monkeypatch.setattr(_graph.Discovery, '_discover', broken)
    with pytest.raises(RuntimeError, match='discovery broke'):
        gokart.build(GcRoot(workspace_directory=str(tmp_path)), reset_register=False, log_level=logging.CRITICAL)
    assert seen_thresholds == [(700, 10, NO_FULL_COLLECTIONS)]
    assert gc.get_threshold() == thresholds


def test_the_public_pause_nests():
    before = gc.get_threshold()
    with gc_paused():
        with gc_paused():
            assert gc.get_threshold()[2] == NO_FULL_COLLECTIONS
        assert gc.get_threshold()[2] == NO_FULL_COLLECTIONS
    assert gc.get_threshold() == before
