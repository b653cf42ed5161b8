"""`gokart run`: imports, then gokart.run() whose exit code becomes ours.

Tests that really run a workflow do not use capsys: luigi binds its log handler to the sys.stderr of the
first run in the process, which must outlive the test.
"""

import importlib
import pickle
import sys
from pathlib import Path

import pytest

import gokart
from gokart_cli import main


class RunRecorder:
    """Stands in for gokart.run: records the command line, then exits like gokart.run does."""

    def __init__(self):
        self.calls = []
        self.code = 0

    def __call__(self, cmdline_args=None, set_retcode=True):
        self.calls.append(list(cmdline_args))
        raise SystemExit(self.code)


@pytest.fixture
def fake_run(monkeypatch):
    recorder = RunRecorder()
    monkeypatch.setattr(gokart, 'run', recorder)
    return recorder


def test_success_writes_the_outputs_and_exits_0(tasks):
    assert main(['run', '--module', tasks, 'CliDouble', '--size=4', '--no-lock']) == 0
    module = importlib.import_module(tasks)
    output = Path(module.CliDouble(size=4).output().path())
    assert pickle.loads(output.read_bytes()) == [0, 2, 4, 6]


def test_failing_task_exits_with_gokart_task_failed_code(tasks):
    assert main(['run', '-m', tasks, 'CliDouble', '--crash', '--no-lock']) == 40


def test_tree_info_mode_of_gokart_run_passes_through(tasks):
    args = ['run', '-m', tasks, 'CliDouble', '--tree-info-mode=simple', '--tree-info-output-path=tree.txt', '--no-lock']
    assert main(args) == 0
    assert 'CliDouble[' in Path('resources/tree.txt').read_text()
    assert not Path('resources', tasks).exists()  # tree-info mode does not run the workflow


def test_local_scheduler_is_added_when_no_scheduler_is_named(tasks, fake_run):
    assert main(['run', '-m', tasks, 'CliDouble', '--size', '2']) == 0
    assert fake_run.calls == [['CliDouble', '--size', '2', '--local-scheduler', '--log-level=WARNING']]


@pytest.mark.parametrize(
    'flag', ['--local-scheduler', '--scheduler-host=localhost', '--scheduler-url=http://h:8082', '--scheduler-port=1']
)
def test_a_named_scheduler_is_left_alone(tasks, fake_run, flag):
    assert main(['run', '-m', tasks, 'CliDouble', flag]) == 0
    assert fake_run.calls == [['CliDouble', flag, '--log-level=WARNING']]


def test_log_level_given_is_passed_on(tasks, fake_run):
    assert main(['run', '-m', tasks, 'CliDouble', '--log-level', 'DEBUG', '--workers', '3']) == 0
    assert fake_run.calls == [['CliDouble', '--workers=3', '--local-scheduler', '--log-level=DEBUG']]


@pytest.mark.parametrize(('code', 'expected'), [(None, 0), (0, 0), (20, 20), (50, 50), ('stopped', 1)])
def test_exit_code_of_gokart_run_is_returned(tasks, fake_run, code, expected):
    fake_run.code = code
    assert main(['run', '-m', tasks, 'CliSource']) == expected


def test_misspelt_task_never_reaches_gokart_run(tasks, fake_run, capsys):
    assert main(['run', '-m', tasks, 'CliDobule']) == 2
    assert fake_run.calls == []
    err = capsys.readouterr().err
    assert (
        err
        == "gokart run: error: unknown task 'CliDobule'; did you mean CliDouble? (pass the module that defines it with --module)\n"
    )


def test_task_help_shows_the_tasks_own_parameters_first_and_does_not_run(tasks, fake_run, capsys):
    assert main(['run', '-m', tasks, 'CliDouble', '--help']) == 0
    out = capsys.readouterr().out
    assert fake_run.calls == []
    lines = out.splitlines()
    params = lines.index(next(line for line in lines if line.startswith('parameters of CliDouble')))
    assert lines[params + 1].split() == ['--size', 'INT', 'default', '3']
    assert lines[params + 2].split() == ['--crash', 'BOOL', 'default', 'False']
    inherited = next(i for i, line in enumerate(lines) if line.startswith('inherited from gokart.TaskOnKart'))
    assert inherited > params + 2
    assert '--workspace-directory' in lines[inherited]
    assert 'usage: gokart run [-h]' in out  # then the command's own options


def test_missing_external_input_exits_with_gokart_missing_data_code(pipeline):
    assert main(['run', '-m', pipeline, 'PipeWithRaw', '--no-lock']) == 20
    assert not list(Path('resources').rglob('PipeWithRaw_*.pkl'))


def test_file_target_runs(tmp_path):
    Path('one_task.py').write_text(
        'import gokart\n\n\nclass One(gokart.TaskOnKart):\n    def run(self):\n        self.dump(1)\n'
    )
    try:
        assert main(['run', 'one_task.py:One', '--no-lock']) == 0
    finally:
        sys.modules.pop('one_task', None)
    (output,) = Path('resources/one_task').glob('One_*.pkl')
    assert pickle.loads(output.read_bytes()) == 1
