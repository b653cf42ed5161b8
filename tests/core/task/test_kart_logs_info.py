"""Supplementary log files written on luigi events during gokart.build, and the accessors
and identity helpers of TaskOnKart (get_info, get_task_log, get_task_params, restore, repr/str, ids)."""

from __future__ import annotations

import logging
import os
import pickle
import random

import luigi
import numpy as np
import pytest
from luigi.parameter import ParameterVisibility

import gokart

LOG_KINDS = ('module_versions', 'processing_time', 'random_seed', 'task_log', 'task_params')


class Source(gokart.TaskOnKart):
    n = luigi.IntParameter(default=3)

    def run(self):
        self.task_log['drawn'] = random.random()
        self.dump(self.n)


class LgVis(gokart.TaskOnKart):
    pub = luigi.Parameter(default='p')
    hid = luigi.Parameter(default='h', visibility=ParameterVisibility.HIDDEN)
    pri = luigi.Parameter(default='r', visibility=ParameterVisibility.PRIVATE)
    ins = luigi.Parameter(default='i', significant=False)

    def run(self):
        self.dump('x')


class LgFails(gokart.TaskOnKart):
    def run(self):
        raise RuntimeError('boom')


def _log_path(task, kind, ext='pkl'):
    return os.path.join('resources', 'log', kind, f'{type(task).__name__}_{task.make_unique_id()}.{ext}')


def _load(path):
    with open(path, 'rb') as f:
        return pickle.load(f)


def _build(task):
    return gokart.build(task, log_level=logging.CRITICAL)


SOURCE_ID = '24bbc87f4c8efcd6f85307230ba76f01'  # gokart 1.12.2's id of Source(n=3) (verified)


def test_source_id_and_the_five_log_files():
    task = Source()
    assert task.make_unique_id() == SOURCE_ID
    assert _build(task) == 3
    module_dir = Source.__module__.replace('.', '/')
    files = sorted(
        os.path.relpath(os.path.join(root, name), 'resources')
        for root, _, names in os.walk('resources')
        for name in names
    )
    assert files == sorted(
        [f'{module_dir}/Source_{SOURCE_ID}.pkl']
        + [f'log/{kind}/Source_{SOURCE_ID}.{"txt" if kind == "module_versions" else "pkl"}' for kind in LOG_KINDS]
    )


def test_log_file_contents():
    task = Source()
    _build(task)
    assert _load(_log_path(task, 'random_seed')) == {
        'seed': 1967471482,
        'seed_methods': ['random.seed', 'numpy.random.seed'],
    }
    assert 1967471482 == int(SOURCE_ID, 16) % (2**32 - 1)
    assert _load(_log_path(task, 'task_params')) == {'n': '3'}
    with open(_log_path(task, 'module_versions', 'txt')) as f:
        assert f.read() == ''
    processing_time = _load(_log_path(task, 'processing_time'))
    assert isinstance(processing_time, float) and processing_time >= 0
    module_dir = Source.__module__.replace('.', '/')
    task_log = _load(_log_path(task, 'task_log'))
    assert task_log['file_path'] == [f'./resources/{module_dir}/Source_{SOURCE_ID}.pkl']
    # run() sees the seeded generator two draws in (the random_seed and module_versions dumps each draw a
    # temporary file name): the state gokart's docs show (docs/compat.md, Q26)
    random.seed(1967471482)
    for _ in range(2):
        random.randrange(0, 10**10)
    assert task_log['drawn'] == random.random()


def test_task_params_log_has_hidden_but_not_private_or_insignificant():
    task = LgVis()
    _build(task)
    assert _load(_log_path(task, 'task_params')) == {'pub': 'p', 'hid': 'h'}


@pytest.mark.parametrize(
    ('value', 'expected_seed'),
    [(0, int(SOURCE_ID, 16) % (2**32 - 1)), (-42497368, int(SOURCE_ID, 16) % (2**32 - 1)), (7, 7)],
)
def test_fix_random_seed_value_zero_and_sentinel_mean_unset_q6(value, expected_seed):
    task = Source(fix_random_seed_value=value)
    _build(task)
    assert _load(_log_path(task, 'random_seed')) == {
        'seed': expected_seed,
        'seed_methods': ['random.seed', 'numpy.random.seed'],
    }


def test_fix_random_seed_methods_only_successes_are_logged():
    task = Source(n=4, fix_random_seed_methods=['numpy.random.seed', 'no_such_module.seed', 'random.no_such_fn'])
    _build(task)
    seed = int(task.make_unique_id(), 16) % (2**32 - 1)
    assert _load(_log_path(task, 'random_seed')) == {'seed': seed, 'seed_methods': ['numpy.random.seed']}
    np.random.seed(seed)
    expected = np.random.rand()
    np.random.seed(seed)
    assert np.random.rand() == expected


def test_should_dump_supplementary_log_files_false_writes_none():
    task = Source(n=5, should_dump_supplementary_log_files=False)
    assert _build(task) == 5
    assert not os.path.exists(os.path.join('resources', 'log'))


def test_failure_is_logged_on_gokart_task_logger(caplog):
    task = LgFails()
    with caplog.at_level(logging.INFO, logger='gokart.task'):
        with pytest.raises(Exception):  # noqa: B017 - build's failure type is build's business
            gokart.build(task, log_level=logging.INFO)
    messages = [r.getMessage() for r in caplog.records if r.name == 'gokart.task' and r.levelno == logging.INFO]
    assert f'FAILURE:\n    task name=LgFails\n    unique id={task.make_unique_id()}' in messages


def test_try_set_seed():
    methods = ['random.seed', 'nosuchmod.seed', 'random.nosuch', 'numpy.random.seed']
    assert gokart.TaskOnKart.try_set_seed(methods, 3) == ['random.seed', 'numpy.random.seed']
    first = random.random()
    gokart.TaskOnKart.try_set_seed(['random.seed'], 3)
    assert random.random() == first


# ---- accessors ----


def test_get_task_log_in_memory_then_from_file():
    task = Source(n=6)
    assert task.get_task_log() == {}
    task.task_log['k'] = 1
    assert task.get_task_log() == {'k': 1}
    _build(task)
    fresh = Source(n=6)
    fresh.task_log = {}
    log = fresh.get_task_log()
    assert set(log) == {'k', 'drawn', 'file_path'}


def test_get_task_params_reads_the_task_params_log_q2():
    task = LgVis(pub='q')
    assert task.get_task_params() == {}
    _build(task)
    assert task.get_task_params() == {'pub': 'q', 'hid': 'h'}


def test_get_processing_time():
    task = Source(n=7)
    assert task.get_processing_time() == 'unknown'
    _build(task)
    assert isinstance(task.get_processing_time(), float)


def test_restore():
    task = LgVis(pub='restored', hid='hh')
    _build(task)
    restored = LgVis.restore(task.make_unique_id())
    assert (type(restored), restored.pub, restored.hid) == (LgVis, 'restored', 'hh')
    assert restored.make_unique_id() == task.make_unique_id()


def test_get_info():
    class LgChild(gokart.TaskOnKart):
        x = luigi.IntParameter(default=1)

    class LgParent(gokart.TaskOnKart):
        a = gokart.TaskInstanceParameter()
        ts = gokart.ListTaskInstanceParameter()
        k = luigi.IntParameter(default=2)

    child = LgChild()
    parent = LgParent(a=child, ts=[child])
    info = parent.get_info()
    assert list(info)[:2] == ['workspace_directory', 'local_temporary_directory']
    assert info['workspace_directory'] == './resources/'
    assert info['a'] == f'LgChild-{child.make_unique_id()}'
    assert info['ts'] == parent.to_str_params()['ts']
    assert info['k'] == '2'
    assert parent.get_info(only_significant=True) == {
        'a': f'LgChild-{child.make_unique_id()}',
        'ts': parent.to_str_params()['ts'],
        'k': '2',
    }


def test_repr_and_str():
    task = LgVis()
    uid = task.make_unique_id()
    assert repr(task) == f'LgVis[{uid}](pub=p, hid=h, pri=r)'
    assert str(task) == f'LgVis[{uid}](pub=p)'


def test_repr_of_task_parameters_and_namespace():
    class LgNsChild(gokart.TaskOnKart):
        task_namespace = 'lgns'
        v = luigi.IntParameter(default=1)

    class LgListParent(gokart.TaskOnKart):
        one = gokart.TaskInstanceParameter()
        many = gokart.ListTaskInstanceParameter()

    c1, c2 = LgNsChild(v=1), LgNsChild(v=2)
    parent = LgListParent(one=c1, many=[c1, c2])
    expected = f'LgListParent[{parent.make_unique_id()}](one=lgns.LgNsChild({c1.make_unique_id()}), many=[lgns.LgNsChild({c1.make_unique_id()}), lgns.LgNsChild({c2.make_unique_id()})])'
    assert repr(parent) == expected
    assert str(parent) == expected
    assert repr(c1) == f'lgns.LgNsChild[{c1.make_unique_id()}](v=1)'


def test_make_unique_id_caching():
    task = Source(n=8)
    assert task.task_unique_id is None
    uid = task.make_unique_id()
    assert task.task_unique_id == uid
    task.task_unique_id = 'patched'
    assert task.make_unique_id() == 'patched'

    uncached = Source(n=8, cache_unique_id=False)
    assert uncached.make_unique_id() == uid
    assert uncached.task_unique_id is None


def test_insignificant_child_leaves_dependants_ids():
    class LgUses(gokart.TaskOnKart):
        child = gokart.TaskInstanceParameter(significant=False)

    # built fresh (no instance cache in between), ids as gokart 1.12.2 gives them
    a = LgUses(child=Source(n=1))
    b = LgUses(child=Source(n=2))
    assert a.make_unique_id() == 'bc64b78eb070ac7d6a2f8217346889f3'
    assert b.make_unique_id() == 'cbabdb23439e7f91b4f5af9481028fe5'  # the child's id still counts
    luigi.task_register.Register.clear_instance_cache()
    c = LgUses(child=Source(n=2, significant=False))
    d = LgUses(child=Source(n=1, significant=False))
    # neither the child's string nor its id counts
    assert c.make_unique_id() == d.make_unique_id() == '2fc9b7e8a03bd58ba63b885b11f8b026'


def test_instance_cache_returns_the_first_equal_instance_q17():
    class LgUses2(gokart.TaskOnKart):
        child = gokart.TaskInstanceParameter()

    first = LgUses2(child=Source(n=2, significant=False))
    later = LgUses2(child=Source(n=2))
    assert later is first
    assert later.child.significant is False


def test_requires_returning_non_task_raises():
    class LgBadReq(gokart.TaskOnKart):
        def requires(self):
            return [3]

    with pytest.raises(
        ValueError, match=r"^Task\.requires method returns <class 'int'>\. You should return luigi\.Task\.$"
    ):
        LgBadReq().make_unique_id()


def test_get_code_and_get_own_code():
    class LgCoded(gokart.TaskOnKart):
        def run(self):
            self.dump(1)

        def helper(self):
            return 2

    own = LgCoded().get_own_code()
    run_src = '        def run(self):\n            self.dump(1)\n'
    helper_src = '        def helper(self):\n            return 2\n'
    assert own == ''.join(sorted([run_src, helper_src]))
    codes = gokart.TaskOnKart.get_code(LgCoded)
    assert run_src in codes and helper_src in codes
    assert gokart.TaskOnKart().get_own_code() == ''
    plain = LgCoded().make_unique_id()
    checked = LgCoded(serialized_task_definition_check=True).make_unique_id()
    assert plain != checked
