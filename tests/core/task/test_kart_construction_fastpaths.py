"""The shortcuts of construction and discovery give luigi's results: parameter values stored without a setattr()
per parameter, type warnings only asked of the parameters that can warn, the flattened requires() shared within
a build session, and map_flattenable_items over a list without a call per leaf."""

from __future__ import annotations

import collections.abc
import warnings

import luigi

import gokart
from gokart._kart.register import class_params
from gokart._kart.session import build_session, flat_requires_of
from gokart.utils import flatten, map_flattenable_items


class FpPlain(gokart.TaskOnKart):
    i = luigi.IntParameter()
    name = luigi.Parameter(default='a')
    maybe = luigi.OptionalIntParameter(default=None)


class _Recording(luigi.IntParameter):
    seen: list[object] = []

    def __set__(self, instance, value):
        _Recording.seen.append(value)
        super().__set__(instance, value * 10)


class FpOwnSet(gokart.TaskOnKart):
    i = _Recording()


class FpOwnSetattr(gokart.TaskOnKart):
    i = luigi.IntParameter()

    def __setattr__(self, name, value):
        if name == 'i':
            value = value + 1
        super().__setattr__(name, value)


def test_parameter_values_are_stored_as_luigi_stores_them():
    task = FpPlain(i=3, maybe=4)
    assert class_params(FpPlain).plain_set is True
    assert (task.i, task.name, task.maybe) == (3, 'a', 4)
    assert task.param_kwargs == {name: task.__dict__[name] for name in task.param_kwargs}
    assert list(task.param_kwargs) == [name for name, _ in FpPlain.get_params()]


def test_a_parameter_with_its_own_set_is_still_called():
    _Recording.seen = []
    task = FpOwnSet(i=2)
    assert class_params(FpOwnSet).plain_set is False
    assert _Recording.seen == [2] and task.i == 20


def test_a_task_with_its_own_setattr_sees_every_parameter():
    assert FpOwnSetattr(i=1).i == 2


class _LoudInt(luigi.IntParameter):
    def _warn_on_wrong_param_type(self, param_name, param_value):
        warnings.warn(f'loud {param_name}={param_value}', stacklevel=2)


class FpWarnings(gokart.TaskOnKart):
    text = luigi.Parameter()
    count = luigi.IntParameter(default=1)
    maybe = luigi.OptionalIntParameter(default=None)
    loud = _LoudInt(default=0)


def test_type_warnings_are_luigis():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        FpWarnings(text=5, maybe='x', loud=2)
    messages = [str(w.message) for w in caught]
    assert 'Parameter "text" with value "5" is not of type string.' in messages
    assert any(m.startswith('OptionalIntParameter "maybe" with value "x" is not of type "int"') for m in messages)
    assert 'loud loud=2' in messages
    assert not any('"count"' in m for m in messages)
    warned = class_params(FpWarnings).warned
    assert warned is not None and {'text', 'maybe', 'loud'} <= warned and 'count' not in warned


class FpLeaf(gokart.TaskOnKart):
    i = luigi.IntParameter()


class FpListed(gokart.TaskOnKart):
    def requires(self):
        return {'a': FpLeaf(i=1), 'rest': [FpLeaf(i=2), (FpLeaf(i=3),)]}


class FpGenerated(gokart.TaskOnKart):
    def requires(self):
        return (FpLeaf(i=i) for i in range(3))


def test_flattened_requires_are_shared_within_a_session():
    task = FpListed()
    with build_session():
        first = flat_requires_of(task)
        assert first == [FpLeaf(i=1), FpLeaf(i=2), FpLeaf(i=3)]
        assert flat_requires_of(task) is first
        assert task._requires() == first and task._requires() is not first  # deps() gets its own list
    assert flat_requires_of(task) == first and flat_requires_of(task) is not first  # no session: afresh


def test_a_generator_from_requires_is_taken_whole_once_per_session():
    task = FpGenerated()
    with build_session():
        first = flat_requires_of(task)
        assert first == [FpLeaf(i=0), FpLeaf(i=1), FpLeaf(i=2)]
        # requires() is called once per session and its generator taken into a list (docs/compat.md Q56)
        assert flat_requires_of(task) is first


def test_map_over_a_list_of_leaves_and_containers():
    mapped = map_flattenable_items(lambda x: x * 2, [1, [2, 3], {'k': 4}, (5,), 'ab'])
    assert mapped == [2, [4, 6], {'k': 8}, (10,), 'abab']


def test_map_over_a_list_sees_an_abc_registered_by_func():
    class Indexed:
        """Iterable by the old __getitem__ protocol, but not a collections.abc.Iterable until registered."""

        def __init__(self, *items):
            self.items = items

        def __getitem__(self, index):
            return self.items[index]

    first, second = Indexed(1, 2), Indexed(3, 4)
    assert flatten([Indexed(0)])[0].items == (0,)  # the type is classified as a leaf

    def func(item):
        if item is first:
            collections.abc.Iterable.register(Indexed)
        return item

    mapped = map_flattenable_items(func, [first, second])
    assert mapped[0] is first
    assert mapped[1] == [3, 4]  # after the registration the second is an iterable, mapped item by item
