"""Deep graphs construct and identify without recursion; luigi identity (task_id, hash, ==) is consistent."""

from __future__ import annotations

import sys

import luigi
import pytest
from luigi.parameter import ParameterVisibility
from luigi.task import task_id_str

import gokart

REQUIRES_DEPTH = 10_000
TIP_DEPTH = 2_000


@pytest.fixture(autouse=True)
def _default_recursion_limit():
    # other suites may raise the limit; these graphs must work at CPython's default
    saved = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)
    yield
    sys.setrecursionlimit(saved)


class BgChain(gokart.TaskOnKart):
    n = luigi.IntParameter()

    def requires(self):
        return BgChain(n=self.n - 1) if self.n > 0 else []


class BgLink(gokart.TaskOnKart):
    prev = gokart.TaskInstanceParameter()
    k = luigi.IntParameter(default=0)


class BgLeaf(gokart.TaskOnKart):
    x = luigi.IntParameter(default=1)
    note = luigi.Parameter(default='n', significant=False)
    hid = luigi.Parameter(default='h', visibility=ParameterVisibility.HIDDEN)


class BgHolder(gokart.TaskOnKart):
    child = gokart.TaskInstanceParameter()
    children = gokart.ListTaskInstanceParameter(default=[])


def _tip_chain(depth):
    task = BgLeaf(x=0)
    for k in range(1, depth + 1):
        task = BgLink(prev=task, k=k)
    return task


def test_deep_requires_chain_unique_id_repr_str_without_recursion():
    assert REQUIRES_DEPTH > sys.getrecursionlimit()
    root = BgChain(n=REQUIRES_DEPTH)
    uid = root.make_unique_id()
    assert len(uid) == 32
    # the same id computed bottom-up by hand over a short chain matches
    assert BgChain(n=REQUIRES_DEPTH - 1).make_unique_id() != uid
    assert repr(root) == f'BgChain[{uid}](n={REQUIRES_DEPTH})'
    assert str(root) == repr(root)
    assert root.task_id == task_id_str('BgChain', {'n': str(REQUIRES_DEPTH)})
    assert hash(root) == hash(BgChain(n=REQUIRES_DEPTH))
    assert root == BgChain(n=REQUIRES_DEPTH)


def test_requires_chain_id_matches_the_recursive_definition():
    import hashlib

    expected = None
    for n in range(0, 4):
        deps = [expected] if expected else []
        expected = hashlib.md5(str([*deps, {'n': str(n)}, 'BgChain']).encode()).hexdigest()
    assert BgChain(n=3).make_unique_id() == expected


def test_deep_task_instance_parameter_chain():
    assert TIP_DEPTH > sys.getrecursionlimit() // 2
    root = _tip_chain(TIP_DEPTH)
    same = _tip_chain(TIP_DEPTH)
    assert same is root  # instance cache: equal parameters give the same object (docs/compat.md, Q17)
    luigi.task_register.Register.clear_instance_cache()
    rebuilt = _tip_chain(TIP_DEPTH)
    assert rebuilt is not root
    assert hash(rebuilt) == hash(root)
    assert hash(root) != hash(_tip_chain(TIP_DEPTH - 1))
    assert {rebuilt: 1}.get(rebuilt) == 1
    # unequal tasks are told apart by hash, without computing the deep task_id
    assert rebuilt != _tip_chain(3)
    assert rebuilt != BgLink(prev=BgLeaf(x=0), k=TIP_DEPTH)
    assert 'task_id' not in rebuilt.__dict__
    # == needs luigi's task_id, which bz2-compresses the whole chain: compare at a moderate depth
    luigi.task_register.Register.clear_instance_cache()
    assert _tip_chain(60) == _tip_chain(60) and hash(_tip_chain(60)) == hash(_tip_chain(60))
    # repr of a shallow parent holding the deep chain: the child's id is computed iteratively
    holder = BgHolder(child=BgLeaf(), children=[BgLeaf(x=2)])
    assert repr(holder).startswith('BgHolder[')
    assert root.k == TIP_DEPTH and root.prev.k == TIP_DEPTH - 1
    assert root.requires() == {'prev': root.prev}


def test_shallow_task_instance_chain_ids_and_task_id():
    chain = _tip_chain(3)
    uid = chain.make_unique_id()
    assert repr(chain) == f'BgLink[{uid}](prev=BgLink({chain.prev.make_unique_id()}), k=3)'
    assert chain.task_id == task_id_str('BgLink', chain.to_str_params(only_significant=True, only_public=True))


def test_equal_task_id_implies_equal_hash_with_insignificant_differences():
    a = BgLeaf(x=1, note='a')
    b = BgLeaf(x=1, note='b')
    assert a is not b
    assert a.task_id == b.task_id
    assert a == b and hash(a) == hash(b)
    assert {a, b} == {a}


def test_hidden_params_are_outside_task_id():
    a = BgLeaf(hid='one')
    b = BgLeaf(hid='two')
    assert a.task_id == b.task_id
    assert a == b and hash(a) == hash(b)
    assert a.make_unique_id() != b.make_unique_id()  # hidden params do enter the unique id


def test_holders_of_equal_children_built_separately():
    h1 = BgHolder(child=BgLeaf(x=5, note='p'), children=[BgLeaf(x=6)])
    luigi.task_register.Register.clear_instance_cache()
    h2 = BgHolder(child=BgLeaf(x=5, note='q'), children=[BgLeaf(x=6)])
    assert h1 is not h2
    assert h1.task_id == h2.task_id
    assert h1 == h2 and hash(h1) == hash(h2)
    h3 = BgHolder(child=BgLeaf(x=7), children=[BgLeaf(x=6)])
    assert h3 != h1


def test_task_id_matches_luigi_definition():
    task = BgLeaf(x=12)
    assert task.task_id == task_id_str('BgLeaf', {'x': '12'})
    assert task.task_id.startswith('BgLeaf_12_')


def test_instance_cache_same_object_for_equal_params_q17():
    assert BgLeaf(x=3) is BgLeaf(x=3)
    assert BgLeaf(x=3) is not BgLeaf(x=4)
    assert BgHolder(child=BgLeaf(x=3)) is BgHolder(child=BgLeaf(x=3))


def test_set_and_dict_membership_across_many_tasks():
    tasks = [BgLeaf(x=i) for i in range(2000)]
    assert len(set(tasks)) == 2000
    lookup = {t: t.x for t in tasks}
    luigi.task_register.Register.clear_instance_cache()
    assert all(lookup[BgLeaf(x=i)] == i for i in range(0, 2000, 97))
