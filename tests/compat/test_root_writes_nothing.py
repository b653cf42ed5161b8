"""A root task that writes nothing: gokart 1.12.2 reports success, and so do we (docs/compat.md, Q25)."""

from __future__ import annotations

import sys

import pytest

from tests.compat._upstream import run_python_json

pytestmark = pytest.mark.upstream

TASKS = """
import json, warnings
import gokart, luigi

class Leaf(gokart.TaskOnKart):
    def run(self):
        self.dump(1)

class Aggregator(gokart.TaskOnKart):
    def requires(self):
        return Leaf()

class Silent(gokart.TaskOnKart):
    def run(self):
        pass

"""
# Each scenario in a process of its own: a second gokart.run in one process is another story.
SCENARIOS = {
    'build_aggregator': 'print(json.dumps(repr(gokart.build(Aggregator(), return_value=False, reset_register=False))))',
    'build_silent': 'print(json.dumps(repr(gokart.build(Silent(), return_value=False, reset_register=False))))',
    'load_silent': """
try:
    gokart.build(Silent(), reset_register=False)
except Exception as exc:
    print(json.dumps([type(exc).__name__, 'Silent_' in str(exc)]))
""",
    'run_aggregator': """
try:
    gokart.run(['Aggregator', '--local-scheduler'])
except SystemExit as exc:
    print(json.dumps(exc.code))
""",
    'run_silent': """
try:
    gokart.run(['Silent', '--local-scheduler'])
except SystemExit as exc:
    print(json.dumps(exc.code))
""",
}
WARNINGS = """
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter('always')
    gokart.build(Aggregator(), return_value=False, reset_register=False)
    gokart.build(Silent(), return_value=False, reset_register=False)
print(json.dumps([type(w.message).__name__ for w in caught if 'without writing' in str(w.message)]))
"""


@pytest.fixture(scope='module')
def outcomes(upstream_python: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    found: dict[str, dict] = {}
    for who, python in (('upstream', upstream_python), ('ours', sys.executable)):
        found[who] = {
            name: run_python_json(python, TASKS + code, cwd=tmp_path_factory.mktemp(f'{who}_{name}'))
            for name, code in {**SCENARIOS, 'warned': WARNINGS}.items()
        }
    return found


def test_the_root_succeeds_as_in_gokart_1_12_2(outcomes: dict[str, dict]) -> None:
    ours, upstream = dict(outcomes['ours']), dict(outcomes['upstream'])
    assert upstream['build_aggregator'] == upstream['build_silent'] == 'None'
    assert upstream['run_aggregator'] == upstream['run_silent'] == 0
    assert upstream['load_silent'] == ['FileNotFoundError', True]
    ours.pop('warned'), upstream.pop('warned')
    assert ours == upstream


def test_ours_warns_once_per_root(outcomes: dict[str, dict]) -> None:
    assert outcomes['upstream']['warned'] == []
    assert outcomes['ours']['warned'] == ['OutputNotWrittenWarning', 'OutputNotWrittenWarning']
