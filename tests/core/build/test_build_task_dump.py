"""TaskDumpConfig: print or dump the task tree/table before building."""

from __future__ import annotations

import logging
import pickle

import pytest

import gokart
from gokart.build import TaskDumpConfig, TaskDumpMode, TaskDumpOutputType, process_task_info

TREE, TABLE, NONE_MODE = TaskDumpMode.TREE, TaskDumpMode.TABLE, TaskDumpMode.NONE
PRINT, DUMP, NONE_OUT = TaskDumpOutputType.PRINT, TaskDumpOutputType.DUMP, TaskDumpOutputType.NONE


class DumpLeaf(gokart.TaskOnKart):
    def run(self):
        self.dump(1)


class DumpRoot(gokart.TaskOnKart):
    leaf = gokart.TaskInstanceParameter(default=DumpLeaf())

    def run(self):
        self.dump(self.load('leaf') + 1)


def _task_info_files(tmp_path):
    return sorted(p.name for p in (tmp_path / 'resources' / 'log' / 'task_info').glob('*'))


def test_enum_values_and_default():
    assert [m.value for m in TaskDumpMode] == ['tree', 'table', 'none']
    assert [o.value for o in TaskDumpOutputType] == ['print', 'dump', 'none']
    assert TaskDumpConfig() == TaskDumpConfig(NONE_MODE, NONE_OUT)


@pytest.mark.parametrize(
    ('mode', 'output'), [(TREE, NONE_OUT), (TABLE, NONE_OUT), (NONE_MODE, PRINT), (NONE_MODE, DUMP)]
)
def test_unsupported_pairs_fail_before_anything_runs(mode, output):
    config = TaskDumpConfig(mode, output)
    with pytest.raises(
        ValueError, match=f'Unsupported TaskDumpConfig: {config!r}'.replace('(', r'\(').replace(')', r'\)')
    ):
        gokart.build(DumpRoot(), task_dump_config=config)
    assert not DumpLeaf().complete()


def test_none_dumps_nothing(tmp_path):
    process_task_info(DumpRoot())
    assert not (tmp_path / 'resources').exists()


def test_tree_dump_is_named_after_the_root_with_taskonkart_id(tmp_path):
    root = DumpRoot()
    expected = gokart.make_tree_info(root)
    assert gokart.build(root, task_dump_config=TaskDumpConfig(TREE, DUMP)) == 2
    bare_id = gokart.TaskOnKart().make_unique_id()
    assert _task_info_files(tmp_path) == [f'DumpRoot_{bare_id}.txt']
    text = (tmp_path / 'resources' / 'log' / 'task_info' / f'DumpRoot_{bare_id}.txt').read_text()
    assert text == expected and '(PENDING) DumpRoot[' in text


def test_table_dump_is_a_pickled_frame(tmp_path):
    gokart.build(DumpRoot(), task_dump_config=TaskDumpConfig(TABLE, DUMP))
    [name] = _task_info_files(tmp_path)
    assert name.startswith('DumpRoot_') and name.endswith('.pkl')
    with open(tmp_path / 'resources' / 'log' / 'task_info' / name, 'rb') as f:
        table = pickle.load(f)
    assert list(table['name']) == ['DumpRoot', 'DumpLeaf']


def test_tree_print_logs_at_info(caplog):
    caplog.set_level(logging.INFO, logger='gokart.build')
    gokart.build(DumpRoot(), log_level=logging.INFO, task_dump_config=TaskDumpConfig(TREE, PRINT))
    [message] = [r.getMessage() for r in caplog.records if r.name == 'gokart.build']
    assert message.startswith('\n└─-(PENDING) DumpRoot[')


def test_table_print_logs_tab_separated(caplog):
    caplog.set_level(logging.INFO, logger='gokart.build')
    process_task_info(DumpRoot(), TaskDumpConfig(TABLE, PRINT))
    [message] = [r.getMessage() for r in caplog.records if r.name == 'gokart.build']
    header, *rows = message.rstrip('\n').split('\n')
    assert header.split('\t')[:2] == ['name', 'unique_id']
    assert [row.split('\t')[0] for row in rows] == ['DumpRoot', 'DumpLeaf']


def test_print_is_silent_at_the_default_log_level(caplog):
    caplog.set_level(logging.DEBUG)
    gokart.build(DumpRoot(), task_dump_config=TaskDumpConfig(TREE, PRINT))
    assert not [r for r in caplog.records if r.name == 'gokart.build']
