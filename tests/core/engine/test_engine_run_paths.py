"""The shortcuts of the run phase behave as the general code they stand for."""

from __future__ import annotations

import os
import types

import luigi
import pytest

from gokart import _paths
from gokart._engine import schedule_and_run
from gokart._kart import logs
from gokart._kart.commit import Commit

ENV = {'local_scheduler': True, 'no_lock': True, 'log_level': 'CRITICAL'}


class EngineForwarded(luigi.Task):
    """Records what luigi's TaskProcess forwards to run() (set_tracking_url and the rest)."""

    fail = luigi.BoolParameter(default=False)
    seen: list[tuple[bool, bool, object]] = []

    def output(self):
        return luigi.LocalTarget(os.path.join(os.getcwd(), f'forwarded-{self.fail}.txt'))

    def run(self):
        EngineForwarded.seen.append(
            (callable(self.set_tracking_url), callable(self.set_status_message), self.scheduler_messages)
        )
        self.set_status_message('ignored')  # a local build has no scheduler: the call does nothing
        if self.fail:
            raise ValueError('run failed')
        with self.output().open('w') as f:
            f.write('done')


@pytest.mark.parametrize('fail', [False, True])
def test_run_sees_the_forwarded_attributes_and_they_are_reset_after_it(tmp_path, monkeypatch, fail):
    monkeypatch.chdir(tmp_path)
    EngineForwarded.seen.clear()
    task = EngineForwarded(fail=fail)
    result = schedule_and_run([task], None, ENV, gokart_worker=True)
    assert result.status.name == ('FAILED' if fail else 'SUCCESS')
    assert EngineForwarded.seen == [(True, True, None)]
    assert (task.set_tracking_url, task.set_status_message, task.scheduler_messages) == (None, None, None)


@pytest.mark.parametrize(
    'path',
    [
        '/a/b/c.pkl',
        'a/b.pkl',
        'b.pkl',
        '/b.pkl',
        '//b.pkl',
        '/a//b.pkl',
        'a///b.pkl',
        '/a/b/',
        'a/',
        '',
        '/',
        b'/a/b.pkl',
        b'b.pkl',
    ],
)
def test_paths_split_is_os_path_split(path):
    assert _paths.split(path) == os.path.split(path)


def test_commit_resolves_relative_paths_against_the_first_working_directory(tmp_path, monkeypatch):
    first, second = tmp_path / 'first', tmp_path / 'second'
    first.mkdir()
    second.mkdir()
    monkeypatch.chdir(first)
    commit = Commit(types.SimpleNamespace(redis_timeout=None))
    assert commit.absolute('x/y.pkl') == os.path.join(str(first), 'x/y.pkl')
    monkeypatch.chdir(second)  # run() may change directory: the run's files stay where they were named
    assert commit.absolute('z.pkl') == os.path.join(str(first), 'z.pkl')
    assert commit.absolute('/abs/z.pkl') == '/abs/z.pkl'


class _UnhashablePath(str):
    __hash__ = None  # type: ignore[assignment]


@pytest.mark.parametrize('workspace', ['resources', _UnhashablePath('unhashable')])
def test_log_file_path_with_hashable_and_unhashable_workspaces(workspace):
    task = types.SimpleNamespace(workspace_directory=workspace, make_unique_id=lambda: '0123abcd')
    for _ in range(2):  # the second call is served from the cache where the key is hashable
        path, data = logs.log_file(task, 'task_params', 'v', 'txt')
        assert path == os.path.join(str(workspace), 'log/task_params/SimpleNamespace_0123abcd.txt')
        assert data == b'v'
