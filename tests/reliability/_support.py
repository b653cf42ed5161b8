"""Helpers of the reliability tests: start marked processes, find every descendant, wait for things.

Every process a test starts through `Processes` carries a marker in its environment, which its children
inherit; `Processes.assert_nothing_left()` finds them all by that marker, orphans included, kills any it
finds (by pid) and fails.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import pytest

PIPELINE = Path(__file__).resolve().parent / 'pipeline.py'
# the five log files of a task run, kind -> extension (<workspace>/log/<kind>/<Class>_<unique id>.<ext>)
LOG_KINDS = {
    'task_params': 'pkl',
    'random_seed': 'pkl',
    'module_versions': 'txt',
    'processing_time': 'pkl',
    'task_log': 'pkl',
}
IN_CI = bool(os.environ.get('CI'))
_MARK = 'GOKART_RELIABILITY_TEST'


def free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout: float, interval: float = 0.05):
    """The first truthy value of predicate() within `timeout` seconds, else None."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)


def wait_for_port(host: str, port: int, timeout: float) -> bool:
    def accepts() -> bool:
        try:
            socket.create_connection((host, port), timeout=0.2).close()
            return True
        except OSError:
            return False

    return bool(wait_for(accepts, timeout))


def closed_port() -> int:
    """A loopback port nothing listens on."""
    return free_port()


def stop_process(proc: subprocess.Popen, timeout: float = 10) -> None:
    """Terminate one process we started (by its pid) and reap it."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=timeout)


@dataclass
class Started:
    """A process started by `procs`, with the files its output goes to."""

    proc: subprocess.Popen
    stdout_path: Path
    stderr_path: Path
    workers: list[int] = field(default_factory=list)  # pids of its children, as last seen

    @property
    def pid(self) -> int:
        return self.proc.pid

    def children(self) -> list[int]:
        """The pids of its descendants now (psutil)."""
        try:
            self.workers = [child.pid for child in psutil.Process(self.pid).children(recursive=True)]
        except psutil.NoSuchProcess:
            pass
        return self.workers

    def wait_for_children(self, count: int, timeout: float = 60) -> list[int]:
        pids = wait_for(lambda: len(self.children()) >= count and self.workers, timeout)
        assert pids, f'pid {self.pid} did not start {count} children within {timeout}s: {self.stderr()[-3000:]}'
        return pids

    def wait(self, timeout: float = 120) -> int:
        return self.proc.wait(timeout=timeout)

    def stdout(self) -> str:
        return self.stdout_path.read_text()

    def stderr(self) -> str:
        return self.stderr_path.read_text()

    def json(self) -> dict:
        lines = self.stdout().strip().splitlines()
        assert lines, f'no output; stderr: {self.stderr()[-3000:]}'
        return json.loads(lines[-1])


class Processes:
    """Starts processes for one test, marked so that every descendant can be found afterwards."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.mark = uuid.uuid4().hex
        self.started: list[Started] = []

    def start(
        self, argv: list[str], cwd: Path, env: dict[str, str | None] | None = None, name: str | None = None
    ) -> Started:
        """Start argv in its own session (a signal to its group reaches nobody else), output to files."""
        name = name or f'p{len(self.started)}'
        out, err = self.directory / f'{name}.out', self.directory / f'{name}.err'
        full_env = {k: v for k, v in os.environ.items() if k != 'LUIGI_CONFIG_PATH'}
        for key, value in (env or {}).items():  # None removes a variable
            if value is None:
                full_env.pop(key, None)
            else:
                full_env[key] = value
        full_env[_MARK] = self.mark
        with open(out, 'wb') as stdout, open(err, 'wb') as stderr:
            proc = subprocess.Popen(
                argv,
                cwd=cwd,
                env=full_env,
                stdout=stdout,
                stderr=stderr,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        started = Started(proc, out, err)
        self.started.append(started)
        return started

    def start_pipeline(
        self,
        *args: str,
        cwd: Path,
        python: str = sys.executable,
        env: dict[str, str | None] | None = None,
        name: str | None = None,
    ) -> Started:
        """`python tests/reliability/pipeline.py ARGS` (see there); another interpreter gets no PYTHONPATH."""
        env = dict(env or {})
        if python != sys.executable:
            env.setdefault('PYTHONPATH', None)
        return self.start([python, str(PIPELINE), *args], cwd=cwd, env=env, name=name)

    def running(self) -> list[psutil.Process]:
        """Live processes carrying this test's mark (zombies are dead: their parent or init reaps them)."""
        found = []
        for proc in psutil.process_iter():
            try:
                if proc.status() == psutil.STATUS_ZOMBIE or proc.environ().get(_MARK) != self.mark:
                    continue
            except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
                continue
            found.append(proc)
        return found

    def assert_nothing_left(self, grace: float = 10) -> None:
        """Within `grace` seconds no process of this test runs; otherwise kill them (by pid) and fail."""
        if wait_for(lambda: not self.running(), grace):
            return
        left = self.running()
        if not left:
            return
        described = []
        for proc in left:
            try:
                described.append(f'{proc.pid} (ppid {proc.ppid()}): {" ".join(proc.cmdline())}')
                proc.kill()
            except psutil.NoSuchProcess:
                pass
        pytest.fail('processes left running:\n' + '\n'.join(described))

    def cleanup(self) -> None:
        for started in self.started:
            if started.proc.poll() is None:
                started.proc.kill()
                started.proc.wait(timeout=10)
        for proc in self.running():
            try:
                proc.kill()
            except psutil.NoSuchProcess:
                pass


def read_only_runner() -> list[str]:
    """A command prefix `unshare ... sh -c` running a script in new user and mount namespaces, where it
    may bind-mount a directory read-only for itself and its children."""
    unshare = shutil.which('unshare')
    argv = [unshare or 'unshare', '--user', '--map-root-user', '--mount']
    if unshare is None or subprocess.run([*argv, 'true']).returncode:
        message = 'unshare (user and mount namespaces) is needed to make a directory read-only'
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return [*argv, 'sh', '-c']


def runs(path: Path) -> list[tuple[int, str, str]]:
    """The (pid, task_id, output path) lines that run() wrote to $RELIABILITY_RUNS."""
    if not path.exists():
        return []
    return [
        (int(pid), task_id, output)
        for pid, task_id, output in (line.split(' ', 2) for line in path.read_text().splitlines())
    ]


class SmallDisk:
    """A tmpfs of a given size mounted on `mountpoint` in new user and mount namespaces, held open by one
    process (`sleep`) that the test stops by its pid. Commands run on it through `nsenter` into those
    namespaces (`argv`); the test reads and writes its files through `/proc/<holder>/root` (`path`)."""

    def __init__(self, mountpoint: Path, size: str) -> None:
        unshare, nsenter = shutil.which('unshare'), shutil.which('nsenter')
        if unshare is None or nsenter is None:
            message = 'unshare and nsenter (user and mount namespaces) are needed to mount a small tmpfs'
            if IN_CI:
                pytest.fail(message)
            pytest.skip(message)
        mountpoint.mkdir(parents=True, exist_ok=True)
        self.mountpoint = mountpoint
        self._nsenter = nsenter
        script = f'mount -t tmpfs -o size={size} tmpfs "$0" && echo mounted && exec sleep 3600'
        self.holder = subprocess.Popen(
            [unshare, '--user', '--map-root-user', '--mount', 'sh', '-c', script, str(mountpoint)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
        )
        assert self.holder.stdout is not None
        if self.holder.stdout.readline().strip() != 'mounted':
            self.stop()
            message = f'could not mount a tmpfs in a user namespace: {self.holder.stderr.read() if self.holder.stderr else ""}'
            if IN_CI:
                pytest.fail(message)
            pytest.skip(message)

    @property
    def path(self) -> Path:
        """The mounted tmpfs, as this process sees it."""
        return Path(f'/proc/{self.holder.pid}/root{self.mountpoint}')

    def argv(self, *command: str) -> list[str]:
        """`command`, run inside the holder's namespaces in `mountpoint` (the tmpfs); nsenter and sh exec
        it, so the pid of the process started is the pid of `command`. (Not `nsenter --wd`: that keeps the
        directory under the mount as the working directory, so relative paths miss the tmpfs.)"""
        return [
            self._nsenter,
            '-t',
            str(self.holder.pid),
            '--user',
            '--mount',
            '--preserve-credentials',
            'sh',
            '-c',
            'cd "$0" && exec "$@"',
            str(self.mountpoint),
            *command,
        ]

    def resize(self, size: str) -> None:
        subprocess.run(self.argv('mount', '-o', f'remount,size={size}', str(self.mountpoint)), check=True, timeout=30)

    def stop(self) -> None:
        stop_process(self.holder)
        for pipe in (self.holder.stdout, self.holder.stderr):
            if pipe is not None:
                pipe.close()
