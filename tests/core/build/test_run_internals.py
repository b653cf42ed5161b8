"""gokart.run() in-process: retcode rules, luigi entry point, Slack report."""

from __future__ import annotations

import os
import sys

import luigi
import luigi.interface
import luigi.retcodes
import pytest

import gokart
from gokart.build import WorkerSchedulerFactory

run_module = sys.modules['gokart.run']

_CODES = ('already_running', 'missing_data', 'not_run', 'task_failed', 'scheduling_error', 'unhandled_exception')


@pytest.fixture(autouse=True)
def restore_retcodes(monkeypatch):
    """run(set_retcode=True) overwrites luigi's retcode class attributes process-wide."""
    for name in _CODES:
        monkeypatch.setattr(luigi.retcodes.retcode, name, luigi.retcodes.retcode.__dict__[name])


class RunOk(gokart.TaskOnKart):
    def run(self):
        self.dump('ok')


class RunBad(gokart.TaskOnKart):
    def run(self):
        raise ValueError('bad')


def _exit_code(*args, **kwargs):
    with pytest.raises(SystemExit) as info:
        gokart.run(*args, **kwargs)
    return info.value.code


class Codes:
    missing_data, task_failed, already_running, scheduling_error, not_run = 20, 40, 10, 50, 30


def _sets(**nonempty):
    names = luigi.execution_summary._ORDERED_STATUSES
    return {name: set(nonempty.get(name, ())) for name in names}


@pytest.mark.parametrize(
    ('sets', 'expected'),
    [
        (_sets(completed={'root'}), 0),
        (_sets(already_done={'root'}), 0),
        (_sets(completed={'root'}, failed={'x'}), 40),
        (_sets(failed={'x'}, still_pending_ext={'y'}, scheduling_error={'z'}), 50),
        (_sets(still_pending_ext={'y'}), 20),
        (_sets(), 30),  # nothing failed, yet the root neither ran nor was done
    ],
)
def test_exit_code_is_the_largest_applicable_code(sets, expected):
    assert run_module._exit_code(sets, 'root', Codes) == expected


def test_set_retcode_installs_gokart_codes():
    assert _exit_code(['RunOk', '--local-scheduler', '--no-lock']) == 0
    codes = {name: getattr(luigi.retcodes.retcode, name) for name in _CODES}
    assert codes == {
        'already_running': 10,
        'missing_data': 20,
        'not_run': 30,
        'task_failed': 40,
        'scheduling_error': 50,
        'unhandled_exception': luigi.retcodes.retcode.__dict__['unhandled_exception'],
    }
    assert _exit_code(['RunBad', '--local-scheduler', '--no-lock']) == 40


def test_without_set_retcode_luigi_defaults_apply():
    assert _exit_code(['RunBad', '--local-scheduler', '--no-lock'], set_retcode=False) == 0


def test_luigi_interface_run_is_called_with_gokart_factory(monkeypatch):
    calls = []

    def fake_run(argv, worker_scheduler_factory=None):
        calls.append((argv, worker_scheduler_factory))
        raise RuntimeError('scheduler down')

    monkeypatch.setattr(luigi.interface, '_run', fake_run)
    assert _exit_code(['RunOk', '--local-scheduler']) == 4
    [(argv, factory)] = calls
    assert argv == ['RunOk', '--local-scheduler'] and isinstance(factory, WorkerSchedulerFactory)


def test_pid_lock_taken_is_already_running(monkeypatch):
    def fake_run(argv, worker_scheduler_factory=None):
        raise luigi.interface.PidLockAlreadyTakenExit()

    monkeypatch.setattr(luigi.interface, '_run', fake_run)
    assert _exit_code(['RunOk', '--local-scheduler']) == 10


def test_arguments_default_to_sys_argv(monkeypatch):
    monkeypatch.setattr(sys, 'argv', ['main.py', 'RunOk', '--local-scheduler', '--no-lock'])
    assert _exit_code() == 0
    assert RunOk().complete()


class FakeSlack:
    instances: list[FakeSlack] = []

    def __init__(self, token, channel, to_user):
        self.args = (token, channel, to_user)
        self.snippets = []
        FakeSlack.instances.append(self)

    def send_snippet(self, comment, title, content):
        self.snippets.append({'comment': comment, 'title': title, 'content': content})


@pytest.fixture
def fake_slack(monkeypatch):
    FakeSlack.instances = []
    monkeypatch.setattr(gokart.slack, 'SlackAPI', FakeSlack)
    monkeypatch.setenv('MY_SLACK_TOKEN', 'xoxb')
    return FakeSlack.instances


SLACK_ARGS = ['--SlackConfig-token-name=MY_SLACK_TOKEN', '--SlackConfig-channel=ch', '--SlackConfig-to-user=me']


def test_slack_report_is_sent_with_the_exit_code(fake_slack):
    assert _exit_code(['RunBad', '--local-scheduler', '--no-lock', *SLACK_ARGS]) == 40
    [api] = fake_slack
    assert api.args == ('xoxb', 'ch', 'me')
    [snippet] = api.snippets
    assert snippet['title'] == 'event.txt'
    assert snippet['comment'] == os.linesep.join(['Report of RunBad', 'Success: 0; Failure: 1'])
    assert snippet['content'].startswith('===== Event List ====' + os.linesep + '---- Failure Tasks ----')
    assert snippet['content'].endswith(
        os.linesep * 3
        + '==== Tree Info ===='
        + os.linesep
        + 'Please add SlackConfig.send_tree_info to include tree-info'
    )


def test_slack_report_can_carry_the_detailed_tree(fake_slack, monkeypatch):
    monkeypatch.setattr(
        gokart, 'make_tree_info', lambda task, details=False: f'tree of {type(task).__name__} {details}'
    )
    assert _exit_code(['RunOk', '--local-scheduler', '--no-lock', '--SlackConfig-send-tree-info', *SLACK_ARGS]) == 0
    [snippet] = fake_slack[0].snippets
    assert snippet['content'].endswith('==== Tree Info ====' + os.linesep + 'tree of RunOk True')


def test_slack_needs_token_and_channel(fake_slack, caplog):
    caplog.set_level('INFO', logger='gokart.run')
    assert _exit_code(['RunOk', '--local-scheduler', '--no-lock', '--SlackConfig-token-name=UNSET_TOKEN_VAR']) == 0
    assert fake_slack == []
    assert ('gokart.run', 20, 'Slack notification is not activated.') in caplog.record_tuples
    assert run_module._try_get_slack_api(['RunOk', *SLACK_ARGS]) is not None
    assert ('gokart.run', 20, 'Slack notification is activated.') in caplog.record_tuples


def test_the_slack_reports_handlers_are_removed_when_the_run_ends(fake_slack):
    """1.12.2 leaves them on luigi.Task for good (docs/compat.md, Q57): every later task of the process would
    go through them, and each plain luigi task's success would log a traceback."""
    handlers = luigi.Task._event_callbacks.setdefault(luigi.Task, {})
    before = {event: set(handlers.get(event, ())) for event in (luigi.Event.SUCCESS, luigi.Event.FAILURE)}
    assert _exit_code(['RunBad', '--local-scheduler', '--no-lock', *SLACK_ARGS]) == 40
    assert fake_slack[0].snippets[0]['comment'].endswith('Success: 0; Failure: 1')  # they did collect the run
    assert {event: set(handlers.get(event, ())) for event in before} == before
