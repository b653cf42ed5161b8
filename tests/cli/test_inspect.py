"""`gokart unique-id` and `gokart list`: what they print equals the public API's answer."""

import importlib

import luigi

from gokart_cli import main


def test_unique_id_prints_the_id_then_the_output_path(tasks, capsys):
    assert main(['unique-id', '-m', tasks, 'CliDouble', '--size=4']) == 0
    task = importlib.import_module(tasks).CliDouble(size=4)
    assert capsys.readouterr().out.splitlines() == [task.make_unique_id(), task.output().path()]


def test_unique_id_lists_every_output_of_a_dict_output(tasks, capsys):
    assert main(['unique-id', '-m', tasks, 'CliPair']) == 0
    task = importlib.import_module(tasks).CliPair()
    uid, *paths = capsys.readouterr().out.splitlines()
    assert uid == task.make_unique_id()
    assert paths == [task.output()['left'].path(), task.output()['right'].path()]


def test_unique_id_differs_with_parameters(tasks, capsys):
    main(['unique-id', '-m', tasks, 'CliSource', '--size=1'])
    main(['unique-id', '-m', tasks, 'CliSource', '--size=2'])
    first, _, second, _ = capsys.readouterr().out.splitlines()
    assert first != second


def test_unique_id_needs_a_gokart_task(tasks, capsys):
    assert main(['unique-id', '-m', tasks, 'CliPlainLuigi']) == 2
    assert capsys.readouterr().err == 'gokart unique-id: error: CliPlainLuigi is not a gokart.TaskOnKart\n'


def test_config_file_sets_task_parameters(tasks, tmp_path, capsys):
    config = tmp_path / 'params.cfg'
    config.write_text('[CliSource]\nsize=9\n')
    assert main(['unique-id', '-m', tasks, '-c', str(config), 'CliSource']) == 0
    expected = importlib.import_module(tasks).CliSource(size=9).make_unique_id()
    assert capsys.readouterr().out.splitlines()[0] == expected


def test_list_names_the_gokart_tasks_of_the_module(tasks, capsys):
    assert main(['list', '-m', tasks]) == 0
    assert capsys.readouterr().out.splitlines() == ['CliDouble', 'CliNeedsLabel', 'CliPair', 'CliSource']


def test_list_without_modules_leaves_out_gokart_and_luigi_tasks(tasks, capsys):
    importlib.import_module(tasks)
    assert main(['list']) == 0
    listed = capsys.readouterr().out.splitlines()
    assert {'CliDouble', 'CliSource'} <= set(listed)
    assert not {'tree_info', 'test_run', 'TaskOnKart', 'CliPlainLuigi'} & set(listed)
    assert luigi.task_register.Register.get_task_cls('tree_info')  # registered, just not listed


def test_luigis_own_module_flag_imports_the_tasks(tasks, capsys):
    assert main(['unique-id', 'CliSource', '--module', tasks, '--size=6']) == 0
    expected = importlib.import_module(tasks).CliSource(size=6).make_unique_id()
    assert capsys.readouterr().out.splitlines()[0] == expected
