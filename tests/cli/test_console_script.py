"""The installed `gokart` console script and `python -m gokart_cli`, in real subprocesses."""

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

import gokart_fastio

SCRIPT = Path(sys.executable).with_name('gokart')


@pytest.fixture
def script():
    if not os.access(SCRIPT, os.X_OK):
        pytest.fail(f'{SCRIPT} is missing: run `make install`')
    return str(SCRIPT)


def _run(args, **kwargs):
    return subprocess.run(args, capture_output=True, text=True, timeout=300, **kwargs)


def test_version(script):
    done = _run([script, '--version'])
    assert done.returncode == 0, done.stderr
    assert f'implementation: {gokart_fastio.IMPLEMENTATION}' in done.stdout.splitlines()
    assert done.stdout.startswith('gokart: ')


def test_python_m_is_the_same_command():
    done = _run([sys.executable, '-m', 'gokart_cli', '--version'])
    assert done.returncode == 0, done.stderr
    assert 'gokart-cli: ' in done.stdout


def test_run_then_unknown_task(script, tasks, tmp_path):
    env = {**os.environ, 'PYTHONPATH': str(tmp_path / 'modules')}
    done = _run([script, 'run', '-m', tasks, 'CliDouble', '--size=3', '--no-lock'], cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    (output,) = (tmp_path / 'resources' / tasks).glob('CliDouble_*.pkl')
    assert pickle.loads(output.read_bytes()) == [0, 2, 4]

    done = _run([script, 'run', '-m', tasks, 'CliTripple'], cwd=tmp_path, env=env)
    assert done.returncode == 2
    assert 'Traceback' not in done.stderr
    assert done.stderr.startswith("gokart run: error: unknown task 'CliTripple'")


def test_modules_in_the_working_directory_import_without_pythonpath(script, tmp_path):
    # As under `python -m`: run from the project root, `-m pkg.tasks` finds ./pkg/tasks.py.
    package = tmp_path / 'cwdpkg'
    package.mkdir()
    (package / '__init__.py').write_text('')
    (package / 'tasks.py').write_text(
        'import gokart, luigi\n\n\nclass CwdSource(gokart.TaskOnKart):\n    n = luigi.IntParameter(default=3)\n\n    def run(self):\n        self.dump(self.n)\n'
    )
    env = {key: value for key, value in os.environ.items() if key != 'PYTHONPATH'}
    done = _run([script, 'unique-id', '-m', 'cwdpkg.tasks', 'CwdSource', '--CwdSource-n', '4'], cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    uid, path = done.stdout.split()
    assert path == f'./resources/cwdpkg/tasks/CwdSource_{uid}.pkl'
