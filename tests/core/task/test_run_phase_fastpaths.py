"""The run phase's shortcuts and their fallbacks: the unused draws from `random`, the START log files in one
pass, the dump's required-output records, the engine's logger lookup (each must do what the long way does)."""

from __future__ import annotations

import logging
import random
from unittest import mock

import luigi
import pytest

import gokart
from gokart import _tempfiles
from gokart._engine import _runner
from gokart._kart import commit as commit_module
from gokart._kart import logs
from gokart._kart.outputs import required_outputs
from gokart._kart.session import build_session
from gokart._kart.state import state_of
from gokart.required_task_output import RequiredTaskOutput
from gokart.target import SingleFileTarget

# ---- _tempfiles.draw ----


@pytest.mark.parametrize('count', [1, 2, 3])
def test_draw_leaves_the_state_luigis_randrange_leaves(count):
    for seed in range(300):  # some seeds make randrange draw again (a number past its range)
        random.seed(seed)
        for _ in range(count):
            random.randrange(0, 10_000_000_000)
        expected = random.random()
        random.seed(seed)
        for _ in range(count):
            _tempfiles.draw()
        assert random.random() == expected, seed


def test_draw_calls_a_patched_randrange_as_luigi_would():
    with mock.patch('random.randrange', return_value=5) as patched:
        _tempfiles.draw()
        _tempfiles.draw()
    assert patched.call_args_list == [mock.call(0, 10_000_000_000)] * 2


# ---- the START log files of a staged run ----


class StartLogs(gokart.TaskOnKart):
    k = luigi.IntParameter(default=1)

    def run(self):
        self.dump(self.k)


class StartLogsBadParams(StartLogs):
    def to_str_params(self, only_significant=False, only_public=False):
        if self.__dict__.get('failing'):  # set once its unique id is known
            raise ValueError('no params today')
        return super().to_str_params(only_significant, only_public)


class StartLogsNoSeedMethods(StartLogs):
    @property
    def fix_random_seed_methods(self):
        raise ValueError('no seed methods today')


class StartLogsFixedSeed(StartLogs):
    fix_random_seed_value = 11


def _start(task, start):
    """The deferred log files and the `random` state after `start(task)` in a begun run, and what was logged."""
    task.make_unique_id()
    task.__dict__['failing'] = True
    random.seed(99)
    with build_session(), mock.patch.object(logs.luigi_task_logger, 'exception') as logged:
        commit_module.begin(task)
        try:
            start(task)
            deferred = list(state_of(task).commit.deferred_logs)
        finally:
            commit_module.end(task)
            del task.__dict__['failing']
    return deferred, random.random(), random.getstate(), logged.call_count


def _each_duty(task):
    """The three START duties one by one, each protected as luigi protects a handler: the long way."""
    for duty in (logs.on_start_params, logs.on_start_seed, logs.on_start_module_versions):
        try:
            duty(task)
        except Exception:
            logs.luigi_task_logger.exception('Error in event callback for %r', luigi.Event.START)


@pytest.mark.parametrize(
    'task',
    [
        StartLogs(),
        StartLogs(k=2, should_dump_supplementary_log_files=False),
        StartLogs(k=3, fix_random_seed_methods=['random.seed']),
        StartLogsFixedSeed(),
        StartLogsBadParams(),
        StartLogsNoSeedMethods(),
    ],
    ids=['plain', 'no-logs', 'random-only', 'fixed-seed', 'failing-params', 'failing-seeding'],
)
def test_start_in_one_pass_is_the_three_duties_one_by_one(task):
    one_pass = _start(task, logs.on_start)
    assert one_pass == _start(task, _each_duty)
    deferred, _, _, errors = one_pass
    if task.should_dump_supplementary_log_files:
        assert state_of(task).commit is None  # ended
        assert len(deferred) + errors == 3  # each file, or the error of its duty
        assert [path.rsplit('/log/', 1)[1].split('/')[0] for path, _ in deferred] == [
            kind
            for kind in ('task_params', 'random_seed', 'module_versions')
            if not (kind == 'task_params' and errors and isinstance(task, StartLogsBadParams))
            and not (kind == 'random_seed' and errors and isinstance(task, StartLogsNoSeedMethods))
        ]
    else:
        assert deferred == [] and errors == 0


def test_a_start_handler_of_the_user_still_runs_in_luigis_order(monkeypatch):
    seen = []

    def mine(task):
        seen.append(('start', type(task).__name__, len(state_of(task).commit.deferred_logs)))

    monkeypatch.setattr(luigi.Task, '_event_callbacks', {k: dict(v) for k, v in luigi.Task._event_callbacks.items()})
    StartLogs.event_handler(luigi.Event.START)(mine)  # a subclass's handler: after TaskOnKart's
    assert gokart.build(StartLogs(k=4), reset_register=False) == 4
    assert seen == [('start', 'StartLogs', 3)]  # gokart's three START files were due before it ran


# ---- the dump's required-output records ----


class Needed(gokart.TaskOnKart):
    i = luigi.IntParameter()


class Needs(gokart.TaskOnKart):
    def requires(self):
        return [Needed(i=1), {'two': Needed(i=2)}]


def test_required_outputs_of_single_file_dependencies():
    with build_session():
        records = required_outputs(Needs())
    assert records == [
        RequiredTaskOutput('Needed', Needed(i=1).output().path()),
        {'two': RequiredTaskOutput('Needed', Needed(i=2).output().path())},
    ]


def test_required_outputs_ask_a_patched_path():
    with mock.patch.object(SingleFileTarget, 'path', lambda self: f'patched:{self._target.path}'):
        with build_session():
            records = required_outputs(Needs())
    assert records == [
        RequiredTaskOutput('Needed', f'patched:{Needed(i=1).output().path()}'),
        {'two': RequiredTaskOutput('Needed', f'patched:{Needed(i=2).output().path()}')},
    ]


# ---- the engine's logger ----


def test_the_runner_logger_follows_loggings_registry():
    name = 'gokart-test-run-phase-logger'
    first = _runner._logger(name)
    assert first is logging.getLogger(name) and _runner._logger(name) is first
    del logging.Logger.manager.loggerDict[name]  # a new logger under the same name (e.g. a reset of logging)
    second = _runner._logger(name)
    assert second is logging.getLogger(name) and second is not first
