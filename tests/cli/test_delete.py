"""`gokart delete-unnecessary`: gokart.delete_local_unnecessary_outputs on the task, with its report shown."""

import importlib
from pathlib import Path

import gokart
from gokart_cli import main


def _build(tasks, size):
    task = importlib.import_module(tasks).CliDouble(size=size)
    gokart.build(task, reset_register=False)
    return task


def _outputs(task):
    return {Path(task.output().path()).resolve(), Path(task.requires().output().path()).resolve()}


def test_deletes_outputs_of_other_parameters_and_keeps_the_tree_and_logs(tasks, capsys):
    kept, stale = _build(tasks, 2), _build(tasks, 3)
    logs = sorted(Path('resources/log').rglob('*.*'))
    assert main(['delete-unnecessary', '-m', tasks, 'CliDouble', '--size=2']) == 0
    remaining = {p.resolve() for p in Path('resources').rglob('*.*') if 'log' not in p.parts}
    assert remaining == _outputs(kept)
    assert not _outputs(stale) & remaining
    assert sorted(Path('resources/log').rglob('*.*')) == logs
    out = capsys.readouterr().out
    assert out.startswith('remove following files:')
    assert Path(stale.output().path()).name in out


def test_reports_when_nothing_is_unnecessary(tasks, capsys):
    _build(tasks, 2)
    assert main(['delete-unnecessary', '-m', tasks, 'CliDouble', '--size=2']) == 0
    assert capsys.readouterr().out == 'all files are necessary for this task.\n'


def test_object_storage_workspaces_are_refused(tasks, capsys):
    args = ['delete-unnecessary', '-m', tasks, 'CliSource', '--workspace-directory=s3://bucket/prefix']
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err == 'gokart delete-unnecessary: error: s3://bucket/prefix: only local workspaces are supported\n'
