"""gokart.build(task, executor=client) on a LocalCluster of two worker processes (docs/distributed.md)."""

from __future__ import annotations

import collections
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import dask_tasks as d
import pytest
from dask_cluster import local_cluster

import gokart
from gokart.build import GokartBuildError

pytestmark = pytest.mark.single_leg

REPO_ROOT = Path(__file__).resolve().parents[2]


def _outputs(workspace: Path) -> dict[str, bytes]:
    """Every output file of a build by path under the workspace, the log files aside."""
    return {
        str(path.relative_to(workspace)): path.read_bytes()
        for path in sorted(workspace.rglob('*'))
        if path.is_file() and path.relative_to(workspace).parts[0] != 'log'
    }


def _counts(log: Path) -> collections.Counter[str]:
    return collections.Counter(log.read_text().splitlines()) if log.exists() else collections.Counter()


def test_a_300_task_dag_runs_each_task_once_with_the_bytes_of_a_local_build(tmp_path, dask_client):
    on_dask, local = tmp_path / 'dask', tmp_path / 'local'
    log = tmp_path / 'count.log'
    result = gokart.build(d.DRoot(workspace_directory=str(on_dask), count_log=str(log)), executor=dask_client)
    counts = _counts(log)
    assert len(counts) == 300 and set(counts.values()) == {1}
    assert gokart.build(d.DRoot(workspace_directory=str(local)), workers=2) == result
    ours, theirs = _outputs(on_dask), _outputs(local)
    assert len(ours) == 300 and ours == theirs
    # a second build finds everything complete and runs nothing
    gokart.build(d.DRoot(workspace_directory=str(on_dask), count_log=str(log)), executor=dask_client)
    assert _counts(log) == counts


def test_a_failure_stops_only_its_dependents_with_the_summary_of_a_local_build(tmp_path, dask_client):
    summaries, counts = [], []
    for name, executor in (('dask', dask_client), ('local', None)):
        log = tmp_path / f'{name}.log'
        task = d.DRoot(workspace_directory=str(tmp_path / name), count_log=str(log), fail_at=70)
        with pytest.raises(GokartBuildError) as raised:
            gokart.build(task, **({'executor': executor} if executor else {'workers': 2}))
        summaries.append(str(raised.value))
        counts.append(_counts(log))
    assert summaries[0] == summaries[1]
    assert '1 failed' in summaries[0] and 'failed dependencies' in summaries[0]
    assert counts[0] == counts[1]
    # DMiddle(j=70) is used by DTop(k=23) only: it and the root stay pending, everything else runs once
    assert sum(counts[0].values()) == 300 - 1 - 1 - 1 and set(counts[0].values()) == {1}


def test_events_reach_the_handlers_of_the_client_once(tmp_path, dask_client):
    seen: list[tuple[str, str]] = []

    def record(event):
        return lambda task, *args: seen.append((event, task.make_unique_id()))

    handlers = [(event, record(event)) for event in ('event.core.start', 'event.core.success')]
    for event, handler in handlers:
        gokart.TaskOnKart.event_handler(event)(handler)
    try:
        gokart.build(d.SlowRoot(n=5, workspace_directory=str(tmp_path)), executor=dask_client)
    finally:
        for event, handler in handlers:
            gokart.TaskOnKart.remove_event_handler(event, handler)
    assert len(seen) == 12 and len(set(seen)) == 12
    assert seen[-2:] == [(name, seen[-1][1]) for name in ('event.core.start', 'event.core.success')]  # root last


def test_a_string_address_connects_and_the_cli_runs_on_dask(tmp_path, dask_client):
    address = dask_client.scheduler.address
    assert gokart.build(d.Fan(n=10, workspace_directory=str(tmp_path / 'a')), executor=address) == 10
    script = tmp_path / 'tasks.py'
    script.write_text(
        textwrap.dedent(f"""\
        import luigi, gokart
        class Twice(gokart.TaskOnKart):
            x = luigi.IntParameter()
            workspace_directory = {str(tmp_path / 'cli')!r}
            def run(self):
                self.dump(self.x * 2)
        """)
    )
    for flag in (['--dask-scheduler', address], ['--dask-local', '1']):
        proc = subprocess.run(
            [
                sys.executable,
                '-m',
                'gokart_cli',
                'run',
                f'{script}:Twice',
                '--x',
                str(len(flag[1])),
                '--no-progress',
                *flag,
            ],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=tmp_path,
        )
        assert proc.returncode == 0, proc.stderr
        assert 'succeeded · 1 ran, 0 already done' in proc.stderr  # the summary counted the relayed events
    assert len(list((tmp_path / 'cli' / 'tasks').glob('Twice_*.pkl'))) == 2


def test_a_task_class_defined_in_main_runs_on_the_workers(tmp_path, dask_client):
    script = tmp_path / 'main_task.py'
    script.write_text(
        textwrap.dedent(f"""\
        import luigi, gokart, pickle
        class InMain(gokart.TaskOnKart):
            x = luigi.IntParameter()
            complete_check_at_run = True
            def run(self):
                import os
                self.dump((self.x, os.getpid()))
        if __name__ == '__main__':
            task = InMain(x=3, workspace_directory={str(tmp_path / 'ws')!r})
            copy = pickle.loads(pickle.dumps(task))
            assert copy.make_unique_id() == task.make_unique_id()
            x, pid = gokart.build(task, executor={dask_client.scheduler.address!r})
            assert x == 3 and pid != os.getpid(), pid
            print('ok')
        """).replace('import luigi, gokart, pickle', 'import os, luigi, gokart, pickle')
    )
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert proc.returncode == 0 and proc.stdout.strip() == 'ok', proc.stderr


def test_a_20000_task_fan_completes(tmp_path, dask_client):
    assert gokart.build(d.Fan(n=20_000, workspace_directory=str(tmp_path)), executor=dask_client) == 20_000


def _parent_pid(pid: int) -> int | None:
    try:
        with open(f'/proc/{pid}/stat') as stat:
            return int(stat.read().rsplit(')', 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return None  # already gone


def test_a_killed_worker_still_completes_the_build_running_each_task_once(tmp_path):
    log = tmp_path / 'count.log'
    begun = Path(str(log) + '.begin')
    release = tmp_path / 'release'  # leaf 7 waits in run() until it exists, so its worker dies mid-task
    held = d.SlowLeaf(i=7, workspace_directory=str(tmp_path / 'ws')).make_unique_id()
    with local_cluster() as (client, pids):
        victims = list(client.run(os.getpid).values())
        pids.update(victims)
        killed: list[int] = []

        def kill_the_held_leafs_worker() -> None:
            deadline = time.monotonic() + 60
            try:
                while time.monotonic() < deadline and not killed:
                    done = {line.split()[1] for line in log.read_text().splitlines()} if log.exists() else set()
                    for line in begun.read_text().splitlines() if begun.exists() else []:
                        uid, pid = line.split()
                        worker = _parent_pid(int(pid))  # tasks run in a child of the Dask worker process
                        if uid == held and worker in victims and len(done) >= 3:
                            os.kill(worker, signal.SIGKILL)
                            killed.append(worker)
                            break
                    time.sleep(0.01)
            finally:
                release.touch()  # the rerun of leaf 7 on the replacement worker goes straight through

        killer = threading.Thread(target=kill_the_held_leafs_worker)
        killer.start()
        task = d.SlowRoot(
            n=20, sleep=0.5, hold=str(release), workspace_directory=str(tmp_path / 'ws'), count_log=str(log)
        )
        assert gokart.build(task, executor=client) == sum(range(20))
        killer.join()
        pids.update(client.run(os.getpid).values())  # the nanny's replacement
    assert killed
    counts = _counts(log)
    assert len(counts) == 21 and set(counts.values()) == {1}
    assert len([line for line in begun.read_text().splitlines() if line.startswith(held)]) == 2  # killed, rerun


def test_pickled_tasks_keep_their_ids_and_run_wrappers(tmp_path):
    import pickle

    task = d.DTop(k=3, workspace_directory=str(tmp_path), complete_check_at_run=True)
    copy = pickle.loads(pickle.dumps(task))
    assert copy.make_unique_id() == task.make_unique_id() and copy.task_id == task.task_id
    assert copy.run.__wrapped__ == type(task).run.__get__(copy)  # the complete-check wrapper, re-applied


def test_without_distributed_executor_names_the_extra(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, 'distributed', None)
    with pytest.raises(ImportError, match=r'pip install gokart\[dask\]'):
        gokart.build(d.Fan(n=1, workspace_directory=str(tmp_path)), executor='tcp://127.0.0.1:1')
