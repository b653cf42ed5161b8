"""serialize_json: json.dumps as luigi's List/Tuple/DictParameter.serialize produce it."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given
from strategies import ReadOnlyMapping, json_values


def _dumps_with_mappings(value):
    return json.dumps(value, default=lambda o: dict(o.items()))


@given(value=json_values)
def test_equals_json_dumps(fastio_impl, value):
    assert fastio_impl.serialize_json(value) == json.dumps(value)


@pytest.mark.parametrize(
    'value',
    [
        [float('nan'), math.inf, -math.inf, -0.0, 1e16, 1e-7, 0.1, 2**100, -(2**63), 2**63],
        {1: 'int key', 2.5: 'float key', False: 'bool key', None: 'none key'},
        '\U0001f600 \x7f \x00 \ud800 \b\f\r\t\n "\\',
        [[], {}, (), [[[]]]],
        [True, False, None],
    ],
)
def test_edge_values(fastio_impl, value):
    assert fastio_impl.serialize_json(value) == json.dumps(value)


def test_mapping_is_encoded_in_its_own_order(fastio_impl):
    value = [ReadOnlyMapping({'z': 1, 'a': ReadOnlyMapping({'y': (1, 2)})})]
    assert fastio_impl.serialize_json(value) == '[{"z": 1, "a": {"y": [1, 2]}}]'
    assert fastio_impl.serialize_json(value) == _dumps_with_mappings(value)


def test_matches_luigi_dict_and_list_parameters(fastio_impl):
    luigi = pytest.importorskip('luigi')
    value = {'k': {'y': [1, 2], 'x': None}, 'a': True, 'l': [{'b': 1, 'a': 'é'}, (1, 2)]}
    frozen = luigi.DictParameter().normalize(value)
    assert fastio_impl.serialize_json(frozen) == luigi.DictParameter().serialize(frozen)
    nested = luigi.ListParameter().normalize([value, (1, (2, 3))])
    assert fastio_impl.serialize_json(nested) == luigi.ListParameter().serialize(nested)
    assert fastio_impl.serialize_json(nested) == json.dumps([value, [1, [2, 3]]])


def test_subclasses_follow_json(fastio_impl):
    class Text(str):
        pass

    class Items(list):
        pass

    value = Items([Text('x'), {Text('k'): Items([1])}])
    assert fastio_impl.serialize_json(value) == json.dumps(value)


def test_deep_nesting_matches_json(fastio_impl):
    value: list = []
    for _ in range(150):
        value = [value, {'k': value}] if len(str(value)) < 50 else [value]
    assert fastio_impl.serialize_json(value) == json.dumps(value)


def test_no_json_form_is_a_type_error(fastio_impl):
    with pytest.raises(TypeError, match='Object of type set is not JSON serializable'):
        fastio_impl.serialize_json({'a': [1, {2}]})
    with pytest.raises(TypeError, match='keys must be str, int, float, bool or None'):
        fastio_impl.serialize_json({(1, 2): 'tuple key'})


def test_a_cycle_is_refused_like_json(fastio_impl):
    cycle: list = [1]
    cycle.append(cycle)
    with pytest.raises(ValueError, match='Circular reference detected'):
        fastio_impl.serialize_json(cycle)
