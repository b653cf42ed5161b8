"""Pure-Python twin of the canonicalization kernel. Same names, signatures, bytes and errors as _canonical_c."""

from __future__ import annotations

import json
import struct
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from hashlib import md5

from xxhash import xxh3_128_hexdigest

from . import _exttypes as ext

__all__ = (
    'CANONICAL_VERSION',
    'MAX_DEPTH',
    'canonical_bytes',
    'legacy_canonical',
    'legacy_id',
    'serialize_json',
    'xxh3_hex',
    'xxh3_id',
)

CANONICAL_VERSION = 1
MAX_DEPTH = 200  # containers nested deeper than this are refused (and cycles end here)

_VERSION_TAG = b'\x01'
_NAN = b'\xcb\x7f\xf8\x00\x00\x00\x00\x00\x00'  # every NaN hashes alike, whatever its sign or payload
_F64 = struct.Struct('>Bd')
_INT_FORMATS = (  # (lowest, highest, struct) for ints that need more than a fixint
    (0, 0xFF, struct.Struct('>BB'), 0xCC),
    (0, 0xFFFF, struct.Struct('>BH'), 0xCD),
    (0, 0xFFFFFFFF, struct.Struct('>BI'), 0xCE),
    (0, 0xFFFFFFFFFFFFFFFF, struct.Struct('>BQ'), 0xCF),
    (-0x80, -1, struct.Struct('>Bb'), 0xD0),
    (-0x8000, -1, struct.Struct('>Bh'), 0xD1),
    (-0x80000000, -1, struct.Struct('>Bi'), 0xD2),
    (-0x8000000000000000, -1, struct.Struct('>Bq'), 0xD3),
)
_FIXEXT = {1: 0xD4, 2: 0xD5, 4: 0xD6, 8: 0xD7, 16: 0xD8}


# --- gokart 1.12.2 unique ids -------------------------------------------------------------------------------


def _check_deps(deps: object) -> None:
    if not isinstance(deps, list):
        raise TypeError(f'deps must be a list, not {type(deps).__name__}')
    for i, item in enumerate(deps):
        if isinstance(item, str):
            continue
        if not isinstance(item, dict):
            raise TypeError(f'deps[{i}] must be str or dict[str, str], not {type(item).__name__}')
        for key, value in item.items():
            if not isinstance(key, str):
                raise TypeError(f'deps[{i}] has a key of type {type(key).__name__}: {key!r}; keys must be str')
            if not isinstance(value, str):
                raise TypeError(f'deps[{i}][{key!r}] must be str, not {type(value).__name__}')


def legacy_canonical(deps: list) -> str:
    """The exact text gokart 1.12.2 hashes: Python's repr of the list of dependency ids and param dicts."""
    _check_deps(deps)
    return str(deps)


def legacy_id(deps: list) -> str:
    """md5 hex of legacy_canonical(deps): the unique id that names gokart's cache files."""
    _check_deps(deps)
    return md5(str(deps).encode('utf-8')).hexdigest()


def _plain_mapping(value: object) -> dict:
    # luigi hands DictParameter values over as FrozenOrderedDict, a Mapping json does not know.
    if isinstance(value, Mapping):
        return dict(value.items())
    raise TypeError(f'Object of type {type(value).__name__} is not JSON serializable')


def serialize_json(value: object) -> str:
    """json.dumps(value) (luigi's List/Tuple/DictParameter form), with any Mapping encoded as a dict."""
    return json.dumps(value, default=_plain_mapping)


# --- canonical bytes v1 (msgpack subset, documented in packages/fastio/README.md) -------------------------


def canonical_bytes(obj: object) -> bytes:
    """Version tag b'\\x01' followed by one msgpack object in its canonical form."""
    out = bytearray(_VERSION_TAG)
    _encode(obj, out, 0)
    return bytes(out)


def xxh3_hex(data: bytes) -> str:
    """xxh3-128 hex digest (32 lowercase hex digits, big-endian as xxhash prints it)."""
    return xxh3_128_hexdigest(data)


def xxh3_id(obj: object) -> str:
    return xxh3_128_hexdigest(canonical_bytes(obj))


def _header(out: bytearray, size: int, fix_base: int, fix_max: int, base8: int | None, base16: int) -> None:
    """Length header: fix form, then 8/16/32-bit (base8 None when the type has no 8-bit form)."""
    if size <= fix_max:
        out.append(fix_base | size)
    elif base8 is not None and size <= 0xFF:
        out += struct.pack('>BB', base8, size)
    elif size <= 0xFFFF:
        out += struct.pack('>BH', base16, size)
    elif size <= 0xFFFFFFFF:
        out += struct.pack('>BI', base16 + 1, size)
    else:
        raise ValueError(f'canonical_bytes: object of size {size} is too large')


def _encode_ext(out: bytearray, code: int, payload: bytes) -> None:
    size = len(payload)
    if size in _FIXEXT:
        out += struct.pack('>Bb', _FIXEXT[size], code)
    elif size <= 0xFF:
        out += struct.pack('>BBb', 0xC7, size, code)
    elif size <= 0xFFFF:
        out += struct.pack('>BHb', 0xC8, size, code)
    else:
        out += struct.pack('>BIb', 0xC9, size, code)
    out += payload


def _encode_int(value: int, out: bytearray) -> None:
    if -32 <= value <= 0x7F:
        out += struct.pack('>b', value)
        return
    for low, high, fmt, marker in _INT_FORMATS:
        if low <= value <= high:
            out += fmt.pack(marker, value)
            return
    _encode_ext(out, ext.BIGINT, ext.encode_bigint(value))


def _encode_str(value: str, out: bytearray) -> None:
    data = str.encode(value, 'utf-8', 'surrogatepass')  # lone surrogates are still strings Python can hold
    _header(out, len(data), 0xA0, 31, 0xD9, 0xDA)
    out += data


def _encode(obj: object, out: bytearray, depth: int) -> None:
    if obj is None:
        out.append(0xC0)
    elif obj is False:
        out.append(0xC2)
    elif obj is True:
        out.append(0xC3)
    elif isinstance(obj, int):
        _encode_int(int(obj), out)
    elif isinstance(obj, float):
        out += _F64.pack(0xCB, obj) if obj == obj else _NAN
    elif isinstance(obj, str):
        _encode_str(obj, out)
    elif isinstance(obj, (bytes, bytearray)):
        _header(out, len(obj), 0, -1, 0xC4, 0xC5)
        out += obj
    elif isinstance(obj, (list, tuple)):
        _enter(depth)
        _header(out, len(obj), 0x90, 15, None, 0xDC)
        for item in obj:
            _encode(item, out, depth + 1)
    elif isinstance(obj, dict) or isinstance(obj, Mapping):
        _enter(depth)
        _encode_map(obj, out, depth + 1)
    elif isinstance(obj, datetime):
        _encode_ext(out, *ext.encode_datetime(obj))
    elif isinstance(obj, date):
        _encode_ext(out, ext.DATE, ext.encode_date(obj))
    elif isinstance(obj, timedelta):
        _encode_ext(out, ext.TIMEDELTA, ext.encode_timedelta(obj))
    else:
        raise TypeError(f'canonical_bytes: cannot encode an object of type {type(obj).__name__}')


def _enter(depth: int) -> None:
    if depth >= MAX_DEPTH:
        raise ValueError(f'canonical_bytes: containers nested deeper than {MAX_DEPTH} levels (a cycle?)')


def _encode_map(obj: Mapping, out: bytearray, depth: int) -> None:
    entries = []
    for key, value in obj.items():
        encoded = bytearray()
        _encode(key, encoded, depth)
        entries.append((bytes(encoded), value))
    entries.sort(key=_first)
    _header(out, len(entries), 0x80, 15, None, 0xDE)
    previous = None
    for key, value in entries:
        if key == previous:
            raise ValueError('canonical_bytes: two keys of a mapping have the same encoding')
        previous = key
        out += key
        _encode(value, out, depth)


def _first(entry: tuple[bytes, object]) -> bytes:
    return entry[0]
