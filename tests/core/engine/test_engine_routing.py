"""gokart.build() and gokart.run(--local-scheduler) go through the engine; patched luigi entry points still win."""

from __future__ import annotations

import engine_kart_tasks as k
import luigi
import luigi.interface
import luigi.retcodes
import pytest

import gokart
from gokart._engine import _entry
from gokart.errors import GokartBuildError


@pytest.fixture
def engine_runs(monkeypatch):
    calls = []
    original = _entry.Engine.build

    def spy(self, tasks):
        calls.append([t.task_id for t in tasks])
        return original(self, tasks)

    monkeypatch.setattr(_entry.Engine, 'build', spy)
    return calls


def test_build_uses_the_engine(engine_runs):
    assert gokart.build(k.KRoot(n=3), reset_register=False) == sum(10 * i + 10 * (i + 1) for i in range(3))
    assert engine_runs == [[k.KRoot(n=3).task_id]]


def test_build_failure_is_reported_with_the_raised_exception(engine_runs):
    with pytest.raises(GokartBuildError) as info:
        gokart.build(k.KRoot(n=3, fail_at=1), reset_register=False)
    assert 'This progress looks :( because there were failed tasks' in str(info.value)
    [errors] = info.value.raised_exceptions.values()
    assert [str(e) for e in errors] == ['boom 1']
    assert engine_runs


def test_a_patched_luigi_build_is_still_called(monkeypatch, engine_runs):
    seen = []
    real = luigi.build
    monkeypatch.setattr(luigi, 'build', lambda *a, **kw: seen.append(kw) or real(*a, **kw))
    gokart.build(k.KRoot(n=2), reset_register=False)
    assert seen and seen[0]['local_scheduler'] is True
    assert engine_runs == []


@pytest.mark.parametrize(('fail_at', 'code'), [(-1, 0), (1, 40)])
def test_run_with_local_scheduler_uses_the_engine(engine_runs, fail_at, code, monkeypatch):
    for name in ('already_running', 'missing_data', 'not_run', 'task_failed', 'scheduling_error'):
        # gokart.run sets these process-wide: restore them for the tests that follow
        monkeypatch.setattr(luigi.retcodes.retcode, name, getattr(luigi.retcodes.retcode, name))
    with pytest.raises(SystemExit) as info:
        gokart.run(['KRoot', '--KRoot-n', '3', '--KRoot-fail-at', str(fail_at), '--local-scheduler', '--no-lock'])
    assert info.value.code == code
    assert len(engine_runs) == 1
