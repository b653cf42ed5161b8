"""The .msgpack format: plain data, documented ext types, no code execution on load."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import msgpack
import pytest
from hypothesis import given
from strategies import ReadOnlyMapping, msgpack_values

import gokart_fastio
from gokart_fastio import DumpError, LoadError


@given(value=msgpack_values)
def test_round_trip(value):
    assert gokart_fastio.msgpack_loads(gokart_fastio.msgpack_dumps(value)) == value


def test_datetimes_keep_their_offset_and_naivety():
    aware = datetime(2024, 1, 2, 3, 4, 5, 6, tzinfo=timezone(timedelta(hours=-3, minutes=-30)))
    naive = datetime(2024, 1, 2, 3, 4, 5, 6)
    loaded = gokart_fastio.msgpack_loads(gokart_fastio.msgpack_dumps([aware, naive, date(2024, 2, 29)]))
    assert loaded == [aware, naive, date(2024, 2, 29)]
    assert loaded[0].utcoffset() == timedelta(hours=-3, minutes=-30)
    assert loaded[1].tzinfo is None
    assert type(loaded[2]) is date


def test_tuples_come_back_as_lists_and_mappings_as_dicts():
    loaded = gokart_fastio.msgpack_loads(gokart_fastio.msgpack_dumps({'t': (1, (2,)), 'm': ReadOnlyMapping({'k': 1})}))
    assert loaded == {'t': [1, [2]], 'm': {'k': 1}}


def test_big_ints_and_bytes():
    value = {'big': 2**100, 'neg': -(2**70), 'raw': b'\x00\xff', 1: 'int key'}
    assert gokart_fastio.msgpack_loads(gokart_fastio.msgpack_dumps(value)) == value


def test_plain_msgpack_readers_see_standard_types():
    assert msgpack.unpackb(gokart_fastio.msgpack_dumps({'a': [1, 'x', b'y', None]})) == {'a': [1, 'x', b'y', None]}


def test_unknown_ext_types_are_handed_over_untouched():
    data = msgpack.packb(msgpack.ExtType(42, b'payload'))
    assert gokart_fastio.msgpack_loads(data) == msgpack.ExtType(42, b'payload')


def test_objects_are_refused_with_their_path():
    with pytest.raises(DumpError, match=r"^obj\['s'\]\[0\]: cannot encode an object of type set in msgpack$"):
        gokart_fastio.msgpack_dumps({'s': [{1, 2}]})


@pytest.mark.parametrize('data', [b'\x92\x01', b'\xc1', b'\x81\xa1k', b'\x01\x02', b'\xd6\x02\x00'])
def test_corrupt_payloads_are_load_errors(data):
    with pytest.raises(LoadError, match='cannot load msgpack'):
        gokart_fastio.msgpack_loads(data)
