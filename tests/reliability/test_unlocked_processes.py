"""Three processes without locks on one shared DAG: the counterpart of test_run_locks.py's locked case.

Without redis nothing is locked, so the three builds of Root(n=12, mids=3) start on the same tasks at
the same time and tasks may run more than once, in several processes; that is allowed (docs/reliability.md,
"Locks"). What must hold: all three exit 0 with the right result, every output is whole and loadable,
every task with an output has its five log files (TaskOnKart.restore and the log getters work), no
writer fails on a temporary file another one renamed (FileNotFoundError: under gokart 1.12.2 the
temporary names came from `random`, which every process seeds alike for the same task), and no
temporary file is left behind.
"""

from __future__ import annotations

import collections

import pytest

from tests.reliability._support import runs

pytestmark = [pytest.mark.reliability, pytest.mark.single_leg]

LEAVES, MIDS = 12, 3


@pytest.mark.parametrize('workers', [1, 2])
def test_three_unlocked_processes_on_one_dag_all_succeed_and_leave_valid_outputs(procs, tmp_path, workers):
    workspace = tmp_path / 'ws'
    workspace.mkdir()
    runs_file = tmp_path / 'runs.txt'
    env = {'RELIABILITY_RUNS': str(runs_file)}
    started = [
        procs.start_pipeline(
            'mids',
            str(LEAVES),
            str(MIDS),
            str(workers),
            '0.05',
            cwd=workspace,
            env=env,
            name=f'p{k}',
        )
        for k in range(3)
    ]
    for build in started:
        assert build.wait(timeout=180) == 0, build.stderr()[-3000:]
        assert build.json() == {'result': sum(range(LEAVES))}
        assert 'FileNotFoundError' not in build.stderr()
    procs.assert_nothing_left()

    ran = collections.Counter(task_id.split('_')[0] for _, task_id, _ in runs(runs_file))
    assert ran['Leaf'] >= LEAVES and ran['Mid'] >= MIDS and ran['Root'] >= 1  # each at least once, maybe more
    assert sorted(p.name for p in workspace.rglob('*-luigi-tmp-*')) == []

    restore = procs.start_pipeline('restore', cwd=workspace, name='restore')
    assert restore.wait() == 0, restore.stderr()[-3000:]
    report = restore.json()
    assert report['problems'] == []
    assert len(report['restored']) == LEAVES + MIDS + 1
    procs.assert_nothing_left()
