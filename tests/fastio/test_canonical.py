"""canonical_bytes v1: the documented msgpack subset (packages/fastio/README.md) and xxh3 ids over it."""

from __future__ import annotations

import math
import struct
from datetime import date, datetime, timedelta, timezone

import msgpack
import pytest
import xxhash
from hypothesis import given
from strategies import ReadOnlyMapping, canonical_values

from gokart_fastio._exttypes import decode_ext


def _body(fastio_impl, value) -> bytes:
    data = fastio_impl.canonical_bytes(value)
    assert data[:1] == b'\x01'
    return data[1:]


@pytest.mark.parametrize(
    ('value', 'encoded'),
    [
        (None, 'c0'),
        (False, 'c2'),
        (True, 'c3'),
        (0, '00'),
        (127, '7f'),
        (128, 'cc80'),
        (2**16, 'ce00010000'),
        (2**64 - 1, 'cf' + 'ff' * 8),
        (-1, 'ff'),
        (-32, 'e0'),
        (-33, 'd0df'),
        (-(2**63), 'd3' + '80' + '00' * 7),
        (2**64, 'c7' + '09' + '01' + '01' + '00' * 8),
        (-(2**63) - 1, 'c7' + '09' + '01' + 'ff' + '7f' + 'ff' * 7),
        (1.5, 'cb3ff8000000000000'),
        ('', 'a0'),
        ('é', 'a2c3a9'),
        ('x' * 32, 'd920' + '78' * 32),
        (b'\x00', 'c40100'),
        ([], '90'),
        ((1, 2), '920102'),
        (date(1, 1, 2), 'd60200000001'),
        (datetime(1, 1, 1, 0, 0, 1), 'd703' + '00000000000f4240'),
        (timedelta(days=-1, microseconds=1), 'c70c05' + 'ffffffff' + '00000000' + '00000001'),
    ],
)
def test_documented_encodings(fastio_impl, value, encoded):
    assert _body(fastio_impl, value).hex() == encoded


def test_lists_and_tuples_encode_alike(fastio_impl):
    assert fastio_impl.canonical_bytes([1, [2, 'a']]) == fastio_impl.canonical_bytes((1, (2, 'a')))


def test_map_keys_are_sorted_by_their_encoding(fastio_impl):
    # 'b' (a1 62) sorts before 'aa' (a2 61 61): shorter fixstr headers come first.
    assert _body(fastio_impl, {'aa': 1, 'b': 2}).hex() == '82a162' + '02' + 'a26161' + '01'
    assert fastio_impl.canonical_bytes({'x': 1, 'y': 2}) == fastio_impl.canonical_bytes({'y': 2, 'x': 1})
    assert fastio_impl.canonical_bytes(ReadOnlyMapping({'y': 2, 'x': 1})) == fastio_impl.canonical_bytes(
        {'x': 1, 'y': 2}
    )


def test_every_nan_is_one_nan(fastio_impl):
    negative_nan = struct.unpack('>d', bytes.fromhex('fff8000000000001'))[0]
    assert math.isnan(negative_nan)
    assert fastio_impl.canonical_bytes(negative_nan) == fastio_impl.canonical_bytes(float('nan'))
    assert fastio_impl.canonical_bytes(0.0) != fastio_impl.canonical_bytes(-0.0)


def test_aware_datetimes_keep_wall_clock_and_offset(fastio_impl):
    tokyo = datetime(2024, 1, 2, 9, tzinfo=timezone(timedelta(hours=9)))
    utc = datetime(2024, 1, 2, 0, tzinfo=timezone.utc)
    assert tokyo == utc
    assert fastio_impl.canonical_bytes(tokyo) != fastio_impl.canonical_bytes(utc)  # same instant, other offset
    body = _body(fastio_impl, tokyo)
    assert body[:2] == b'\xd8\x04'
    wall, offset = struct.unpack('>qq', body[2:])
    assert offset == 9 * 3600 * 10**6
    assert datetime(1, 1, 1) + timedelta(microseconds=wall) == tokyo.replace(tzinfo=None)
    naive = fastio_impl.canonical_bytes(tokyo.replace(tzinfo=None))
    assert naive != fastio_impl.canonical_bytes(tokyo)


def test_subclasses_encode_as_their_base(fastio_impl):
    class Flag(int):
        pass

    class Name(str):
        pass

    assert fastio_impl.canonical_bytes(Flag(7)) == fastio_impl.canonical_bytes(7)
    assert fastio_impl.canonical_bytes({Name('k'): Name('v')}) == fastio_impl.canonical_bytes({'k': 'v'})


def _decode(body: bytes) -> object:
    return msgpack.unpackb(
        body, raw=False, strict_map_key=False, use_list=False, unicode_errors='surrogatepass', ext_hook=decode_ext
    )


@given(value=canonical_values)
def test_output_is_msgpack_that_decodes_to_an_equivalent_value(fastio_impl, value):
    data = fastio_impl.canonical_bytes(value)
    assert fastio_impl.canonical_bytes(_decode(data[1:])) == data


@given(value=canonical_values)
def test_xxh3_id_hashes_the_canonical_bytes(fastio_impl, value):
    data = fastio_impl.canonical_bytes(value)
    assert fastio_impl.xxh3_id(value) == xxhash.xxh3_128_hexdigest(data) == fastio_impl.xxh3_hex(data)
    assert len(fastio_impl.xxh3_id(value)) == 32


@pytest.mark.parametrize('value', [{1, 2}, object(), [1, frozenset()], {'k': 1j}])
def test_unsupported_types_are_type_errors(fastio_impl, value):
    with pytest.raises(TypeError, match='canonical_bytes: cannot encode an object of type'):
        fastio_impl.canonical_bytes(value)


def test_nesting_limit_is_the_same_everywhere(fastio_impl):
    def nested(depth):
        value: list = []
        for _ in range(depth - 1):
            value = [value]
        return value

    assert fastio_impl.canonical_bytes(nested(fastio_impl.MAX_DEPTH))[-1:] == b'\x90'
    with pytest.raises(ValueError, match='nested deeper than 200'):
        fastio_impl.canonical_bytes(nested(fastio_impl.MAX_DEPTH + 1))
    cycle: dict = {}
    cycle['self'] = cycle
    with pytest.raises(ValueError, match='nested deeper'):
        fastio_impl.canonical_bytes(cycle)
