"""gokart worker semantics in the engine, and the same outcomes as gokart's luigi Worker."""

from __future__ import annotations

import collections
import logging
import os

import engine_graphs as g
import engine_kart_tasks as k
import luigi
import luigi.configuration
import pytest
from luigi.event import Event
from luigi.task_register import Register

from gokart._engine import schedule_and_run
from gokart.build import WorkerSchedulerFactory

ENV = {'local_scheduler': True, 'no_lock': True, 'log_level': 'CRITICAL'}


def _engine(tasks, **env):
    return schedule_and_run(tasks, None, {**ENV, **env}, gokart_worker=True)


def _files(root):
    return sorted(os.path.relpath(os.path.join(d, f), root) for d, _, fs in os.walk(root) for f in fs)


@pytest.fixture
def events():
    """Every event of every TaskOnKart, in this process, as (event, task_id) counts."""
    seen = collections.Counter()
    handlers = []
    for event in (*g.RECORDED_EVENTS, Event.TIMEOUT, Event.PROCESS_FAILURE):

        def handler(task, *args, event=event):
            seen[(event, task.task_id)] += 1

        luigi.Task.event_handler(event)(handler)
        handlers.append((event, handler))
    yield seen
    for event, handler in handlers:
        luigi.Task._event_callbacks[luigi.Task][event].discard(handler)


@pytest.mark.parametrize('fail_at', [-1, 2])
def test_same_outcome_as_gokart_luigi_worker(tmp_path, events, fail_at):
    outcomes = []
    for impl in ('luigi', 'engine'):
        os.chdir(tmp_path)
        os.mkdir(impl)
        os.chdir(impl)
        Register.clear_instance_cache()
        events.clear()
        root = k.KRoot(n=5, fail_at=fail_at)
        if impl == 'luigi':
            result = luigi.build(
                [root], worker_scheduler_factory=WorkerSchedulerFactory(), detailed_summary=True, **ENV
            )
        else:
            result = _engine([root])
        outcomes.append((result.status, result.summary_text, _files('.'), dict(events)))
    assert outcomes[0] == outcomes[1]
    assert len(outcomes[1][2]) > 20  # outputs and the supplementary logs


class EngineProducer(luigi.Task):
    """Its run() also writes the output of EngineSkipped, which the engine then finds complete at run time."""

    def output(self):
        return luigi.LocalTarget('producer')

    def run(self):
        for path in ('producer', 'skipped'):
            with open(path, 'w') as f:
                f.write('x')


class EngineSkipped(luigi.Task):
    ran = []

    def requires(self):
        return EngineProducer()

    def output(self):
        return luigi.LocalTarget('skipped')

    def run(self):
        EngineSkipped.ran.append(True)


def test_task_completed_meanwhile_is_skipped_but_succeeds(tmp_path, events, caplog):
    EngineSkipped.ran.clear()
    with caplog.at_level(logging.WARNING, logger='gokart.worker'):
        result = _engine([EngineSkipped()])
    assert result.status.name == 'SUCCESS'
    assert EngineSkipped.ran == []
    task_id = EngineSkipped().task_id
    assert events[(Event.START, task_id)] == 1
    assert events[(Event.PROCESSING_TIME, task_id)] == 1
    assert events[(Event.SUCCESS, task_id)] == 1
    assert 'EngineSkipped() is skipped because the task is already completed.' in caplog.messages


def test_check_at_run_can_be_turned_off(tmp_path):
    luigi.configuration.get_config().set('gokart_worker', 'task_completion_check_at_run', 'false')
    EngineSkipped.ran.clear()
    assert _engine([EngineSkipped()]).status.name == 'SUCCESS'
    assert EngineSkipped.ran == [True]


class EngineOneForTrue(luigi.Task):
    def complete(self):
        return 1


def test_complete_must_return_a_real_bool_under_gokart():
    result = _engine([EngineOneForTrue()])
    assert result.status.name == 'SCHEDULING_FAILED'
    luigi_semantics = schedule_and_run([EngineOneForTrue()], None, ENV, gokart_worker=False)
    assert luigi_semantics.status.name == 'SUCCESS'


class EngineCounted(luigi.Task):
    n = luigi.IntParameter()
    calls = collections.Counter()

    def requires(self):
        EngineCounted.calls[('requires', self.n)] += 1
        return [EngineCounted(n=int(d[1:])) for d in DAG[f'd{self.n}'][0]]

    def complete(self):
        EngineCounted.calls[('complete', self.n)] += 1
        return os.path.exists(f'c{self.n}')

    def run(self):
        with open(f'c{self.n}', 'w') as f:
            f.write('x')


DAG = g.dag(60)


def test_requires_once_and_complete_bounded_per_task(tmp_path):
    EngineCounted.calls.clear()
    roots = [EngineCounted(n=i) for i in range(55, 60)]
    for root in roots:
        _engine([root])
    requires = [v for (kind, _), v in EngineCounted.calls.items() if kind == 'requires']
    complete = [v for (kind, _), v in EngineCounted.calls.items() if kind == 'complete']
    assert len(requires) > 30
    # one build per root: requires() once per task and build; complete() at discovery, before run
    # (gokart's check) and once when the first dependent runs (luigi's unfulfilled-dependency check)
    assert max(requires) <= len(roots)
    assert max(complete) <= 3 * len(roots)


def test_one_build_calls_requires_once_per_task(tmp_path):
    EngineCounted.calls.clear()
    _engine([EngineCounted(n=59)])
    assert EngineCounted.calls and all(v == 1 for (kind, _), v in EngineCounted.calls.items() if kind == 'requires')
    assert all(v <= 3 for (kind, _), v in EngineCounted.calls.items() if kind == 'complete')


class EngineLink(luigi.Task):
    k = luigi.IntParameter()
    fail_bottom = luigi.BoolParameter(default=False, significant=False)

    def requires(self):
        return EngineLink(k=self.k - 1, fail_bottom=self.fail_bottom) if self.k else []

    def output(self):
        return luigi.LocalTarget(f'links/{self.k}')

    def run(self):
        if self.k == 0 and self.fail_bottom:
            raise ValueError('bottom')
        self.output().makedirs()
        with open(self.output().path, 'w') as f:
            f.write('x')


def test_deep_chain_needs_no_recursion(tmp_path):
    result = _engine([EngineLink(k=3_000)])
    assert result.status.name == 'SUCCESS'
    assert len(os.listdir('links')) == 3_001


def test_deep_failing_chain_summary_needs_no_recursion(tmp_path):
    result = _engine([EngineLink(k=2_000, fail_bottom=True)])
    assert result.status.name == 'FAILED'
    assert len(result.summary_sets['upstream_failure']) == 2_000
    assert '* 2000 had failed dependencies:' in result.summary_text


def test_two_workers_run_gokart_tasks_in_forked_children(tmp_path):
    result = _engine([k.KRoot(n=6)], workers=2)
    assert result.status.name == 'SUCCESS'
    assert k.KRoot(n=6).output().load() == sum(10 * i + 10 * (i + 1) for i in range(6))


def test_central_scheduler_runs_stay_on_luigi(monkeypatch):
    calls = []
    monkeypatch.setattr(luigi.interface, '_schedule_and_run', lambda *a, **kw: calls.append(kw) or 'luigi')
    assert schedule_and_run([EngineLink(k=1)], None, {'no_lock': True}) == 'luigi'
    assert calls


class EngineSlow(luigi.Task):
    worker_timeout = 1

    def output(self):
        return luigi.LocalTarget('slow')

    def run(self):
        import time

        time.sleep(30)


def test_a_task_past_its_worker_timeout_is_terminated_and_fails(tmp_path, events):
    result = _engine([EngineSlow()])
    assert result.status.name == 'FAILED'
    assert not os.path.exists('slow')
    assert events[(Event.START, EngineSlow().task_id)] == 0  # fired in the child, like luigi
    assert events[(Event.TIMEOUT, EngineSlow().task_id)] == 1
