"""A multi-worker build whose process is killed leaves nothing running, and the next build resumes.

The build runs in a subprocess of its own session; the signal goes to its pid (SIGTERM: `kill`,
`timeout`, a container stop; SIGKILL: the OOM killer, `kill -9`) or, for SIGINT, to its whole process
group, as Ctrl-C in a terminal does.
"""

from __future__ import annotations

import os
import pickle
import signal
from pathlib import Path

import pytest
import redis

from tests.reliability._support import runs, wait_for

pytestmark = [pytest.mark.reliability, pytest.mark.single_leg]

LEAVES = 24
SLEEP = '0.3'  # per leaf: with 2 workers the build takes ~3.6 s, so it is killed halfway


def _outputs(workspace: Path) -> dict[str, bytes]:
    return {str(path): path.read_bytes() for path in (workspace / 'resources' / '__main__').glob('Leaf_*.pkl')}


def _start(procs, entry: str, workspace: Path, runs_file: Path, sleep: str):
    env = {'RELIABILITY_RUNS': str(runs_file)}
    if (workspace / 'luigi.cfg').exists():
        env['LUIGI_CONFIG_PATH'] = str(workspace / 'luigi.cfg')
    if entry in ('build', 'build-redis'):
        return procs.start_pipeline('build', str(LEAVES), '2', sleep, cwd=workspace, env=env)
    args = ['Root', '--n', str(LEAVES), '--sleep', sleep, '--local-scheduler', '--workers', '2', '--no-lock']
    return procs.start_pipeline('run', *args, cwd=workspace, env=env)


@pytest.mark.parametrize(
    ('entry', 'signame'),
    [
        ('build', 'SIGTERM'),
        ('build', 'SIGKILL'),
        ('build', 'SIGINT'),
        ('run', 'SIGTERM'),
        ('run', 'SIGKILL'),
        pytest.param('build-redis', 'SIGKILL', marks=pytest.mark.redis),
    ],
)
def test_killed_build_leaves_nothing_running_and_the_next_build_reuses_its_outputs(
    procs, tmp_path, request, entry, signame
):
    workspace = tmp_path / 'ws'
    workspace.mkdir()
    if entry == 'build-redis':  # every dump under a redis lock (short TTL: a lock the kill leaves expires soon)
        host, port = request.getfixturevalue('redis')
        (workspace / 'luigi.cfg').write_text(f'[TaskOnKart]\nredis_host={host}\nredis_port={port}\nredis_timeout=11\n')
    first_runs, second_runs = tmp_path / 'runs1.txt', tmp_path / 'runs2.txt'
    build = _start(procs, entry, workspace, first_runs, SLEEP)
    workers = build.wait_for_children(2)
    # killed in the middle: some leaves done, two running
    assert wait_for(lambda: len(runs(first_runs)) >= 6, 60), build.stderr()[-3000:]
    workers = build.children()

    sig = getattr(signal, signame)
    if sig == signal.SIGINT:
        os.killpg(build.pid, sig)  # Ctrl-C: the terminal signals the whole foreground group
    else:
        os.kill(build.pid, sig)
    returncode = build.wait(timeout=20)

    assert returncode == -sig, build.stderr()[-3000:]  # it still ends by the signal (SIGINT: KeyboardInterrupt)
    if sig == signal.SIGTERM:
        # the build stopped and reaped its workers before it ended
        assert [pid for pid in workers if _exists(pid)] == []
    if sig == signal.SIGINT:
        # the workers exit quietly; the parent reports the KeyboardInterrupt once
        assert 'Process ForkProcess' not in build.stderr()
    procs.assert_nothing_left()

    done = _outputs(workspace)
    assert 0 < len(done) < LEAVES
    assert all(isinstance(pickle.loads(data), int) for data in done.values())  # no partial output

    again = _start(procs, entry, workspace, second_runs, '0')
    assert again.wait(timeout=120) == 0, again.stderr()[-3000:]
    if entry != 'run':
        assert again.json() == {'result': sum(range(LEAVES))}
    rerun = {output for _, task_id, output in runs(second_runs) if task_id.startswith('Leaf_')}
    assert rerun.isdisjoint(done)  # finished outputs are reused, not rebuilt
    assert len(rerun) + len(done) == LEAVES
    assert {path: data for path, data in _outputs(workspace).items() if path in done} == done
    if entry == 'build-redis':
        host, port = request.getfixturevalue('redis')
        assert redis.Redis(host=host, port=port).keys('*') == []  # every lock was released


def _exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
