"""The .msgpack target: plain data round trips, refusal of what is not plain data, atomic writes."""

from __future__ import annotations

import gc
import math
import os
import pickle
from collections.abc import Mapping
from datetime import date, datetime, timedelta, timezone
from unittest import mock

import msgpack
import pytest
from hypothesis import given, settings
from strategies import msgpack_values

import gokart
from gokart.file_processor import MsgpackFileProcessor, make_file_processor
from gokart.target import make_target

ROUND_TRIPS = {
    'none': None,
    'true': True,
    'false': False,
    'small int': 7,
    'negative int': -(2**63),
    'uint64': 2**64 - 1,
    'big int': 2**200,
    'big negative int': -(2**100),
    'float': 1.5,
    'negative zero': -0.0,
    'infinity': math.inf,
    'str': 'héllo \U0001f600',
    'empty str': '',
    'bytes': b'\x00\xff\x80',
    'list': [1, 'a', None],
    'dict': {'a': 1, 'b': [2, 3]},
    'int keys': {1: 'one', -2: 'minus two'},
    'naive datetime': datetime(2024, 2, 29, 23, 59, 59, 999999),
    'aware datetime': datetime(2024, 1, 2, 3, 4, 5, 6, tzinfo=timezone(timedelta(hours=-3, minutes=-30))),
    'utc datetime': datetime(1970, 1, 1, tzinfo=timezone.utc),
    'date': date(1, 1, 1),
    'timedelta': timedelta(days=-3, seconds=5, microseconds=7),
    'nested': {'rows': [{'at': date(2020, 5, 17), 'span': timedelta(hours=1), 'raw': b'x'}], 'n': {'m': {'k': []}}},
}


class _Frozen(Mapping):
    def __init__(self, data):
        self._data = data

    def __getitem__(self, key):
        return self._data[key]

    def __iter__(self):
        return iter(self._data)

    def __len__(self):
        return len(self._data)


class Widget:
    pass


def _payload_that_creates(marker: str) -> bytes:
    """A pickle that creates the file `marker` when unpickled: proof of code execution if it ever appears."""

    class Creates:
        def __reduce__(self):
            return (open, (marker, 'w'))

    return pickle.dumps(Creates())


def _write(path: str, data: bytes) -> None:
    with open(path, 'wb') as f:
        f.write(data)


def test_msgpack_extension_gets_the_msgpack_processor():
    assert isinstance(make_file_processor('a.msgpack'), MsgpackFileProcessor)
    assert isinstance(make_target('a.msgpack')._processor, MsgpackFileProcessor)


@pytest.mark.parametrize('value', list(ROUND_TRIPS.values()), ids=list(ROUND_TRIPS))
def test_round_trip_of_each_supported_type(value):
    target = make_target('data.msgpack', unique_id='u')
    target.dump(value)
    loaded = target.load()
    assert loaded == value
    assert type(loaded) is type(value)
    if isinstance(value, float):
        assert math.copysign(1, loaded) == math.copysign(1, value)
    if isinstance(value, datetime):
        assert loaded.utcoffset() == value.utcoffset()


def test_tuples_load_as_lists_and_mappings_as_dicts():
    target = make_target('data.msgpack')
    target.dump({'t': (1, (2, 'x')), 'm': _Frozen({'k': (3,)})})
    assert target.load() == {'t': [1, [2, 'x']], 'm': {'k': [3]}}


@settings(max_examples=40, deadline=None)
@given(value=msgpack_values)
def test_round_trip_of_generated_plain_data(value):
    target = make_target('generated.msgpack')
    target.dump(value)
    assert target.load() == value


def test_the_file_is_plain_msgpack():
    target = make_target('data.msgpack')
    target.dump({'a': [1, 'b', b'c']})
    with open('data.msgpack', 'rb') as f:
        assert msgpack.unpackb(f.read(), raw=False) == {'a': [1, 'b', b'c']}


@pytest.mark.parametrize(
    ('value', 'where'),
    [
        (Widget(), 'obj'),
        ({'rows': [1, Widget()]}, "obj['rows'][1]"),
        ({1, 2}, 'obj'),
        (1 + 2j, 'obj'),
    ],
)
def test_unencodable_object_names_its_type_and_writes_nothing(value, where):
    with pytest.raises(TypeError) as info:
        make_target('data.msgpack').dump(value)
    leaf = Widget() if where != 'obj' else value
    message = str(info.value)
    assert type(leaf).__name__ in message
    assert message.startswith(where)
    assert not os.path.exists('data.msgpack')


def test_failing_dump_keeps_the_previous_file_and_leaves_no_temp_file():
    target = make_target('data.msgpack')
    target.dump({'version': 1})
    with pytest.raises(TypeError, match='Widget'):
        target.dump({'version': 2, 'bad': Widget()})
    gc.collect()  # luigi's atomic handle removes its temp file when dropped
    assert sorted(os.listdir('.')) == ['data.msgpack']
    assert target.load() == {'version': 1}


def test_successful_dump_replaces_the_file_in_one_os_replace():
    target = make_target('data.msgpack')
    target.dump([1])
    renames = []
    real_replace = os.replace

    def recording_replace(src, dst):
        if os.path.basename(str(dst)) == 'data.msgpack':
            with open(dst, 'rb') as f:  # the old content is still in place until the replace
                renames.append((os.path.basename(str(src)).startswith('data.msgpack-luigi-tmp-'), f.read()))
        real_replace(src, dst)

    with mock.patch('os.replace', recording_replace):
        target.dump([2])
    assert renames == [(True, msgpack.packb([1]))]
    assert target.load() == [2]


@pytest.mark.parametrize(
    'crafted',
    [
        pytest.param(lambda p: msgpack.packb(msgpack.ExtType(42, p)), id='pickle in an ext type'),
        pytest.param(lambda p: msgpack.packb({'rows': [1, {'x': msgpack.ExtType(7, p)}]}), id='nested ext type'),
        pytest.param(lambda p: msgpack.packb({msgpack.ExtType(9, p): 1}), id='ext type as a key'),
        pytest.param(lambda p: b'\x91\xd6\xff\x00\x00\x00\x00', id='msgpack timestamp'),
        pytest.param(lambda p: msgpack.packb(msgpack.ExtType(120, b'')), id='empty unknown ext type'),
        pytest.param(lambda p: p, id='a bare pickle'),
    ],
)
def test_crafted_file_is_refused_naming_the_file_without_running_code(crafted):
    _write('evil.msgpack', crafted(_payload_that_creates('pwned')))
    with pytest.raises(pickle.UnpicklingError) as info:
        make_target('evil.msgpack').load()
    assert isinstance(info.value, ValueError)
    assert "'evil.msgpack'" in str(info.value)
    assert not os.path.exists('pwned')


def test_refusal_names_the_extension_type():
    _write('evil.msgpack', msgpack.packb({'a': msgpack.ExtType(42, _payload_that_creates('pwned'))}))
    with pytest.raises(pickle.UnpicklingError, match=r"failed to load 'evil.msgpack': .*extension type 42"):
        make_target('evil.msgpack').load()
    assert not os.path.exists('pwned')


def test_our_own_ext_types_still_load_next_to_ext_header_bytes():
    # 0xd4-0xd8 / 0xc7-0xc9 inside strings and bytes are data, not ext headers
    value = {'raw': bytes(range(0xC0, 0xE0)), 'text': '\u00d4\u00c7', 'when': date(2000, 1, 1), 'n': 0xD5}
    target = make_target('data.msgpack')
    target.dump(value)
    assert target.load() == value


class MsgpackProducer(gokart.TaskOnKart):
    def output(self):
        return self.make_target('produced.msgpack')

    def run(self):
        self.dump({'at': datetime(2024, 1, 1, 12), 'items': [1, 2]})


class MsgpackConsumer(gokart.TaskOnKart):
    def requires(self):
        return MsgpackProducer()

    def output(self):
        return self.make_target('consumed.msgpack')

    def run(self):
        loaded = self.load()
        self.dump({**loaded, 'count': len(loaded['items'])})


def test_tasks_pass_msgpack_caches_through_a_build():
    result = gokart.build(MsgpackConsumer(), reset_register=False)
    assert result == {'at': datetime(2024, 1, 1, 12), 'items': [1, 2], 'count': 2}


@pytest.mark.parametrize('damage', ['empty', 'truncated', 'garbled'])
def test_a_bad_file_raises_load_error_naming_it(damage):
    import gokart_fastio

    target = gokart.TaskOnKart().make_target('bad.msgpack', use_unique_id=False)
    target.dump({'a': [1, 2, 3], 'b': 'x' * 50})
    path = target.path()
    with open(path, 'rb') as f:
        data = f.read()
    bad = {'empty': b'', 'truncated': data[: len(data) // 2], 'garbled': b'\xc1' + data[1:]}[damage]
    with open(path, 'wb') as f:
        f.write(bad)
    with pytest.raises(gokart_fastio.LoadError) as info:
        target.load()
    assert path in str(info.value)
