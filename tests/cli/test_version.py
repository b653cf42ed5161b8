from importlib.metadata import version

import gokart_fastio
from gokart_cli import main


def _fields(text: str) -> dict[str, str]:
    return dict(line.split(': ', 1) for line in text.splitlines())


def test_version_names_every_package_and_the_running_twin(capsys):
    assert main(['--version']) == 0
    fields = _fields(capsys.readouterr().out)
    assert fields['gokart'] == version('gokart')
    assert fields['gokart-cli'] == version('gokart-cli')
    assert fields['gokart-fastio'] == version('gokart-fastio')
    assert fields['implementation'] == gokart_fastio.IMPLEMENTATION
    assert fields['implementation'] in ('cython', 'python')
    assert fields['luigi'] == version('luigi')


def test_no_command_prints_help_and_is_a_usage_error(capsys):
    assert main([]) == 2
    out = capsys.readouterr().err
    for command in ('run', 'tree', 'why', 'ls', 'show', 'clean', 'unique-id', 'delete-unnecessary', 'list'):
        assert command in out


def test_unknown_command_is_a_usage_error(capsys):
    assert main(['launch']) == 2
    err = capsys.readouterr().err
    assert err.startswith("gokart: error: argument COMMAND: invalid choice: 'launch'")
    assert err.count('\n') == 1


def test_cli_version_attribute_is_the_installed_metadata():
    import gokart_cli

    assert gokart_cli.__version__ == version('gokart-cli')
