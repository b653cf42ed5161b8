"""`gokart run --dask-scheduler/--dask-local`: what the command hands to gokart.run(), and its usage errors."""

from __future__ import annotations

import sys

import pytest

import gokart
from gokart_cli import main

pytestmark = pytest.mark.single_leg


@pytest.fixture
def target(tmp_path):
    script = tmp_path / f'dask_cli_{tmp_path.name}.py'  # a module name of its own per test
    script.write_text('import gokart\n\nclass Nothing(gokart.TaskOnKart):\n    def run(self):\n        self.dump(1)\n')
    return f'{script}:Nothing'


def test_dask_scheduler_is_the_executor_of_gokart_run(monkeypatch, target):
    seen = []

    def fake_run(cmdline_args=None, set_retcode=True, **kwargs):
        seen.append(kwargs)
        raise SystemExit(0)

    monkeypatch.setattr(gokart, 'run', fake_run)
    assert main(['run', target, '--no-progress', '--dask-scheduler', 'tcp://127.0.0.1:8786']) == 0
    assert main(['run', target, '--no-progress']) == 0
    assert seen == [{'executor': 'tcp://127.0.0.1:8786'}, {}]  # without a Dask flag, gokart.run as before


def test_dask_flags_are_checked(monkeypatch, target, capsys):
    monkeypatch.setattr(gokart, 'run', lambda *a, **k: pytest.fail('must not run'))
    assert main(['run', target, '--dask-local', '0']) == 2
    assert '--dask-local needs at least one worker process, got 0' in capsys.readouterr().err
    assert main(['run', target, '--dask-local', '1', '--dask-scheduler', 'tcp://h:1']) == 2
    assert 'not allowed with argument' in capsys.readouterr().err
    monkeypatch.setitem(sys.modules, 'distributed', None)
    assert main(['run', target, '--dask-local', '1']) == 2
    assert 'pip install gokart[dask]' in capsys.readouterr().err
