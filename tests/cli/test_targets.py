"""Naming a task: path/to/file.py:Task, package.module:Task, -m MODULE Task, luigi's namespaced families."""

import sys
import textwrap
from pathlib import Path

import pytest

from gokart_cli import main

FILE_TASKS = """
import luigi

import gokart


class FileTotal(gokart.TaskOnKart):
    n: int = luigi.IntParameter(default=3)

    def run(self):
        self.dump(self.n * 2)


class FileSpaced(gokart.TaskOnKart):
    task_namespace = 'spaced'

    def run(self):
        self.dump('hi')
"""


@pytest.fixture
def task_file(tmp_path, monkeypatch):
    """sub/file_tasks_<n>.py under the test's working directory; the module is forgotten afterwards."""
    folder = tmp_path / 'sub'
    folder.mkdir()
    stem = f'file_tasks_{abs(hash(tmp_path)) % 10**8}'
    path = folder / f'{stem}.py'
    path.write_text(textwrap.dedent(FILE_TASKS))
    monkeypatch.setattr(sys, 'path', list(sys.path))
    yield path
    sys.modules.pop(stem, None)


def _unique_id(capsys, *args):
    assert main(['unique-id', *args]) == 0, capsys.readouterr().err
    return capsys.readouterr().out.splitlines()


def test_file_target_is_imported_as_its_stem_with_its_folder_on_sys_path(task_file, capsys):
    uid, path = _unique_id(capsys, f'sub/{task_file.name}:FileTotal', '--FileTotal-n=4')
    assert path == f'./resources/{task_file.stem}/FileTotal_{uid}.pkl'
    assert str(task_file.parent) == sys.path[0]
    assert sys.modules[task_file.stem].__file__ == str(task_file)


def test_module_target(task_file, capsys):
    sys.path.insert(0, str(task_file.parent))
    uid, path = _unique_id(capsys, f'{task_file.stem}:FileTotal')
    assert path == f'./resources/{task_file.stem}/FileTotal_{uid}.pkl'


def test_module_of_a_package_target(tmp_path, capsys):
    package = tmp_path / 'tgtpkg'
    package.mkdir()
    (package / '__init__.py').write_text('')
    (package / 'jobs.py').write_text(textwrap.dedent(FILE_TASKS))
    try:
        uid, path = _unique_id(capsys, 'tgtpkg.jobs:FileTotal')
        assert path == f'./resources/tgtpkg/jobs/FileTotal_{uid}.pkl'
    finally:
        for name in ('tgtpkg', 'tgtpkg.jobs'):
            sys.modules.pop(name, None)


@pytest.mark.parametrize('spelling', ['FileSpaced', 'spaced.FileSpaced'])
def test_namespaced_task_by_class_name_or_family(task_file, capsys, spelling):
    uid, path = _unique_id(capsys, f'sub/{task_file.name}:{spelling}')
    assert path == f'./resources/{task_file.stem}/FileSpaced_{uid}.pkl'


def test_dash_m_with_a_file_path(task_file, capsys):
    for spelling in (f'./sub/{task_file.name}', f'sub/{task_file.name}'):
        uid, _ = _unique_id(capsys, '-m', spelling, 'FileTotal')
        assert len(uid) == 32


def test_dash_m_with_a_file_name_in_the_working_directory(task_file, capsys, monkeypatch):
    monkeypatch.chdir(task_file.parent)
    uid, path = _unique_id(capsys, '-m', task_file.name, 'FileTotal')
    assert path == f'./resources/{task_file.stem}/FileTotal_{uid}.pkl'


def _error(capsys, *args):
    assert main(list(args)) == 2
    err = capsys.readouterr().err
    assert err.count('\n') == 1, err
    return err.rstrip('\n')


def test_dash_m_with_a_missing_file_name_says_how_to_name_a_module(capsys):
    assert _error(capsys, 'tree', '-m', 'nothere.py', 'Task') == (
        "gokart tree: error: module 'nothere.py' not found: no such file; a module is named without .py"
    )


def test_missing_file(capsys):
    assert _error(capsys, 'run', 'nowhere/tasks.py:Total') == "gokart run: error: file 'nowhere/tasks.py' not found"


def test_unknown_task_in_a_file(task_file, capsys):
    line = _error(capsys, 'run', f'sub/{task_file.name}:FileTotl')
    assert line == f"gokart run: error: unknown task 'FileTotl' in 'sub/{task_file.name}'; did you mean FileTotal?"


def test_file_without_a_task(task_file, capsys):
    line = _error(capsys, 'tree', f'sub/{task_file.name}')
    assert line == f"gokart tree: error: 'sub/{task_file.name}': name the task too, as sub/{task_file.name}:TaskName"


def test_empty_task_after_the_colon(task_file, capsys):
    line = _error(capsys, 'tree', f'sub/{task_file.name}:')
    assert line.endswith(f'no task after the colon (write sub/{task_file.name}:TaskName)')


def test_a_file_that_is_not_python(tmp_path, capsys):
    Path('notes.txt').write_text('x')
    assert _error(capsys, 'run', 'notes.txt:Task') == "gokart run: error: 'notes.txt' is not a Python file (*.py)"


def test_a_file_whose_code_raises(tmp_path, capsys):
    Path('raising_tasks.py').write_text('raise RuntimeError("no config")\n')
    try:
        line = _error(capsys, 'run', 'raising_tasks.py:Task')
    finally:
        sys.modules.pop('raising_tasks', None)
    assert line == "gokart run: error: cannot import module 'raising_tasks.py': RuntimeError: no config"


def test_debug_shows_the_traceback(tmp_path, capsys):
    Path('raising_tasks2.py').write_text('raise RuntimeError("no config")\n')
    try:
        assert main(['run', '--debug', 'raising_tasks2.py:Task']) == 2
    finally:
        sys.modules.pop('raising_tasks2', None)
    err = capsys.readouterr().err
    assert 'Traceback (most recent call last)' in err
    assert 'RuntimeError: no config' in err
    assert (
        err.splitlines()[-1] == "gokart run: error: cannot import module 'raising_tasks2.py': RuntimeError: no config"
    )


def test_a_name_clash_with_an_imported_module(tmp_path, capsys):
    Path('json.py').write_text('')
    line = _error(capsys, 'run', 'json.py:Task')
    assert line.startswith("gokart run: error: 'json.py': a different module named 'json' is already imported")


def test_param_equals_value_of_the_tasks_own_parameter(task_file, capsys):
    # luigi alone reads `--n=4` as an abbreviation of its `--no-lock`; the command passes `--n 4` instead.
    short = _unique_id(capsys, f'sub/{task_file.name}:FileTotal', '--n=4')
    assert short == _unique_id(capsys, f'sub/{task_file.name}:FileTotal', '--FileTotal-n=4')
    assert short != _unique_id(capsys, f'sub/{task_file.name}:FileTotal')


def test_debug_may_come_before_the_command(capsys):
    assert main(['--debug', 'run', 'nothere.py:Task']) == 2
    err = capsys.readouterr().err
    assert 'Traceback (most recent call last)' in err
    assert err.splitlines()[-1] == "gokart run: error: file 'nothere.py' not found"
