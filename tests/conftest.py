"""Test isolation for luigi/gokart (the duties of luigi's LuigiTestCase) and access to test services."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import luigi
import luigi.configuration
import luigi.retcodes
import pytest
from luigi.task_register import Register

REPO_ROOT = Path(__file__).resolve().parent.parent
IN_CI = bool(os.environ.get('CI'))


def _missing(what: str) -> None:
    """A service the suite needs is absent: a failure in CI, a skip on a developer's machine."""
    if IN_CI:
        pytest.fail(f'{what} is required in CI (make test installs it)')
    pytest.skip(f'{what} is not available; run `make test` to install it')


_RETCODE_NAMES = (
    'already_running',
    'missing_data',
    'not_run',
    'task_failed',
    'scheduling_error',
    'unhandled_exception',
)


def _global_event_handlers() -> set:
    return {
        (event, handler)
        for event, handlers in luigi.Task._event_callbacks.get(luigi.Task, {}).items()
        for handler in handlers
    }


@pytest.fixture(autouse=True)
def luigi_isolation(tmp_path, monkeypatch):
    """Fresh task registry view, instance cache and config per test; cwd in a temp dir so ./resources is private."""
    saved_reg = dict(Register._reg) if isinstance(Register._reg, dict) else list(Register._reg)
    parser = luigi.configuration.LuigiConfigParser
    saved_config_paths = list(parser._config_paths)
    Register.clear_instance_cache()
    parser._instance = None
    monkeypatch.chdir(tmp_path)
    # The CLI run in-process puts its working directory on sys.path; a later test's spawned processes
    # (Dask's workers) inherit sys.path and would import a test's `json.py` instead of the standard library.
    monkeypatch.setattr(sys, 'path', list(sys.path))
    # gokart.run(set_retcode=True) sets luigi's retcode class attributes process-wide, as 1.12.2 does.
    for name in _RETCODE_NAMES:
        monkeypatch.setattr(luigi.retcodes.retcode, name, getattr(luigi.retcodes.retcode, name))
    # the local read cache of S3/GCS objects (docs/compat.md Q53): one per test, never the user's
    from gokart._targets import object_cache

    monkeypatch.setattr(
        object_cache, '_default_directory', lambda: str(tmp_path.parent / f'{tmp_path.name}-object-cache')
    )
    global_handlers = _global_event_handlers()
    yield
    Register._reg = saved_reg
    Register.clear_instance_cache()
    # A handler left on luigi.Task runs for every task of every later test (it slowed a 20,000-task build
    # 10x); checked once the test's own monkeypatches are undone.
    monkeypatch.undo()
    leaked = _global_event_handlers() - global_handlers
    for event, handler in leaked:
        luigi.Task._event_callbacks[luigi.Task][event].discard(handler)
    assert not leaked, f'the test left event handlers on luigi.Task: {sorted(map(repr, leaked))}'
    # gokart.add_config appends to the class-level path list; a later test must not read that file.
    parser._config_paths = saved_config_paths
    parser._instance = None


@pytest.fixture(scope='session')
def upstream_python() -> str:
    """Interpreter of .venv-upstream (gokart 1.12.2), the black box we compare against."""
    path = os.environ.get('GOKART_UPSTREAM_PYTHON') or str(REPO_ROOT / '.venv-upstream' / 'bin' / 'python')
    if not os.access(path, os.X_OK):
        _missing(f'gokart 1.12.2 in {path}')
    return path


@pytest.fixture(scope='session')
def upstream_mypy_python(upstream_python: str) -> str:
    """upstream_python, checked to run the mypy version we run (`make upstream` installs it there)."""
    import mypy.version

    ours = mypy.version.__version__
    proc = subprocess.run(
        [upstream_python, '-c', 'import mypy.version; print(mypy.version.__version__)'], capture_output=True, text=True
    )
    theirs = proc.stdout.strip() if proc.returncode == 0 else 'none'
    if theirs != ours:
        _missing(f'mypy {ours} beside gokart 1.12.2 in {upstream_python} (found {theirs})')
    return upstream_python


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def _redis_server_binary() -> str | None:
    found = shutil.which('redis-server')
    if found:
        return found
    try:  # the PyPI `redis-server` package ships a binary
        import redis_server  # type: ignore[import-not-found]

        return redis_server.REDIS_SERVER_PATH
    except ImportError:
        return None


@pytest.fixture(scope='session')
def redis_server():
    """A throwaway redis-server on a free loopback port: yields (host, port)."""
    binary = _redis_server_binary()
    if binary is None:
        _missing('redis-server')
    port = _free_port()
    proc = subprocess.Popen(
        [binary, '--port', str(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(('127.0.0.1', port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    else:
        proc.kill()
        pytest.fail('redis-server did not start')
    yield '127.0.0.1', port
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture
def python_executable() -> str:
    return sys.executable
