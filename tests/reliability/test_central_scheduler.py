"""Runs against luigi's central scheduler (luigid): unreachable, and shared by several processes."""

from __future__ import annotations

import collections
import pickle
from pathlib import Path

import pytest

from tests.reliability._support import closed_port, runs

pytestmark = [pytest.mark.reliability, pytest.mark.single_leg]


@pytest.mark.upstream
def test_unreachable_scheduler_fails_clearly_with_upstreams_exit_code(procs, tmp_path, upstream_python):
    port = closed_port()
    config = tmp_path / 'luigi.cfg'
    config.write_text('[core]\nrpc-retry-attempts=1\nrpc-retry-wait=0\n')  # luigi's default retries 3 x 30 s
    args = ['Root', '--n', '3', '--scheduler-host', '127.0.0.1', '--scheduler-port', str(port), '--workers', '2']
    results = {}
    for name, python in (('ours', None), ('upstream', upstream_python)):
        workspace = tmp_path / name
        workspace.mkdir()
        kwargs = {} if python is None else {'python': python}
        run = procs.start_pipeline(
            'run', *args, cwd=workspace, env={'LUIGI_CONFIG_PATH': str(config)}, name=name, **kwargs
        )
        results[name] = (run.wait(timeout=120), run.stderr(), workspace)
    (code, stderr, workspace), (upstream_code, upstream_stderr, _) = results['ours'], results['upstream']
    assert code == upstream_code == 4  # luigi's unhandled_exception
    message = f"RPCError: Errors (1 attempts) when connecting to remote scheduler 'http://127.0.0.1:{port}'"
    assert message in stderr and message in upstream_stderr
    assert 'Uncaught exception in luigi' in stderr and 'Uncaught exception in luigi' in upstream_stderr
    assert not (workspace / 'resources' / '__main__').exists()  # nothing ran
    procs.assert_nothing_left()


def test_three_processes_share_one_dag_through_luigid(procs, tmp_path, luigid):
    host, port = luigid
    workspace = tmp_path / 'ws'
    workspace.mkdir()
    runs_file = tmp_path / 'runs.txt'
    # Root <- 4 Mid <- 3 Leaf each: 17 tasks; luigi's default retcodes (gokart's would report the tasks
    # that another process ran as "not run": 30 for each, as 1.12.2 does)
    args = [
        'Root',
        '--n',
        '12',
        '--mids',
        '4',
        '--sleep',
        '0.2',
        '--scheduler-host',
        host,
        '--scheduler-port',
        str(port),
    ]
    started = [
        procs.start_pipeline(
            'run-luigi-retcodes', *args, '--no-lock', cwd=workspace, env={'RELIABILITY_RUNS': str(runs_file)}
        )
        for _ in range(3)
    ]
    codes = [run.wait(timeout=300) for run in started]
    assert codes == [0, 0, 0], [run.stderr()[-2000:] for run in started]

    ran = runs(runs_file)
    per_task = collections.Counter(task_id for _, task_id, _ in ran)
    assert len(per_task) == 17 and set(per_task.values()) == {1}, per_task  # every task exactly once
    families = collections.Counter(task_id.split('_')[0] for task_id in per_task)
    assert families == {'Leaf': 12, 'Mid': 4, 'Root': 1}
    [root_output] = [output for _, task_id, output in ran if task_id.startswith('Root_')]
    assert pickle.loads(Path(root_output).read_bytes()) == sum(range(12))
    procs.assert_nothing_left()
