"""Redis run locks with real processes: three builds of one 200-task DAG in a shared workspace finish.

Each process (tests/reliability/run_lock_dag.py) runs gokart.build with should_lock_run=True against a real
redis-server. A task whose run lock another process holds must not fail its build: the engine runs other
ready tasks and comes back to it, then finds it complete (or takes the lock once it expires).
"""

from __future__ import annotations

import collections
import importlib.util
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gokart.conflict_prevention_lock.task_lock import make_task_lock_params_for_run
from tests.processes import assert_each_ran_once, finish

pytestmark = [pytest.mark.reliability, pytest.mark.redis, pytest.mark.single_leg]

SCRIPT = Path(__file__).with_name('run_lock_dag.py')
SIZE = 200
PROCESS_TIMEOUT = 240


def _start(workspace: Path, host: str, port: int, workers: int, pause: float) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(SCRIPT), host, str(port), str(SIZE), str(workers), str(pause), 'runs.log'],
        cwd=workspace,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its forked workers share its process group: stopped together on timeout
    )


@pytest.mark.parametrize(
    ('trial', 'workers'),
    [(0, (1, 1, 1)), (1, (1, 1, 1)), (2, (1, 1, 1)), (3, (2, 1, 2))],
    ids=['trial0', 'trial1', 'trial2', 'forked-workers'],
)
def test_three_processes_build_every_task_exactly_once_and_all_exit_0(tmp_path, redis_server, trial, workers):
    import redis

    host, port = redis_server
    redis.Redis(host=host, port=port).flushall()
    procs = [_start(tmp_path, host, port, n, pause=0.01) for n in workers]
    assert_each_ran_once(finish(procs, PROCESS_TIMEOUT), tmp_path / 'runs.log', SIZE)


def _run_lock_key(index: int, host: str, port: int) -> str:
    spec = importlib.util.spec_from_file_location('run_lock_dag', SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    task = module.LockedNode(index=index, size=SIZE, redis_host=host, redis_port=port, should_lock_run=True)
    return make_task_lock_params_for_run(task).redis_key


def test_a_stale_lock_is_taken_once_it_expires(tmp_path, redis_server):
    """A holder that died keeps its lock until the TTL: the build waits for it, then runs the task once."""
    import redis

    host, port = redis_server
    client = redis.Redis(host=host, port=port)
    client.flushall()
    key = _run_lock_key(index=5, host=host, port=port)
    assert key.startswith('LockedNode_') and key.endswith('-run')  # gokart 1.12.2's run-lock key
    client.set(key, b'dead-holder', px=3000)

    started = time.monotonic()
    ((code, err),) = finish([_start(tmp_path, host, port, 1, pause=0.0)], PROCESS_TIMEOUT)
    elapsed = time.monotonic() - started

    assert code == 0, err[-3000:]
    runs = collections.Counter(int(line.split()[0]) for line in (tmp_path / 'runs.log').read_text().splitlines())
    assert sorted(runs) == list(range(SIZE)) and set(runs.values()) == {1}
    assert elapsed >= 2.5  # Node 5 (and so the root) had to wait for the stale lock to expire
