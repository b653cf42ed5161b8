"""A task counts as done only with its log files on disk: the atomic task commit (gokart/_kart/commit.py).

While the engine or gokart's luigi worker runs a task, what it dumps is staged beside its destination and
renamed into place only after run() succeeded and all five log files are on disk. So: a killed build never
leaves an output without its logs, a failed log write fails the task, a failed run() leaves no output.
"""

from __future__ import annotations

import errno
import glob
import json
import os
import pickle
import random
import signal
import subprocess
import sys
import textwrap
import time

import luigi
import pytest
from luigi.event import Event

import gokart
from gokart import _codec, _log_writer
from gokart.build import WorkerSchedulerFactory
from gokart.errors import GokartBuildError
from tests.reliability._support import LOG_KINDS

pytestmark = pytest.mark.reliability

EXECUTORS = ['engine', 'engine-2-workers', 'luigi-worker']


def _log_paths(name: str, uid: str, workspace: str = 'resources') -> list[str]:
    return [f'{workspace}/log/{kind}/{name}_{uid}.{ext}' for kind, ext in LOG_KINDS.items()]


def _temporaries(root: str = 'resources') -> list[str]:
    return sorted(name for _, _, names in os.walk(root) for name in names if '-luigi-tmp-' in name)


def _build(task: luigi.Task, executor: str) -> bool:
    """True if the build succeeded."""
    if executor == 'luigi-worker':
        result = luigi.build([task], worker_scheduler_factory=WorkerSchedulerFactory(), local_scheduler=True)
        return bool(result)
    try:
        gokart.build(task, reset_register=False, return_value=False, workers=2 if executor == 'engine-2-workers' else 1)
    except GokartBuildError:
        return False
    return True


def _full_disk_for(monkeypatch, fragment: str):
    """Writes of files whose path holds `fragment` fail with ENOSPC: single writes and a commit's batch,
    which then stops there, as a full disk stops it (the files before it are in place). Returns what
    gives the disk its room back."""
    write_atomic, write_files = _log_writer.write_atomic, _codec.write_files

    def full_disk(path, data, timeout=None):
        if fragment in path:
            raise OSError(errno.ENOSPC, 'No space left on device', path)
        write_atomic(path, data, timeout)

    def full_disk_batch(entries):
        for at, (_, destination, _, _) in enumerate(entries):
            if fragment in destination:
                write_files(entries[:at])
                raise OSError(errno.ENOSPC, 'No space left on device', destination)
        write_files(entries)

    monkeypatch.setattr(_log_writer, 'write_atomic', full_disk)
    monkeypatch.setattr(_codec, 'write_files', full_disk_batch)

    def room_again():
        monkeypatch.setattr(_log_writer, 'write_atomic', write_atomic)
        monkeypatch.setattr(_codec, 'write_files', write_files)

    return room_again


# ---- a killed build -------------------------------------------------------------------------------------

TASKS = """
import luigi
import gokart


class Leaf(gokart.TaskOnKart):
    task_namespace = 'reliability'
    i = luigi.IntParameter()

    def run(self):
        self.dump({'i': self.i, 'payload': list(range(200))})


class Root(gokart.TaskOnKart):
    task_namespace = 'reliability'
    n = luigi.IntParameter()

    def requires(self):
        return [Leaf(i=i) for i in range(self.n)]

    def run(self):
        self.dump(sum(leaf['i'] for leaf in self.load()))
"""

BUILD = """
import sys
import luigi
import gokart
from gokart.build import WorkerSchedulerFactory
from reliability_tasks import Root

executor = sys.argv[1]
if executor == 'luigi-worker':
    ok = luigi.build([Root(n=200)], worker_scheduler_factory=WorkerSchedulerFactory(), local_scheduler=True)
    sys.exit(0 if ok else 1)
gokart.build(Root(n=200), reset_register=False, return_value=False, workers=2 if executor == 'engine-2-workers' else 1)
"""

CHECK = """
import json
import gokart
from reliability_tasks import Leaf, Root

total = gokart.build(Root(n=200), reset_register=False)
restored = 0
for i in range(200):
    leaf = Leaf(i=i)
    uid = leaf.make_unique_id()
    assert Leaf.restore(uid) == leaf, i
    assert leaf.output().load()['i'] == i
    restored += 1
print(json.dumps({'total': total, 'restored': restored}))
"""


def _python(code: str, cwd, *args: str, **kwargs) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(cwd), os.environ.get('PYTHONPATH')])))
    return subprocess.Popen(
        [sys.executable, '-c', textwrap.dedent(code), *args], cwd=cwd, env=env, start_new_session=True, **kwargs
    )


def _outputs_without_logs() -> list[str]:
    bad = []
    for path in glob.glob('resources/reliability_tasks/*.pkl'):
        name, uid = os.path.basename(path)[: -len('.pkl')].rsplit('_', 1)
        missing = [log for log in _log_paths(name, uid) if not os.path.exists(log)]
        if missing:
            bad.append(f'{path}: {missing}')
    return bad


def _kill_after(proc: subprocess.Popen, outputs_at_least: int, rng: random.Random) -> bool:
    """SIGKILL the build's process group once it has written `outputs_at_least` outputs (plus a random
    moment); False if it finished first."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            written = len(os.listdir('resources/reliability_tasks'))
        except FileNotFoundError:
            written = 0
        if written >= outputs_at_least:
            time.sleep(rng.uniform(0, 0.02))
            break
        time.sleep(0.001)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    return True


@pytest.mark.slow
@pytest.mark.parametrize('executor', EXECUTORS)
def test_a_killed_build_leaves_no_output_without_its_log_files_and_a_rebuild_restores_every_task(tmp_path, executor):
    (tmp_path / 'reliability_tasks.py').write_text(TASKS)
    rng = random.Random(executor)
    kills = 0
    for _ in range(4):
        before = len(glob.glob('resources/reliability_tasks/*.pkl'))
        proc = _python(BUILD, tmp_path, executor, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            killed = _kill_after(proc, before + rng.randint(5, 40), rng)
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=30)
        kills += killed
        assert _outputs_without_logs() == []
    assert kills >= 2, 'the builds finished before they could be killed'

    check = _python(CHECK, tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    stdout, stderr = check.communicate(timeout=300)
    assert check.returncode == 0, stderr
    assert json.loads(stdout.splitlines()[-1]) == {'total': sum(range(200)), 'restored': 200}
    assert _outputs_without_logs() == []
    # what the killed runs left beside their files was removed when the files were written again
    assert _temporaries() == []


# ---- failures --------------------------------------------------------------------------------------------


class RcSource(gokart.TaskOnKart):
    task_namespace = 'reliability'
    value = luigi.IntParameter(default=1)

    def run(self):
        self.dump(self.value)


class RcFailsAfterDump(gokart.TaskOnKart):
    task_namespace = 'reliability'
    fail = luigi.BoolParameter(default=True, significant=False)

    def run(self):
        self.dump('partial')
        assert self.output().exists() and self.load(self.output()) == 'partial'  # the run sees what it wrote
        if self.fail:
            raise RuntimeError('run() failed after its dump')


@pytest.mark.parametrize('executor', EXECUTORS)
@pytest.mark.parametrize('kind', sorted(LOG_KINDS))
def test_a_failed_log_write_fails_the_task_and_leaves_no_output(monkeypatch, executor, kind):
    room_again = _full_disk_for(monkeypatch, f'/log/{kind}/')
    task = RcSource()
    assert not _build(task, executor)
    assert not os.path.exists(task.output().path())
    assert _temporaries() == []
    room_again()
    assert _build(task, executor)  # the disk has room again: the task runs and is done
    assert all(os.path.exists(path) for path in _log_paths('RcSource', task.make_unique_id()))


@pytest.mark.parametrize('executor', EXECUTORS)
def test_a_run_that_dumps_then_raises_leaves_no_output_and_runs_again(executor):
    task = RcFailsAfterDump()
    assert not _build(task, executor)
    assert not task.complete()
    assert not os.path.exists(task.output().path())
    assert _temporaries() == []
    luigi.task_register.Register.clear_instance_cache()
    assert _build(RcFailsAfterDump(fail=False), executor)
    assert RcFailsAfterDump().output().load() == 'partial'


class RcDynamic(gokart.TaskOnKart):
    task_namespace = 'reliability'

    def run(self):
        self.dump('before the dependency')  # staged, then discarded: run() starts again once it is done
        source = yield RcSource(value=7)
        self.dump(f'{self.load(source)} after the dependency')


@pytest.mark.parametrize('executor', EXECUTORS)
def test_dynamic_dependencies_run_the_task_again_from_scratch(executor):
    task = RcDynamic()
    assert _build(task, executor)
    assert task.output().load() == '7 after the dependency'
    assert all(os.path.exists(path) for path in _log_paths('RcDynamic', task.make_unique_id()))
    assert _temporaries() == []


class RcObserved(gokart.TaskOnKart):
    """Its on_success() (no super() call) and the event handlers see the output and all the logs."""

    task_namespace = 'reliability'
    seen: list[tuple[str, bool, int]] = []

    def _look(self, moment: str) -> None:
        logs = sum(os.path.exists(p) for p in _log_paths('RcObserved', self.make_unique_id()))
        type(self).seen.append((moment, self.output().exists(), logs))

    def run(self):
        self.task_log['note'] = 'from run'
        self.dump('done')
        self._look('run')

    def on_success(self):
        self._look('on_success')


# not with several workers: the events of a forked child do not reach the parent
@pytest.mark.parametrize('executor', [e for e in EXECUTORS if e != 'engine-2-workers'])
def test_events_keep_luigi_order_and_see_the_committed_files(executor):
    RcObserved.seen = []
    events = []

    def recorder(event):
        return lambda task, *args: (events.append(event), task._look(event))

    handlers = {event: recorder(event) for event in (Event.START, Event.PROCESSING_TIME, Event.SUCCESS, Event.FAILURE)}
    for event, handler in handlers.items():
        RcObserved.event_handler(event)(handler)
    try:
        assert _build(RcObserved(), executor)
    finally:
        for event, handler in handlers.items():
            RcObserved.remove_event_handler(event, handler)
    assert events == [Event.START, Event.PROCESSING_TIME, Event.SUCCESS]
    seen = dict((moment, (exists, logs)) for moment, exists, logs in RcObserved.seen)
    assert seen['run'][0] is True  # staged, and visible to the run itself
    assert seen[Event.PROCESSING_TIME] == (True, 5)
    assert seen['on_success'] == (True, 5)
    assert seen[Event.SUCCESS] == (True, 5)
    task_log = _log_paths('RcObserved', RcObserved().make_unique_id())[-1]
    with open(task_log, 'rb') as f:
        assert pickle.load(f) == {'note': 'from run', 'file_path': [RcObserved().output().path()]}


class RcSeeded(gokart.TaskOnKart):
    task_namespace = 'reliability'

    def run(self):
        random.seed(11)
        self.dump('first', self.make_target('seeded/first.pkl'))
        after_dump = random.random()
        self.dump(after_dump)


def test_a_dump_inside_run_consumes_one_draw_as_in_gokart_1_12_2():
    gokart.build(RcSeeded(), reset_register=False, return_value=False)
    random.seed(11)
    random.randrange(0, 10_000_000_000)  # luigi's temporary name for the first dump
    assert RcSeeded().output().load() == random.random()


class RcOuter(gokart.TaskOnKart):
    """A run() that builds another task: each run has its own commit."""

    task_namespace = 'reliability'

    def run(self):
        self.dump('outer, before', self.make_target('outer/before.pkl'))
        inner = gokart.build(RcSource(value=3), reset_register=False)
        assert self.load(self.make_target('outer/before.pkl')) == 'outer, before'
        self.dump(f'outer of {inner}')


@pytest.mark.parametrize('executor', EXECUTORS)
def test_a_build_inside_run_commits_the_inner_task_and_then_the_outer_one(executor):
    task = RcOuter()
    assert _build(task, executor)
    assert task.output().load() == 'outer of 3'
    for name, uid in (('RcOuter', task.make_unique_id()), ('RcSource', RcSource(value=3).make_unique_id())):
        assert all(os.path.exists(path) for path in _log_paths(name, uid))
    assert _temporaries() == []


def test_forked_luigi_task_processes_commit_too():
    # worker_processes > 1: luigi forks a TaskProcess per task; the commit happens in the child
    task = RcFailsAfterDump()
    assert not luigi.build([task], worker_scheduler_factory=WorkerSchedulerFactory(), local_scheduler=True, workers=2)
    assert not os.path.exists(task.output().path())
    assert luigi.build(
        [RcSource(value=5)], worker_scheduler_factory=WorkerSchedulerFactory(), local_scheduler=True, workers=2
    )
    assert all(os.path.exists(path) for path in _log_paths('RcSource', RcSource(value=5).make_unique_id()))
    assert _temporaries() == []


def test_a_failed_log_write_is_reported_once_as_the_task_failure(monkeypatch, caplog):
    _full_disk_for(monkeypatch, '/log/task_params/')
    assert not _build(RcSource(value=9), 'engine')
    assert caplog.text.count('OSError: [Errno 28] No space left on device') == 1
    assert 'Error while writing a supplementary log file' not in caplog.text


# ---- staged pickles held in memory (docs/compat.md Q34) ---------------------------------------------------


class RcPayload(gokart.TaskOnKart):
    task_namespace = 'reliability'
    size = luigi.IntParameter()

    def output(self):
        return self.make_target(f'payload/{self.size}/data.pkl')  # a directory no earlier write created

    def run(self):
        self.dump(_payload(self.size))
        assert self.output().exists() and self.output().load() == _payload(self.size)  # read back while staged


def _payload(size: int) -> bytes:
    return bytes(range(256)) * (size // 256)


@pytest.mark.parametrize('executor', EXECUTORS)
@pytest.mark.parametrize('size', [1024, 3 << 20])  # held in memory; past the limit, on disk while staged
def test_a_staged_pickle_lands_with_the_bytes_of_a_direct_dump(executor, size):
    task = RcPayload(size=size)
    assert _build(task, executor)
    with open(task.output().path(), 'rb') as f:
        committed = f.read()
    os.remove(task.output().path())
    task.dump(_payload(size))  # outside a run: written directly
    with open(task.output().path(), 'rb') as f:
        assert f.read() == committed
    assert pickle.loads(committed) == _payload(size)
    assert all(os.path.exists(path) for path in _log_paths('RcPayload', task.make_unique_id()))
    assert _temporaries() == []
