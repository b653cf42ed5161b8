"""The .msgpack format: plain data only, and loading never runs code. Tuples come back as lists;
datetimes, dates, timedeltas and ints beyond 64 bits use the ext types of _exttypes (README)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

import msgpack

from . import _exttypes as ext
from ._codec import dump_error
from ._errors import LoadError

__all__ = ('msgpack_dumps', 'msgpack_loads')


def _default(obj: object) -> object:
    if isinstance(obj, datetime):
        return msgpack.ExtType(*ext.encode_datetime(obj))
    if isinstance(obj, date):
        return msgpack.ExtType(ext.DATE, ext.encode_date(obj))
    if isinstance(obj, timedelta):
        return msgpack.ExtType(ext.TIMEDELTA, ext.encode_timedelta(obj))
    if isinstance(obj, int):  # msgpack asks only when the int does not fit in 64 bits
        return msgpack.ExtType(ext.BIGINT, ext.encode_bigint(obj))
    if isinstance(obj, Mapping):
        return dict(obj.items())
    raise TypeError(f'cannot encode an object of type {type(obj).__name__} in msgpack')


def _packb(obj: object) -> bytes:
    return msgpack.packb(obj, default=_default, use_bin_type=True, datetime=False)


def msgpack_dumps(obj: object) -> bytes:
    """Encode plain data. Raises DumpError naming the failing path for anything else."""
    try:
        return _packb(obj)
    except Exception as exc:
        error, leaf = dump_error(obj, exc, _packb)
    raise error from leaf


def _ext_hook(code: int, payload: bytes) -> object:
    try:
        return ext.decode_ext(code, payload)
    except LookupError:  # someone else's ext type: hand it over untouched
        return msgpack.ExtType(code, payload)


def msgpack_loads(data: bytes) -> Any:
    """Decode one msgpack object. Raises LoadError for truncated or corrupt payloads."""
    try:
        return msgpack.unpackb(data, ext_hook=_ext_hook, raw=False, strict_map_key=False)
    except Exception as exc:
        raise LoadError(f'cannot load msgpack: {type(exc).__name__}: {exc}') from exc
