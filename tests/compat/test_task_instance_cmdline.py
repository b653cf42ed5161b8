"""A TaskInstanceParameter given on the command line as {"type": family, "params": {name: string value}}.

gokart 1.12.2 reads only its own serialized form there ("params" as bz2 hex) and rejects this one; ours builds
the child from the string values (docs/compat.md, Additions). The same snippet runs under both interpreters,
through luigi's command-line parser and through gokart.run.
"""

from __future__ import annotations

import json
import sys

import pytest

from ._upstream import run_python_json

pytestmark = pytest.mark.upstream

SNIPPET = """
import json, os, sys
import luigi
import gokart
from luigi.cmdline_parser import CmdlineParser


class Child(gokart.TaskOnKart):
    x = luigi.IntParameter(default=1)

    def run(self):
        self.dump(self.x)


class Parent(gokart.TaskOnKart):
    child = gokart.TaskInstanceParameter()

    def run(self):
        self.dump(self.load(self.child) * 10)


def parsed(value):
    try:
        with CmdlineParser.global_instance(['Parent', '--Parent-child', value]) as parser:
            return {'child_x': parser.get_task_obj().child.x}
    except Exception as e:
        return {'error': type(e).__name__, 'message': str(e)}


def ran(value, workspace):
    try:
        gokart.run(['Parent', '--Parent-child', value, '--local-scheduler', '--no-lock', '--workspace-directory', workspace])
        exit_code = 0
    except SystemExit as e:
        exit_code = e.code
    except Exception as e:
        return {'error': type(e).__name__, 'message': str(e)}
    task = Parent(child=Child(x=3), workspace_directory=workspace)
    return {'exit': exit_code, 'loaded': task.output().load() if task.complete() else None}


plain = json.dumps({'type': 'Child', 'params': {'x': '3'}})
empty = json.dumps({'type': 'Child', 'params': {}})
serialized = gokart.TaskInstanceParameter().serialize(Child(x=3))
print(json.dumps({
    'plain': parsed(plain),
    'empty': parsed(empty),
    'serialized': parsed(serialized),
    'run_plain': ran(plain, 'ws_plain'),
    'run_serialized': ran(serialized, 'ws_serialized'),
}))
"""

REJECTED = "Parent[args=(), kwargs={}]: Error when parsing the default value of 'child'"


@pytest.fixture(scope='module')
def results(upstream_python: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    return {
        side: run_python_json(python, SNIPPET, cwd=tmp_path_factory.mktemp(side))
        for side, python in (('ours', sys.executable), ('upstream', upstream_python))
    }


def test_both_read_the_serialized_form(results):
    for side in ('ours', 'upstream'):
        assert results[side]['serialized'] == {'child_x': 3}, side
        assert results[side]['run_serialized'] == {'exit': 0, 'loaded': 30}, side


def test_upstream_rejects_string_params(results):
    upstream = results['upstream']
    assert upstream['plain'] == {'error': 'ValueError', 'message': REJECTED}
    assert upstream['empty'] == {'error': 'ValueError', 'message': REJECTED}
    assert upstream['run_plain']['error'] == 'ValueError', json.dumps(upstream['run_plain'])
    assert "Error when parsing the default value of 'child'" in upstream['run_plain']['message']


def test_ours_accepts_string_params(results):
    ours = results['ours']
    assert ours['plain'] == {'child_x': 3}
    assert ours['empty'] == {'child_x': 1}
    assert ours['run_plain'] == {'exit': 0, 'loaded': 30}
