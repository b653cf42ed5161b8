"""`gokart clean` (alias `delete-unnecessary`): a dry run listing the files the tree does not need, with the
bytes they free; `--yes` deletes them through gokart.delete_local_unnecessary_outputs."""

import importlib
from pathlib import Path

import pytest

import gokart
from gokart_cli import main


def _build(tasks, size):
    task = importlib.import_module(tasks).CliDouble(size=size)
    gokart.build(task, reset_register=False)
    return task


def _outputs(task):
    return {Path(task.output().path()).resolve(), Path(task.requires().output().path()).resolve()}


def _files():
    return {p.resolve() for p in Path('resources').rglob('*.*') if 'log' not in p.parts}


@pytest.mark.parametrize('command', ['clean', 'delete-unnecessary'])
def test_dry_run_by_default_lists_files_and_sizes(tasks, capsys, command):
    _build(tasks, 2)
    stale = _build(tasks, 3)
    before = _files()
    assert main([command, '-m', tasks, 'CliDouble', '--size=2']) == 0
    assert _files() == before
    captured = capsys.readouterr()
    listed = {Path(line.split(None, 2)[2]).resolve(): line for line in captured.out.splitlines()}
    assert set(listed) == _outputs(stale)
    sizes = {path: path.stat().st_size for path in listed}
    for path, line in listed.items():
        assert line.split()[:2] == [str(sizes[path]), 'B']
    assert captured.err == f'2 file(s), {sum(sizes.values())} B would be freed; nothing deleted (dry run: add --yes)\n'


def test_yes_deletes_outputs_of_other_parameters_and_keeps_the_tree_and_logs(tasks, capsys):
    kept, stale = _build(tasks, 2), _build(tasks, 3)
    logs = sorted(Path('resources/log').rglob('*.*'))
    assert main(['clean', '-m', tasks, 'CliDouble', '--size=2', '--yes']) == 0
    remaining = _files()
    assert remaining == _outputs(kept)
    assert not _outputs(stale) & remaining
    assert sorted(Path('resources/log').rglob('*.*')) == logs
    captured = capsys.readouterr()
    assert Path(stale.output().path()).name in captured.out
    assert captured.err.startswith('deleted 2 file(s), freed ')


def test_reports_when_nothing_is_unnecessary(tasks, capsys):
    _build(tasks, 2)
    assert main(['clean', '-m', tasks, 'CliDouble', '--size=2', '--yes']) == 0
    captured = capsys.readouterr()
    assert captured.out == ''
    assert captured.err == 'nothing to clean under ./resources/\n'


def test_object_storage_workspaces_are_refused(tasks, capsys):
    args = ['delete-unnecessary', '-m', tasks, 'CliSource', '--workspace-directory=s3://bucket/prefix']
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err == 'gokart delete-unnecessary: error: s3://bucket/prefix: only local workspaces are supported\n'
