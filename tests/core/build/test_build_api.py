"""gokart.build(): return values, failures, env params, lock retry, registry reset, logging."""

from __future__ import annotations

import logging
import os
import sys

import luigi
import luigi.rpc
import luigi.scheduler
import pytest
from luigi.task_register import Register

import gokart
import gokart.worker
from gokart.build import (
    GokartBuildError,
    HasLockedTaskException,
    LoggerConfig,
    TaskLockExceptionRaisedFlag,
    WorkerSchedulerFactory,
    _get_output,
    _reset_register,
)
from gokart.conflict_prevention_lock.task_lock import TaskLockException

build_module = sys.modules['gokart.build']


class Constant(gokart.TaskOnKart):
    value = luigi.IntParameter(default=1)

    def run(self):
        self.dump(self.value)


class AddOne(gokart.TaskOnKart):
    src = gokart.TaskInstanceParameter()

    def run(self):
        self.dump(self.load('src') + 1)


class ListOutput(gokart.TaskOnKart):
    def output(self):
        return [self.make_target('a.pkl'), self.make_target('b.pkl')]

    def run(self):
        for target, value in zip(self.output(), ['a', 'b'], strict=True):
            target.dump(value)


class DictOutput(gokart.TaskOnKart):
    def output(self):
        return {'x': self.make_target('x.pkl'), 'y': self.make_target('y.pkl')}

    def run(self):
        self.dump(1, 'x')
        self.dump(2, 'y')


class PlainLuigiOutput(gokart.TaskOnKart):
    def output(self):
        return luigi.LocalTarget('plain.txt')

    def run(self):
        with self.output().open('w') as f:
            f.write('x')


class Boom(gokart.TaskOnKart):
    def run(self):
        raise ValueError('boom')


class PidOf(gokart.TaskOnKart):
    def run(self):
        self.dump(os.getpid())


def _failure_handlers() -> set:
    return set(luigi.Task._event_callbacks.get(gokart.TaskOnKart, {}).get(luigi.Event.FAILURE, set()))


def test_build_returns_loaded_output():
    assert gokart.build(AddOne(src=Constant(value=41))) == 42


def test_build_without_return_value_returns_none_but_runs():
    task = Constant(value=3)
    assert gokart.build(task, return_value=False) is None
    assert task.complete()


@pytest.mark.parametrize(('task', 'expected'), [(ListOutput(), ['a', 'b']), (DictOutput(), {'x': 1, 'y': 2})])
def test_build_returns_list_and_dict_outputs(task, expected):
    assert gokart.build(task) == expected


def test_output_that_is_not_a_gokart_target_is_rejected():
    with pytest.raises(ValueError, match='output type is not supported: .*LocalTarget'):
        gokart.build(PlainLuigiOutput())


def test_get_output_loads_without_running():
    task = Constant(value=7)
    gokart.build(task, return_value=False)
    assert _get_output(task) == 7


class MissingInput(luigi.ExternalTask):
    def output(self):
        return luigi.LocalTarget('not-there.txt')


class NeedsMissingInput(gokart.TaskOnKart):
    def requires(self):
        return MissingInput()


def test_missing_external_input_is_not_a_failure_status_so_loading_fails():
    # docs/compat.md Q21: luigi reports MISSING_EXT, which build() does not treat as failed.
    with pytest.raises(FileNotFoundError):
        gokart.build(NeedsMissingInput())


def test_failed_task_raises_with_summary_and_raised_exceptions():
    task = Boom()
    with pytest.raises(GokartBuildError) as info:
        gokart.build(task)
    message = str(info.value)
    # the failed task and its exception first, then luigi's summary, 1.12.2's whole message (docs/compat.md, Q42)
    assert message.startswith(f'{task} failed: ValueError: boom\n\n\n===== Luigi Execution Summary =====\n')
    assert '* 1 failed:\n    - 1 Boom(...)' in message
    assert info.value.__cause__ is info.value.raised_exceptions[task.make_unique_id()][0]
    assert list(info.value.raised_exceptions) == [task.make_unique_id()]
    [exc] = info.value.raised_exceptions[task.make_unique_id()]
    assert isinstance(exc, ValueError) and exc.args == ('boom',)


def test_failure_handler_is_unregistered_after_each_build():
    before = _failure_handlers()
    gokart.build(Constant())
    with pytest.raises(GokartBuildError):
        gokart.build(Boom())
    with pytest.raises(TypeError):
        gokart.build(Constant(), local_scheduler=False)
    assert _failure_handlers() == before


def test_exceptions_of_one_build_do_not_leak_into_the_next():
    with pytest.raises(GokartBuildError):
        gokart.build(Boom())
    with pytest.raises(GokartBuildError) as info:
        gokart.build(Boom())
    assert [len(v) for v in info.value.raised_exceptions.values()] == [1]


@pytest.mark.parametrize('name', ['local_scheduler', 'detailed_summary'])
def test_build_owned_luigi_arguments_are_type_errors(name):
    with pytest.raises(TypeError, match=name):
        gokart.build(Constant(), **{name: True})


def test_env_params_and_fixed_arguments_reach_luigi_build(monkeypatch):
    calls = []

    class Result:
        status = luigi.LuigiStatusCode.SUCCESS
        summary_text = ''
        scheduling_succeeded = True

    def fake_build(tasks, **kwargs):
        calls.append((tasks, kwargs))
        return Result()

    monkeypatch.setattr(luigi, 'build', fake_build)
    task = Constant()
    assert gokart.build(task, return_value=False, log_level=logging.INFO, workers=3, no_lock=False) is None
    [(tasks, kwargs)] = calls
    assert tasks == [task]
    assert isinstance(kwargs.pop('worker_scheduler_factory'), WorkerSchedulerFactory)
    assert kwargs == {
        'local_scheduler': True,
        'detailed_summary': True,
        'log_level': 'INFO',
        'workers': 3,
        'no_lock': False,
    }


def test_failed_statuses_raise_and_others_do_not(monkeypatch):
    statuses = iter([luigi.LuigiStatusCode.SCHEDULING_FAILED, luigi.LuigiStatusCode.SUCCESS_WITH_RETRY])

    class Result:
        def __init__(self):
            self.status = next(statuses)
            self.summary_text = f'summary of {self.status.name}'
            self.scheduling_succeeded = True

    monkeypatch.setattr(luigi, 'build', lambda tasks, **kwargs: Result())
    with pytest.raises(GokartBuildError, match='summary of SCHEDULING_FAILED'):
        gokart.build(Constant(), return_value=False)
    assert gokart.build(Constant(), return_value=False) is None


def test_workers_run_tasks_in_forked_children():
    gokart.build(AddOne(src=PidOf()), workers=2, return_value=False)
    assert _get_output(PidOf()) != os.getpid()


class LockedTwice(gokart.TaskOnKart):
    """Collides with someone else's run lock on its first two attempts."""

    attempts = 0

    def run(self):
        type(self).attempts += 1
        if type(self).attempts <= 2:
            raise TaskLockException('Lock already taken by other task.')
        self.dump('finally')


class AlwaysLocked(gokart.TaskOnKart):
    attempts = 0

    def run(self):
        type(self).attempts += 1
        raise TaskLockException('Lock already taken by other task.')


def _no_sleep(monkeypatch):
    # backoff sleeps between tries; the waits themselves are not under test.
    monkeypatch.setattr('backoff._sync.time.sleep', lambda seconds: None)


def test_lock_collision_is_retried_until_the_task_runs(monkeypatch):
    _no_sleep(monkeypatch)
    LockedTwice.attempts = 0
    assert gokart.build(LockedTwice(), task_lock_exception_max_tries=5) == 'finally'
    assert LockedTwice.attempts == 3


def test_lock_collision_gives_up_after_max_tries(monkeypatch):
    _no_sleep(monkeypatch)
    AlwaysLocked.attempts = 0
    with pytest.raises(HasLockedTaskException):
        gokart.build(AlwaysLocked(), task_lock_exception_max_tries=3, task_lock_exception_max_wait_seconds=1)
    assert AlwaysLocked.attempts == 3


def test_backoff_waits_are_capped_by_max_wait_seconds(monkeypatch):
    waits = []
    monkeypatch.setattr('backoff._sync.time.sleep', waits.append)
    AlwaysLocked.attempts = 0
    with pytest.raises(HasLockedTaskException):
        gokart.build(AlwaysLocked(), task_lock_exception_max_tries=6, task_lock_exception_max_wait_seconds=2)
    assert len(waits) == 5
    assert all(0 <= w <= 2 for w in waits)


def test_task_lock_flag_starts_unset():
    assert TaskLockExceptionRaisedFlag().flag is False


def _registered(cls) -> bool:
    return cls in Register._reg


def test_reset_register_drops_user_classes_but_keeps_gokart_and_luigi():
    assert _registered(Constant)
    gokart.build(Constant(), reset_register=False)
    assert _registered(Constant)
    gokart.build(Constant())
    assert not _registered(Constant)
    assert _registered(gokart.TaskOnKart) and _registered(luigi.worker.worker)


def test_reset_register_keeps_pandas_type_configs_and_custom_packages():
    from gokart.pandas_type_config import PandasTypeConfig

    class Types(PandasTypeConfig):
        task_namespace = 'test_build_api_types'

        @classmethod
        def type_dict(cls):
            return {}

    _reset_register(keep={'gokart', 'luigi', __name__.split('.')[0]})
    assert _registered(Constant) and _registered(Types)
    _reset_register()
    assert not _registered(Constant) and _registered(Types)


def test_logger_config_disables_lower_levels_and_restores():
    logger = logging.getLogger('gokart.build')
    anything = logging.getLogger('anything')
    saved = (logger.level, logging.root.manager.disable, logging.Logger.isEnabledFor)
    with LoggerConfig(logging.WARNING):
        assert not anything.isEnabledFor(logging.INFO) and anything.isEnabledFor(logging.WARNING)
        assert not logger.isEnabledFor(logging.INFO) and logger.isEnabledFor(logging.WARNING)
    assert (logger.level, logging.root.manager.disable, logging.Logger.isEnabledFor) == saved


def test_logger_config_lets_the_build_logger_pass_its_level():
    # gokart 1.12.2 sets the gokart.build logger to the build's level: its INFO dumps show at log_level=INFO
    logger = logging.getLogger('gokart.build')
    assert not logger.isEnabledFor(logging.INFO)  # the root logger's WARNING
    with LoggerConfig(logging.INFO):
        assert logger.isEnabledFor(logging.INFO) and not logger.isEnabledFor(logging.DEBUG)
        assert not logging.getLogger('anything').isEnabledFor(logging.DEBUG)
    assert not logger.isEnabledFor(logging.INFO)


def test_logger_config_nests_and_restores_the_outer_level():
    anything = logging.getLogger('anything')
    with LoggerConfig(logging.ERROR):
        with LoggerConfig(logging.WARNING):
            assert anything.isEnabledFor(logging.WARNING)
        assert not anything.isEnabledFor(logging.WARNING) and anything.isEnabledFor(logging.ERROR)
    assert anything.isEnabledFor(logging.WARNING)


def test_build_restores_logging_even_when_failing():
    saved = (logging.root.manager.disable, logging.Logger.isEnabledFor)
    with pytest.raises(GokartBuildError):
        gokart.build(Boom(), log_level=logging.CRITICAL)
    assert (logging.root.manager.disable, logging.Logger.isEnabledFor) == saved


def test_worker_scheduler_factory_builds_gokart_worker_and_luigi_schedulers():
    factory = WorkerSchedulerFactory()
    local = factory.create_local_scheduler()
    assert isinstance(local, luigi.scheduler.Scheduler)
    assert local._config.prune_on_get_work is True and local._config.record_task_history is False
    remote = factory.create_remote_scheduler('http://localhost:1/')
    assert isinstance(remote, luigi.rpc.RemoteScheduler) and remote._url == 'http://localhost:1'
    worker = factory.create_worker(scheduler=local, worker_processes=3)
    assert isinstance(worker, gokart.worker.Worker)
    assert worker.worker_processes == 3 and worker._scheduler is local


def test_execute_is_the_only_entry_into_luigi(monkeypatch):
    seen = []

    def fake_execute(task, log_level, env_params):
        seen.append((task, log_level, env_params))
        return type(
            'R', (), {'status': luigi.LuigiStatusCode.SUCCESS, 'summary_text': '', 'scheduling_succeeded': True}
        )()

    monkeypatch.setattr(build_module, '_execute', fake_execute)
    monkeypatch.setattr(luigi, 'build', lambda *a, **k: pytest.fail('luigi.build must go through _execute'))
    task = Constant()
    gokart.build(task, return_value=False, workers=2)
    assert seen == [(task, logging.ERROR, {'workers': 2})]
