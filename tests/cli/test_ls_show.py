"""`gokart ls` (every output of the tree) and `gokart show` (one output, loaded and previewed)."""

import importlib
import json
import os
import sys

import gokart
from gokart_cli import main

FRAMES = """
import luigi
import pandas as pd

import gokart


class Frame(gokart.TaskOnKart):
    rows: int = luigi.IntParameter(default=30)

    def output(self):
        return self.make_target('frame.parquet')

    def run(self):
        self.dump(pd.DataFrame({'a': range(self.rows), 'b': [str(i) for i in range(self.rows)]}))


class Big(gokart.TaskOnKart):
    def requires(self):
        return Frame()

    def run(self):
        self.dump(list(range(1000)))
"""


def test_ls_lists_each_output_with_existence_size_and_mtime(pipeline, capsys):
    module = importlib.import_module(pipeline)
    gokart.build(module.PipeLoad(), reset_register=False)
    assert main(['ls', '-m', pipeline, 'PipeTotal', '--format', 'json']) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r['task'] for r in rows] == ['PipeTotal', 'demo.PipeScale', 'PipeLoad']
    load = rows[2]
    path = module.PipeLoad().output().path()
    assert load['path'] == path and load['exists'] is True
    assert load['size'] == os.path.getsize(path)
    assert load['mtime'] is not None
    assert rows[0]['exists'] is False and rows[0]['size'] is None

    assert main(['ls', '-m', pipeline, 'PipeTotal']) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:2] == ['no', '-']
    assert lines[2].split()[:3] == ['yes', str(os.path.getsize(path)), 'B']
    assert lines[2].endswith(path)


def test_show_previews_a_dataframe_with_shape_and_dtypes(write_module, capsys):
    name = write_module(FRAMES)
    gokart.build(importlib.import_module(name).Big(), reset_register=False)
    assert main(['show', '-m', name, 'Big', '--task', 'Frame', '--rows', '3']) == 0
    out = capsys.readouterr().out
    assert 'pandas.DataFrame, shape (30, 2)' in out
    dtypes = out.split('dtypes:\n', 1)[1].split('\n\n', 1)[0].splitlines()
    assert [line.split()[0] for line in dtypes] == ['a', 'b']
    assert dtypes[0].split()[1] == 'int64'
    assert 'first 3 rows:' in out
    assert out.rstrip().splitlines()[-1].split() == ['2', '2', '2']


def test_show_limits_the_repr_of_other_objects(write_module, capsys):
    name = write_module(FRAMES)
    gokart.build(importlib.import_module(name).Big(), reset_register=False)
    assert main(['show', '-m', name, 'Big']) == 0
    header, kind, value = capsys.readouterr().out.splitlines()
    assert header.startswith('Big[') and header.endswith('.pkl')
    assert kind == 'builtins.list'
    assert value.startswith('[0, 1, 2,') and value.endswith('...]')
    assert len(value) < 200


def test_show_of_an_output_not_written_yet(pipeline, capsys):
    assert main(['show', '-m', pipeline, 'PipeLoad']) == 2
    err = capsys.readouterr().err
    assert err.startswith('gokart show: error: ./resources/') and err.endswith('has not run (gokart run first)\n')


def test_show_of_a_task_not_in_the_tree(pipeline, capsys):
    assert main(['show', '-m', pipeline, 'PipeTotal', '--task', 'Nope']) == 2
    assert capsys.readouterr().err == (
        "gokart show: error: no task 'Nope' in the tree (tasks: PipeLoad, PipeTotal, demo.PipeScale)\n"
    )


def test_list_takes_files_and_modules(pipeline, capsys, tmp_path):
    assert main(['list', pipeline]) == 0
    expected = ['PipeLoad', 'PipeParent', 'PipeTotal', 'PipeWithRaw', 'demo.PipeHello', 'demo.PipeScale']
    assert capsys.readouterr().out.splitlines() == expected
    (tmp_path / 'listed_file.py').write_text('import gokart\n\n\nclass Listed(gokart.TaskOnKart):\n    pass\n')
    try:
        assert main(['list', 'listed_file.py']) == 0
    finally:
        sys.modules.pop('listed_file', None)
    assert capsys.readouterr().out == 'Listed\n'


def test_list_without_anything_imported_says_what_to_do(capsys, monkeypatch):
    import gokart_cli._inspect as inspect_module

    monkeypatch.setattr(inspect_module, 'import_modules', lambda sources: [])
    monkeypatch.setattr('luigi.task_register.Register.task_names', classmethod(lambda cls: []))
    assert main(['list']) == 2
    assert capsys.readouterr().err == (
        'gokart list: error: no tasks imported: name the module or file that defines them, e.g. gokart list tasks.py\n'
    )
