"""Temporary files of atomic writes: unique per writer, luigi's draws kept, stale ones removed (gokart/_tempfiles.py)."""

from __future__ import annotations

import gc
import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
import warnings

import pytest

import gokart
from gokart import _log_writer, _tempfiles
from gokart.errors import GokartBuildError
from gokart.file_processor import PickleFileProcessor

pytestmark = pytest.mark.reliability


def _temporaries(root: str = 'resources') -> list[str]:
    return sorted(name for _, _, names in os.walk(root) for name in names if '-luigi-tmp-' in name)


def _env(cwd) -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(cwd), os.environ.get('PYTHONPATH')])))


# ---- names -----------------------------------------------------------------------------------------------


def test_names_are_unique_per_writer_and_do_not_touch_random():
    random.seed(3)
    first = _tempfiles.temporary_path('out.pkl')
    expected = random.random()
    random.seed(3)
    second = _tempfiles.temporary_path('out.pkl')
    assert random.random() == expected  # naming draws nothing ...
    assert first != second  # ... and a reseeded generator does not repeat a name
    assert first.startswith('out.pkl-luigi-tmp-') and f'-{os.getpid()}-' in first


def test_a_log_write_still_draws_once_like_luigi():
    random.seed(5)
    _log_writer.submit('resources/log/x.pkl', b'data')
    after = random.random()
    random.seed(5)
    random.randrange(0, 10_000_000_000)
    assert after == random.random()


class TfRaisingProcessor(PickleFileProcessor):
    def dump(self, obj, file):
        file.write(b'half of it')
        raise OSError(28, 'No space left on device')


class TfFailingDump(gokart.TaskOnKart):
    task_namespace = 'reliability'

    def output(self):
        return self.make_target('failing.pkl', processor=TfRaisingProcessor())

    def run(self):
        self.dump('x')


def test_a_failing_dump_in_a_run_removes_its_temporary_file_and_closes_it():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        with pytest.raises(GokartBuildError):
            gokart.build(TfFailingDump(), reset_register=False)
        gc.collect()
    assert _temporaries() == []
    assert [w for w in caught if issubclass(w.category, ResourceWarning)] == []


# ---- stale files -----------------------------------------------------------------------------------------


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, '-c', 'pass'])
    proc.wait()
    return proc.pid


def _is_zombie(pid: int) -> bool:
    with open(f'/proc/{pid}/stat', 'rb') as f:
        stat = f.read()
    return stat[stat.rfind(b')') + 2 :][:1] == b'Z'


@pytest.mark.skipif(not os.path.isdir('/proc/self'), reason='zombies are recognised through /proc')
def test_only_temporary_files_without_a_live_owner_are_removed(tmp_path):
    os.mkdir('out')
    path = os.path.abspath('out/target.pkl')
    host = _tempfiles._HOST
    other_host = 'ffff' if host != 'ffff' else 'eeee'
    ours = _tempfiles.temporary_path(path)
    zombie = subprocess.Popen([sys.executable, '-c', 'pass'])  # exited, not yet reaped: a zombie
    while not _is_zombie(zombie.pid):
        time.sleep(0.01)
    names = {
        'dead writer': (f'{path}-luigi-tmp-{host}-{_dead_pid()}-0-deadbeef', False),
        'live writer': (f'{path}-luigi-tmp-{host}-{os.getppid()}-0-deadbeef', True),
        'killed writer, not yet reaped': (f'{path}-luigi-tmp-{host}-{zombie.pid}-0-deadbeef', False),
        'an earlier process with our pid': (f'{path}-luigi-tmp-{host}-{os.getpid()}-0-00000000', False),
        'this process': (ours, True),
        'luigi, old': (f'{path}-luigi-tmp-0123456789', False),
        'luigi, recent': (f'{path}-luigi-tmp-9876543210', True),
        'other host, old': (f'{path}-luigi-tmp-{other_host}-1-0-deadbeef', False),
        'other host, recent': (f'{path}-luigi-tmp-{other_host}-2-0-deadbeef', True),
        'not a temporary name': (f'{path}-luigi-tmp-notes', True),
        'another target': (f'{path[:-4]}2.pkl-luigi-tmp-{host}-{_dead_pid()}-0-deadbeef', True),
    }
    for name, _ in names.values():
        open(name, 'w').close()
    old = time.time() - 1000
    for what in ('luigi, old', 'other host, old'):
        os.utime(names[what][0], (old, old))
    _tempfiles.forget_listings()
    _tempfiles.remove_stale(path, timeout=180)
    zombie.wait()
    assert {what: os.path.exists(name) for what, (name, _) in names.items()} == {
        what: kept for what, (_, kept) in names.items()
    }


TASKS = """
import pickle
import time

import luigi
import gokart
from gokart.file_processor import PickleFileProcessor


class SlowProcessor(PickleFileProcessor):
    def __init__(self, pause):
        super().__init__()
        self.pause = pause

    def dump(self, obj, file):
        data = pickle.dumps(obj)
        file.write(data[:5])
        file.flush()
        time.sleep(self.pause)  # killed here
        file.write(data[5:])


class Slow(gokart.TaskOnKart):
    task_namespace = 'reliability'
    pause = luigi.FloatParameter(significant=False)

    def output(self):
        return self.make_target('slow.pkl', processor=SlowProcessor(self.pause))

    def run(self):
        self.dump('done')


class Shared(gokart.TaskOnKart):
    task_namespace = 'reliability'
    round = luigi.IntParameter()

    def output(self):
        return {name: self.make_target(f'shared/{name}.pkl') for name in 'abcde'}

    def run(self):
        time.sleep(0.01)  # both processes past their completeness checks
        for name in 'abcde':
            self.dump(bytes(2**20), name)
"""


def test_a_killed_dump_leaves_its_temporary_file_and_the_next_build_removes_it(tmp_path):
    (tmp_path / 'reliability_temp_tasks.py').write_text(TASKS)
    # Seeded differently, so that luigi's seeded names could not make the rebuild reuse the killed run's name.
    code = textwrap.dedent("""
        import sys, gokart
        from reliability_temp_tasks import Slow
        gokart.build(Slow(pause=float(sys.argv[1]), fix_random_seed_value=int(sys.argv[2])), reset_register=False)
    """)
    proc = subprocess.Popen(
        [sys.executable, '-c', code, '60', '1'],
        cwd=tmp_path,
        env=_env(tmp_path),
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while not [name for name in _temporaries() if name.startswith('slow_')] and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    left = [name for name in _temporaries() if name.startswith('slow_')]
    assert len(left) == 1
    output = os.path.join('resources', left[0].split('-luigi-tmp-')[0])
    assert not os.path.exists(output)

    subprocess.run([sys.executable, '-c', code, '0', '2'], cwd=tmp_path, env=_env(tmp_path), check=True, timeout=120)
    assert os.path.exists(output)
    assert _temporaries() == []


WRITER = """
import json, os, sys, time
import gokart
from reliability_temp_tasks import Shared

me, other, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
failures = []
for r in range(rounds):
    open(f'sync/{r}-{me}', 'w').close()
    while not os.path.exists(f'sync/{r}-{other}'):
        time.sleep(0.0002)
    try:
        # seeded alike: under luigi's naming both processes would draw the same temporary names
        gokart.build(Shared(round=r, fix_random_seed_value=57), reset_register=False, return_value=False)
    except Exception as error:
        failures.append(repr(error.raised_exceptions if hasattr(error, 'raised_exceptions') else error))
print(json.dumps(failures))
"""


@pytest.mark.slow
def test_concurrent_writers_of_the_same_target_never_collide(tmp_path):
    (tmp_path / 'reliability_temp_tasks.py').write_text(TASKS)
    os.mkdir(tmp_path / 'sync')
    rounds = '30'
    procs = [
        subprocess.Popen(
            [sys.executable, '-c', textwrap.dedent(WRITER), me, other, rounds],
            cwd=tmp_path,
            env=_env(tmp_path),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        for me, other in (('a', 'b'), ('b', 'a'))
    ]
    results = []
    try:
        for proc in procs:
            stdout, stderr = proc.communicate(timeout=300)
            assert proc.returncode == 0, stderr
            assert 'FileNotFoundError' not in stderr
            results.append(json.loads(stdout.splitlines()[-1]))
    finally:
        for proc in procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=30)
    assert results == [[], []]
    assert _temporaries() == []
