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


def test_version_imports_neither_gokart_nor_luigi():
    code = (
        'import sys\n'
        'from gokart_cli import main\n'
        "assert main(['--version']) == 0\n"
        "print(sorted(m for m in ('gokart', 'luigi', 'pandas', 'numpy') if m in sys.modules))\n"
    )
    done = _run([sys.executable, '-c', code])
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == '[]'


def test_help_of_each_command_has_an_example(script):
    for command in ('run', 'tree', 'why', 'ls', 'show', 'clean', 'unique-id', 'list'):
        done = _run([script, command, '--help'])
        assert done.returncode == 0, done.stderr
        assert f'usage: gokart {command}' in done.stdout
        assert f'examples:\n  gokart {command} ' in done.stdout
    assert '--details' in _run([script, 'tree', '--help']).stdout


STEPS = (
    'import gokart, luigi\n\n\n'
    'class Chain(gokart.TaskOnKart):\n'
    '    i = luigi.IntParameter()\n\n'
    '    def requires(self):\n'
    '        return Chain(i=self.i - 1) if self.i else []\n\n'
    '    def run(self):\n'
    '        self.dump(self.i)\n'
)


def test_a_closed_pipe_ends_quietly(script, tmp_path):
    (tmp_path / 'chain.py').write_text(STEPS)
    args = [script, 'tree', 'chain.py:Chain', '--Chain-i=300', '--format', 'json']
    with subprocess.Popen(args, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout.read(100).startswith(b'{')
        process.stdout.close()  # as `| head -c 100` does
        err = process.stderr.read().decode()
        assert process.wait(timeout=300) == 141
    assert err == ''


def test_dash_m_with_a_relative_file_path_and_file_targets(script, tmp_path):
    (tmp_path / 'sub').mkdir()
    (tmp_path / 'sub' / 'chain.py').write_text(STEPS)
    done = _run([script, 'run', '-m', './sub/chain.py', 'Chain', '--Chain-i=2', '--no-lock'], cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert 'Traceback' not in done.stderr
    assert len(list((tmp_path / 'resources' / 'chain').glob('Chain_*.pkl'))) == 3  # module `chain`, its stem
    done = _run([script, 'ls', 'sub/chain.py:Chain', '--Chain-i=2'], cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert [line.split()[0] for line in done.stdout.splitlines()] == ['yes', 'yes', 'yes']


def test_a_file_target_caches_under_its_stem_and_a_script_under_main(script, tmp_path):
    # What the README says: same unique id, resources/<stem>/ for the command, resources/__main__/ for the script.
    source = (Path(__file__).parents[2] / 'examples' / 'pipeline.py').read_text()
    (tmp_path / 'pipeline.py').write_text(source)
    done = _run([script, 'unique-id', 'pipeline.py:Report', '--n=2'], cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    uid, path = done.stdout.split()
    assert path == f'./resources/pipeline/Report_{uid}.pkl'
    done = _run([sys.executable, 'pipeline.py', 'Report', '--Report-n=2', '--local-scheduler'], cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / 'resources' / '__main__' / f'Report_{uid}.pkl').exists()
