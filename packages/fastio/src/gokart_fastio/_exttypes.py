"""msgpack extension types shared by canonical_bytes (v1) and the .msgpack file format.

The codes and payload layouts are frozen: they name cache files (canonical_bytes) and are read back from
disk (.msgpack). packages/fastio/README.md documents them; _canonical_c.pyx re-implements the encoders.
"""

from __future__ import annotations

import struct
from datetime import date, datetime, timedelta, timezone

__all__ = (
    'BIGINT',
    'DATE',
    'DATETIME',
    'DATETIME_TZ',
    'TIMEDELTA',
    'decode_ext',
    'encode_bigint',
    'encode_date',
    'encode_datetime',
    'encode_timedelta',
)

BIGINT = 1  # int outside [-2**63, 2**64): minimal big-endian two's complement
DATE = 2  # '>i' days since 0001-01-01
DATETIME = 3  # naive datetime: '>q' microseconds since 0001-01-01T00:00:00
DATETIME_TZ = 4  # aware datetime: '>qq' local wall clock as DATETIME, then utcoffset in microseconds
TIMEDELTA = 5  # '>iii' days, seconds, microseconds (timedelta's own normalised fields)

_US_PER_DAY = 86_400_000_000
_Q = struct.Struct('>q')
_QQ = struct.Struct('>qq')
_I = struct.Struct('>i')
_III = struct.Struct('>iii')
_ORIGIN = datetime(1, 1, 1)


def encode_bigint(value: int) -> bytes:
    # Two's complement needs one sign bit on top of the magnitude's bits.
    size = (value if value >= 0 else ~value).bit_length() // 8 + 1
    return value.to_bytes(size, 'big', signed=True)


def _wall_us(value: datetime) -> int:
    seconds = (value.hour * 60 + value.minute) * 60 + value.second
    return (value.toordinal() - 1) * _US_PER_DAY + seconds * 1_000_000 + value.microsecond


def encode_datetime(value: datetime) -> tuple[int, bytes]:
    """(code, payload); aware means tzinfo gives a utcoffset, as Python defines it. fold is not kept."""
    offset = value.utcoffset()
    if offset is None:
        return DATETIME, _Q.pack(_wall_us(value))
    return DATETIME_TZ, _QQ.pack(_wall_us(value), offset // timedelta(microseconds=1))


def encode_date(value: date) -> bytes:
    return _I.pack(value.toordinal() - 1)


def encode_timedelta(value: timedelta) -> bytes:
    return _III.pack(value.days, value.seconds, value.microseconds)


def decode_ext(code: int, payload: bytes) -> object:
    """The value of one of our ext types; ValueError for a bad payload, LookupError for an unknown code."""
    if code == BIGINT:
        if not payload:
            raise ValueError('empty bigint payload')
        return int.from_bytes(payload, 'big', signed=True)
    if code == DATE:
        return date.fromordinal(_I.unpack(payload)[0] + 1)
    if code == DATETIME:
        return _ORIGIN + timedelta(microseconds=_Q.unpack(payload)[0])
    if code == DATETIME_TZ:
        wall, offset = _QQ.unpack(payload)
        tz = timezone(timedelta(microseconds=offset))
        return (_ORIGIN + timedelta(microseconds=wall)).replace(tzinfo=tz)
    if code == TIMEDELTA:
        return timedelta(*_III.unpack(payload))
    raise LookupError(code)
