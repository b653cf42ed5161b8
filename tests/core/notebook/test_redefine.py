"""A task class defined again in __main__ (a notebook cell run again) replaces the old one (docs/compat.md, Q40).

Ids under `serialized_task_definition_check` need the cell's source: tests/notebook checks them in a kernel.
"""

from __future__ import annotations

import textwrap
import warnings

import luigi
import pytest
from luigi.task_register import Register, TaskClassAmbigiousException

import gokart

CELL = textwrap.dedent(
    """
    import gokart, luigi

    class Cell(gokart.TaskOnKart):
        x = luigi.IntParameter(default=1)

        def run(self):
            self.dump('{version}')
    """
)


def _define(version: str, module: str = '__main__') -> type:
    namespace: dict = {'__name__': module}
    exec(CELL.format(version=version), namespace)
    return namespace['Cell']


def test_the_newest_main_class_wins_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        first = _define('v1')
        assert gokart.build(first(), reset_register=False) == 'v1'
        second = _define('v2')
        assert Register.get_task_cls('Cell') is second
        assert [cls for cls in Register._reg if cls.__qualname__ == 'Cell'] == [second]
        # the same id as the first (same parameters): cached, as in gokart 1.12.2
        assert gokart.build(second(), reset_register=False) == 'v1'
        assert gokart.build(second(x=2), reset_register=False) == 'v2'
        assert type(gokart.TaskInstanceParameter().parse('{"type": "Cell", "params": {}}')) is second


def test_classes_of_other_modules_are_still_ambiguous_as_in_luigi():
    _define('v1', module='cells')
    _define('v2', module='cells')
    with pytest.raises(TaskClassAmbigiousException):
        Register.get_task_cls('Cell')


def test_a_subclass_of_the_same_name_keeps_its_base():
    base = _define('v1')
    namespace = {'__name__': '__main__', 'Base': base, 'luigi': luigi}
    exec('class Cell(Base):\n    pass\n', namespace)
    assert base in Register._reg and Register.get_task_cls('Cell') is namespace['Cell']
