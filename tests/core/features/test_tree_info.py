import os
import pickle

import luigi
import pandas as pd
import pytest

import gokart
from gokart.tree import task_info_formatter
from gokart.tree.task_info import (
    dump_task_info_table,
    dump_task_info_tree,
    make_task_info_as_table,
    make_task_info_as_tree_str,
)
from gokart.tree.task_info_formatter import RequiredTask, make_task_info_tree


class Source(gokart.TaskOnKart):
    n = luigi.IntParameter(default=3)

    def run(self):
        self.dump(self.n)


class Double(gokart.TaskOnKart):
    task_namespace = 'demo'
    src = gokart.TaskInstanceParameter()

    def run(self):
        self.dump(2 * self.load('src'))


class A(gokart.TaskOnKart):
    x = luigi.IntParameter(default=1)

    def run(self):
        self.dump(self.x)


class B(gokart.TaskOnKart):
    a = gokart.TaskInstanceParameter()

    def requires(self):
        return dict(a=self.a, l=[A(x=2), A(x=3)])

    def output(self):
        return dict(o=self.make_target('b.pkl'), p=self.make_target('c.txt'))


class C(gokart.TaskOnKart):
    def requires(self):
        return [B(a=A()), A(), B(a=A())]


C_ID, B_ID = '4c06db28e94e492fa50fa49435bcaa81', '1eeaf5bd18bb4708e4c566665ec12041'
A1, A2, A3 = 'ff5757489786cf5b71cfcc6f03491de3', 'cd148b89a7770af9a642827525ad6dc5', '65c556a41f08aaeb957b0d34f08e8a68'
MODULE = './resources/' + __name__.replace('.', '/')


@pytest.fixture
def a_done(monkeypatch):
    """A() built, with a fixed processing time so detailed texts are stable."""
    monkeypatch.setattr(gokart.TaskOnKart, 'get_processing_time', lambda self: 0.5 if self.complete() else 'unknown')
    gokart.build(A(), reset_register=False)


def test_verified_pending_and_complete_trees():
    task = Double(src=Source())
    pending = '\n└─-(PENDING) Double[c0d08c4aba6f946179685c4df8002e8d]\n   └─-(PENDING) Source[24bbc87f4c8efcd6f85307230ba76f01]'
    assert make_task_info_as_tree_str(task) == pending
    gokart.build(task, reset_register=False)
    assert gokart.make_tree_info(task) == pending.replace('PENDING', 'COMPLETE')


def test_abbreviated_tree_marks_repeated_nodes(a_done):
    assert make_task_info_as_tree_str(C()) == (
        f'\n└─-(PENDING) C[{C_ID}]'
        f'\n   |--(PENDING) B[{B_ID}]'
        f'\n   |  |--(COMPLETE) A[{A1}]'
        f'\n   |  |--(PENDING) A[{A2}]'
        f'\n   |  └─-(PENDING) A[{A3}]'
        f'\n   |--(COMPLETE) A[{A1}]'
        f'\n   |  └─- ...'
        f'\n   └─-(PENDING) B[{B_ID}]'
        f'\n      └─- ...'
    )


def test_full_tree_without_abbreviation(a_done):
    assert make_task_info_as_tree_str(C(), abbr=False) == (
        f'\n└─-(PENDING) C[{C_ID}]'
        f'\n   |--(PENDING) B[{B_ID}]'
        f'\n   |  |--(COMPLETE) A[{A1}]'
        f'\n   |  |--(PENDING) A[{A2}]'
        f'\n   |  └─-(PENDING) A[{A3}]'
        f'\n   |--(COMPLETE) A[{A1}]'
        f'\n   └─-(PENDING) B[{B_ID}]'
        f'\n      |--(COMPLETE) A[{A1}]'
        f'\n      |--(PENDING) A[{A2}]'
        f'\n      └─-(PENDING) A[{A3}]'
    )


def test_details_are_printed_for_expanded_nodes_only(a_done):
    text = make_task_info_as_tree_str(C(), details=True)
    lines = text.split('\n')
    assert (
        lines[1]
        == f"└─-(PENDING) C[{C_ID}](parameter={{}}, output=['{MODULE}/C_{C_ID}.pkl'], time=unknown, task_log={{}})"
    )
    assert lines[2] == (
        f"   |--(PENDING) B[{B_ID}](parameter={{'a': 'A-{A1}'}}, "
        f"output=['./resources/b_{B_ID}.pkl', './resources/c_{B_ID}.txt'], time=unknown, task_log={{}})"
    )
    assert lines[3] == (
        f"   |  |--(COMPLETE) A[{A1}](parameter={{'x': '1'}}, output=['{MODULE}/A_{A1}.pkl'], time=0.5s, "
        f"task_log={{'file_path': ['{MODULE}/A_{A1}.pkl']}})"
    )
    assert lines[6:] == [f'   |--(COMPLETE) A[{A1}]', '   |  └─- ...', f'   └─-(PENDING) B[{B_ID}]', '      └─- ...']


def test_ignored_names_drop_whole_subtrees():
    assert (
        make_task_info_as_tree_str(C(), ignore_task_names=['B']) == f'\n└─-(PENDING) C[{C_ID}]\n   └─-(PENDING) A[{A1}]'
    )
    assert make_task_info_as_tree_str(C(), ignore_task_names=['C', 'A', 'B']) == f'\n└─-(PENDING) C[{C_ID}]'


def test_info_make_tree_info_ignores_layout_arguments():
    text = gokart.info.make_tree_info(C(), indent='>>', last=False, visited_tasks={'x'}, ignore_task_names=['A'])
    assert text == f'\n└─-(PENDING) C[{C_ID}]\n   |--(PENDING) B[{B_ID}]\n   └─-(PENDING) B[{B_ID}]\n      └─- ...'


def test_formatter_honours_indent_last_and_visited():
    info = make_task_info_tree(B(a=A()))
    visited = set()
    text = task_info_formatter.make_tree_info(
        info, indent='>>', last=False, details=False, abbr=True, visited_tasks=visited
    )
    assert (
        text
        == f'\n>>|--(PENDING) B[{B_ID}]\n>>|  |--(PENDING) A[{A1}]\n>>|  |--(PENDING) A[{A2}]\n>>|  └─-(PENDING) A[{A3}]'
    )
    assert visited == {f'B_{B_ID}', f'A_{A1}', f'A_{A2}', f'A_{A3}'}


def test_task_info_fields(a_done):
    info = make_task_info_tree(C())
    assert (info.name, info.unique_id, info.is_complete, info.processing_time) == ('C', C_ID, 'PENDING', 'unknown')
    assert info.requires == [RequiredTask('B', B_ID), RequiredTask('A', A1), RequiredTask('B', B_ID)]
    b = info.children_task_infos[0]
    assert b is info.children_task_infos[2]  # memoised
    assert b.requires == {'a': RequiredTask('A', A1), 'l': [RequiredTask('A', A2), RequiredTask('A', A3)]}
    a = info.children_task_infos[1]
    assert (a.is_complete, a.processing_time, a.params) == ('COMPLETE', '0.5s', {'x': '1'})
    assert a.get_task_title() == f'(COMPLETE) A[{A1}]'


def test_shared_cache_keys():
    cache = {}
    make_task_info_tree(B(a=A()), cache=cache)
    assert set(cache) == {f'A_{A1}_False', f'A_{A2}_False', f'A_{A3}_False', f'B_{B_ID}_False'}


def test_plain_luigi_dependencies_are_rejected():
    class Plain(luigi.Task):
        pass

    class UsesPlain(gokart.TaskOnKart):
        def requires(self):
            return Plain()

    with pytest.raises(TypeError, match='`requires` has unexpected type .*Must be `TaskOnKart`, `Iterarble'):
        make_task_info_tree(UsesPlain())


def test_table_has_one_row_per_task_depth_first():
    table = make_task_info_as_table(C())
    assert table.columns.tolist() == [
        'name',
        'unique_id',
        'output_paths',
        'params',
        'processing_time',
        'is_complete',
        'task_log',
        'requires',
    ]
    assert table['unique_id'].tolist() == [C_ID, B_ID, A1, A2, A3]


def test_dumps_are_named_with_the_root_id():
    dump_task_info_table(C(), 'out/table.csv')
    table = pd.read_csv(f'out/table_{C_ID}.csv')
    assert table['name'].tolist() == ['C', 'B', 'A', 'A', 'A']
    dump_task_info_tree(C(), 'out/tree.pkl')
    with open(f'out/tree_{C_ID}.pkl', 'rb') as f:
        assert pickle.load(f).name == 'C'
    dump_task_info_tree(C(), 'out/plain.pkl', use_unique_id=False)
    assert os.path.exists('out/plain.pkl')
    with pytest.raises(AssertionError, match='File extention must be `.pkl`, not `.txt`.'):
        dump_task_info_tree(C(), 'out/tree.txt')


class Chain(gokart.TaskOnKart):
    n = luigi.IntParameter()

    def requires(self):
        return Chain(n=self.n - 1) if self.n > 0 else []


def test_deep_chain_needs_no_recursion():
    depth = 10_000
    text = make_task_info_as_tree_str(Chain(n=depth))
    lines = text.split('\n')[1:]
    assert len(lines) == depth + 1
    assert lines[-1].startswith(' ' * 3 * depth + '└─-(PENDING) Chain[')
    assert len(make_task_info_as_table(Chain(n=depth))) == depth + 1


class Ladder(gokart.TaskOnKart):
    level = luigi.IntParameter()
    side = luigi.IntParameter(default=0)
    complete_calls = 0

    def requires(self):
        return [Ladder(level=self.level - 1, side=s) for s in (0, 1)] if self.level else []

    def complete(self):
        type(self).complete_calls += 1
        return super().complete()


def test_shared_subtrees_are_computed_once():
    # 2**40 root-to-leaf paths, 81 distinct tasks
    info = make_task_info_tree(Ladder(level=40))
    assert Ladder.complete_calls == 81
    assert info.children_task_infos[0].children_task_infos[0] is info.children_task_infos[1].children_task_infos[0]
    # every task below level 39 has two dependants, so it is printed once more, abbreviated
    assert make_task_info_as_tree_str(Ladder(level=40)).count('└─- ...') == 78


def test_tree_info_task():
    from gokart.info import tree_info

    task = tree_info()
    assert (task.mode, task.output_path) == ('', 'tree.txt')
    assert task.output().path() == './resources/tree.txt'
    assert tree_info.get_task_family() == 'tree_info'
    luigi.configuration.get_config().set('tree_info', 'mode', 'all')
    luigi.task_register.Register.clear_instance_cache()
    assert tree_info().mode == 'all'
