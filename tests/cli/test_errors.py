"""Mistakes on the command line: one line on stderr naming the culprit, exit 2, no traceback, for every command."""

import pytest

from gokart_cli import main

TASK_COMMANDS = ['run', 'tree', 'why', 'ls', 'show', 'clean', 'unique-id', 'delete-unnecessary']


@pytest.fixture(params=TASK_COMMANDS)
def command(request):
    return request.param


def _one_line_error(capsys, command):
    err = capsys.readouterr().err
    assert err.count('\n') == 1, err
    assert err.startswith(f'gokart {command}: error: ')
    return err.rstrip('\n')


def test_unknown_module(command, capsys):
    assert main([command, '-m', 'no_such_module_here', 'CliDouble']) == 2
    assert _one_line_error(capsys, command).endswith("module 'no_such_module_here' not found (is it on PYTHONPATH?)")


def test_module_whose_own_import_fails(command, write_module, capsys):
    name = write_module('import no_such_dependency_xyz\n')
    assert main([command, '-m', name, 'CliDouble']) == 2
    line = _one_line_error(capsys, command)
    assert f"cannot import module '{name}'" in line
    assert 'no_such_dependency_xyz' in line


def test_module_with_a_syntax_error(command, write_module, capsys):
    name = write_module('def broken(:\n')
    assert main([command, '-m', name, 'CliDouble']) == 2
    assert f"cannot import module '{name}': SyntaxError" in _one_line_error(capsys, command)


def test_unknown_task_suggests_close_names(command, tasks, capsys):
    assert main([command, '-m', tasks, 'CliDoubel']) == 2
    line = _one_line_error(capsys, command)
    assert "unknown task 'CliDoubel'; did you mean CliDouble?" in line


def test_unknown_task_without_close_names(command, capsys):
    assert main([command, 'Zzzzzzzzzzzz']) == 2
    line = _one_line_error(capsys, command)
    assert "unknown task 'Zzzzzzzzzzzz' (pass the module that defines it with --module)" in line


@pytest.mark.parametrize('flag', ['--size', '--CliDouble-size'])
def test_unparsable_value_names_the_flag(command, tasks, capsys, flag):
    assert main([command, '-m', tasks, 'CliDouble', f'{flag}=abc']) == 2
    assert f"CliDouble: bad value 'abc' for parameter {flag}:" in _one_line_error(capsys, command)


def test_unknown_flag_is_named(command, tasks, capsys):
    assert main([command, '-m', tasks, 'CliDouble', '--colour=red']) == 2
    assert _one_line_error(capsys, command).endswith('CliDouble: unrecognized arguments: --colour=red')


def test_missing_required_parameter_is_named(command, tasks, capsys):
    assert main([command, '-m', tasks, 'CliNeedsLabel']) == 2
    assert "requires the 'label' parameter to be set" in _one_line_error(capsys, command)


def test_missing_config_file_is_named(command, tasks, capsys):
    assert main([command, '-m', tasks, '-c', 'nowhere.cfg', 'CliDouble']) == 2
    assert _one_line_error(capsys, command).endswith("config file 'nowhere.cfg' not found")


def test_list_with_unknown_module(capsys):
    assert main(['list', '-m', 'no_such_module_here']) == 2
    assert (
        capsys.readouterr().err == "gokart list: error: module 'no_such_module_here' not found (is it on PYTHONPATH?)\n"
    )


def test_task_is_required(command, capsys):
    assert main([command]) == 2
    assert _one_line_error(capsys, command).endswith('the following arguments are required: TARGET')


def test_module_flag_after_the_task(command, capsys):
    assert main([command, 'CliDouble', '--module', 'no_such_module_here']) == 2
    assert _one_line_error(capsys, command).endswith("module 'no_such_module_here' not found (is it on PYTHONPATH?)")
