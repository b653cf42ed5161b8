"""gokart.worker: config section, skip-if-complete before run, events, fork context."""

from __future__ import annotations

import logging
import multiprocessing
import warnings

import luigi
import luigi.configuration
import luigi.worker
import numpy as np
import pytest
from luigi.event import Event

import gokart
from gokart.build import WorkerSchedulerFactory
from gokart.worker import ContextManagedTaskProcess, TaskProcess, Worker, gokart_worker


def _set_config(section: str, option: str, value: str) -> None:
    config = luigi.configuration.get_config()
    if not config.has_section(section):
        config.add_section(section)
    config.set(section, option, value)


def _run(task: luigi.Task) -> luigi.execution_summary.LuigiRunResult:
    return luigi.build(
        [task], worker_scheduler_factory=WorkerSchedulerFactory(), local_scheduler=True, detailed_summary=True
    )


class BecomesComplete(luigi.Task):
    """Incomplete when scheduled, complete by the time the worker is about to run it (another process won)."""

    runs = 0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.complete_calls = 0

    def complete(self):
        self.complete_calls += 1
        return self.complete_calls > 1

    def run(self):
        type(self).runs += 1


@pytest.fixture
def events():
    seen: list[tuple[str, str]] = []

    def recorder(event):
        return lambda task, *args: seen.append((event, type(task).__name__))

    handlers = {event: recorder(event) for event in (Event.START, Event.SUCCESS, Event.FAILURE, Event.PROCESSING_TIME)}
    for event, handler in handlers.items():
        luigi.Task.event_handler(event)(handler)
    yield seen
    for event, handler in handlers.items():
        luigi.Task.remove_event_handler(event, handler)


def test_completed_task_is_skipped_at_run_time_but_counted_done(events, caplog):
    BecomesComplete.runs = 0
    with caplog.at_level(logging.WARNING, logger='gokart.worker'):
        result = _run(BecomesComplete())
    assert BecomesComplete.runs == 0
    assert result.status == luigi.LuigiStatusCode.SUCCESS
    assert (
        'gokart.worker',
        logging.WARNING,
        'BecomesComplete() is skipped because the task is already completed.',
    ) in (caplog.record_tuples)
    assert events == [
        (Event.START, 'BecomesComplete'),
        (Event.PROCESSING_TIME, 'BecomesComplete'),
        (Event.SUCCESS, 'BecomesComplete'),
    ]


def test_completion_check_at_run_can_be_switched_off_in_gokart_worker_section():
    _set_config('gokart_worker', 'task_completion_check_at_run', 'false')
    BecomesComplete.runs = 0
    _run(BecomesComplete())
    assert BecomesComplete.runs == 1


def test_luigi_worker_section_is_ignored():
    _set_config('worker', 'wait_interval', '7')
    _set_config('worker', 'task_completion_check_at_run', 'false')
    _set_config('gokart_worker', 'wait_jitter', '0.5')
    config = Worker()._config
    assert isinstance(config, gokart_worker)
    assert config.wait_interval == 1.0 and config.wait_jitter == 0.5
    assert config.task_completion_check_at_run is True


def test_core_aliases_of_luigi_worker_options_apply():
    _set_config('core', 'worker-timeout', '12')
    _set_config('core', 'worker-keep-alive', 'true')
    # luigi reads these aliases with DeprecationWarnings (dashes; [core] for a worker option), which it
    # does not give every time: what is tested here is that the values apply.
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', DeprecationWarning)
        config = gokart_worker()
    assert config.timeout == 12 and config.keep_alive is True


def test_task_completion_check_at_run_is_an_explicit_bool():
    assert isinstance(gokart_worker.task_completion_check_at_run, gokart.ExplicitBoolParameter)
    assert gokart_worker().task_completion_check_at_run is True


def test_explicit_config_and_worker_id_are_used():
    config = gokart_worker(wait_interval=3.0, id='from-config')
    worker = Worker(worker_processes=2, config=config)
    assert worker._config is config and worker._id == 'from-config' and worker.worker_processes == 2
    assert Worker(worker_id='explicit', config=config)._id == 'explicit'
    assert isinstance(Worker()._scheduler, luigi.scheduler.Scheduler)


@pytest.mark.parametrize('value', [True, False])
def test_check_complete_value_accepts_bools(value):
    assert Worker()._check_complete_value(value) is None


@pytest.mark.parametrize('value', [1, 0, None, 'True', np.True_])
def test_check_complete_value_requires_a_real_bool(value):
    with pytest.raises(Exception, match=r'Return value of Task.complete\(\) must be boolean'):
        Worker()._check_complete_value(value)


def test_check_complete_value_reraises_wrapped_tracebacks():
    with pytest.raises(luigi.worker.AsyncCompletionException) as info:
        Worker()._check_complete_value(luigi.worker.TracebackWrapper('the trace'))
    assert info.value.trace == 'the trace'


class ReturnsOne(luigi.Task):
    def complete(self):
        return 1


def test_non_bool_complete_is_a_scheduling_failure():
    assert _run(ReturnsOne()).status == luigi.LuigiStatusCode.SCHEDULING_FAILED


class Gokart(gokart.TaskOnKart):
    def run(self):
        self.dump('ok')


class GokartBoom(gokart.TaskOnKart):
    def run(self):
        raise ValueError('boom')


def test_events_of_a_gokart_build(events):
    gokart.build(Gokart())
    assert events == [(Event.START, 'Gokart'), (Event.PROCESSING_TIME, 'Gokart'), (Event.SUCCESS, 'Gokart')]


def test_failure_event_of_a_gokart_build(events):
    with pytest.raises(gokart.build.__globals__['GokartBuildError']):
        gokart.build(GokartBoom())
    assert events == [(Event.START, 'GokartBoom'), (Event.FAILURE, 'GokartBoom')]


def test_task_processes_always_fork():
    assert TaskProcess._start_method == 'fork'
    assert TaskProcess._Popen is multiprocessing.get_context('fork').Process._Popen
    assert issubclass(ContextManagedTaskProcess, TaskProcess)
    process = Worker()._create_task_process(Gokart())
    assert isinstance(process, ContextManagedTaskProcess)
    assert process.task_completion_check_at_run is True


class RecordingContext:
    entered: list[str] = []

    def __init__(self, task_process):
        self.task_process = task_process

    def __enter__(self):
        type(self).entered.append(type(self.task_process.task).__name__)

    def __exit__(self, *exc_info):
        type(self).entered.append('exit')


def test_task_process_context_wraps_each_run():
    _set_config('gokart_worker', 'task_process_context', f'{__name__}.RecordingContext')
    RecordingContext.entered = []
    gokart.build(Gokart(), reset_register=False)
    assert RecordingContext.entered == ['Gokart', 'exit']


class Shared(gokart.TaskOnKart):
    def run(self):
        self.dump('shared')


class UsesShared(gokart.TaskOnKart):
    name = luigi.Parameter()

    def requires(self):
        return Shared()

    def run(self):
        self.dump(self.name + self.load())


class Both(gokart.TaskOnKart):
    def requires(self):
        return [UsesShared(name='a'), UsesShared(name='b')]

    def run(self):
        self.dump([self.load()[0], self.load()[1]])


def test_multiprocess_workers():
    assert gokart.build(Both(), workers=2) == ['ashared', 'bshared']


class PlainLeaf(luigi.Task):
    n = luigi.IntParameter()

    def output(self):
        return luigi.LocalTarget(f'leaf{self.n}.txt')

    def run(self):
        with self.output().open('w') as f:
            f.write(str(self.n))


class PlainRoot(luigi.WrapperTask):
    def requires(self):
        return [PlainLeaf(n=n) for n in range(3)]


def test_parallel_scheduling_checks_completeness_in_a_forked_pool():
    # (TaskOnKart instances are not picklable, so upstream cannot schedule them in parallel either.)
    result = luigi.build(
        [PlainRoot()],
        worker_scheduler_factory=WorkerSchedulerFactory(),
        local_scheduler=True,
        detailed_summary=True,
        parallel_scheduling=True,
        parallel_scheduling_processes=2,
    )
    assert result.status == luigi.LuigiStatusCode.SUCCESS
    assert PlainRoot().complete()


def test_run_failures_are_logged_on_the_gokart_worker_logger(caplog):
    caplog.set_level(logging.ERROR, logger='gokart.worker')
    _run(GokartBoom())
    [record] = [r for r in caplog.records if r.name == 'gokart.worker']
    assert record.levelno == logging.ERROR and 'failed' in record.getMessage() and 'GokartBoom' in record.getMessage()
    assert record.exc_info[0] is ValueError
