"""`.npz` reading: the `<key>.npy` member inflated in one call, then viewed as the array `numpy.load` gives.

`numpy.load` streams the member through `zipfile` in 256 KiB reads, each inflated, CRC-checked and copied
into the array. Here the compressed bytes are read at once, inflated by ISA-L when `isal` is installed (about
1.7x zlib's speed on the same stream; zlib otherwise) into a buffer of the member's size, checked against the
CRC-32 of the zip's directory, and copied once into the array. Whatever this path does not know (another
member layout, an object array, encryption, a damaged archive) goes to `numpy.load`, which gives its own
result or error.
"""

from __future__ import annotations

import io
import struct
import types
import zipfile
import zlib
from typing import Any

_inflater: types.ModuleType
try:  # a faster inflater of the same streams (docs/compat.md Q55); zlib's output is the same bytes
    from isal import isal_zlib

    _inflater = isal_zlib
except ImportError:  # pragma: no cover - isal is a dependency of gokart; tests cover both inflaters
    _inflater = zlib

__all__ = ['read_npz']

_LOCAL_HEADER = struct.Struct('<IHHHHHIIIHH')
_LOCAL_SIGNATURE = 0x04034B50


def _member_bytes(file: Any, info: zipfile.ZipInfo) -> bytes | None:
    """The member's stored bytes, or None if its local header is not where the directory says."""
    file.seek(info.header_offset)
    header = file.read(_LOCAL_HEADER.size)
    if len(header) != _LOCAL_HEADER.size:
        return None
    fields = _LOCAL_HEADER.unpack(header)
    if fields[0] != _LOCAL_SIGNATURE:
        return None
    file.seek(info.header_offset + _LOCAL_HEADER.size + fields[9] + fields[10])
    data = file.read(info.compress_size)
    return data if len(data) == info.compress_size else None


def _inflate(info: zipfile.ZipInfo, data: bytes) -> bytes:
    raw = data if info.compress_type == zipfile.ZIP_STORED else _inflater.decompress(data, -15, info.file_size)
    if len(raw) != info.file_size or _inflater.crc32(raw) != info.CRC:
        raise zipfile.BadZipFile(f'Bad CRC-32 for file {info.filename!r}')  # zipfile's words for it
    return raw


def _array(raw: bytes) -> Any | None:
    """The array of a `.npy` image, or None for what only numpy.load should decide (object arrays)."""
    import numpy as np

    header = io.BytesIO(raw[:65536])
    version = np.lib.format.read_magic(header)
    if version == (1, 0):
        shape, fortran_order, dtype = np.lib.format.read_array_header_1_0(header)
    elif version in ((2, 0), (3, 0)):
        shape, fortran_order, dtype = np.lib.format.read_array_header_2_0(header)
    else:
        return None
    if dtype.hasobject:
        return None  # pickled: numpy.load refuses it (allow_pickle=False), with its message
    count = 1
    for length in shape:
        count *= length
    offset = header.tell()
    if len(raw) - offset != count * dtype.itemsize:
        return None
    flat = np.frombuffer(raw, dtype=dtype, count=count, offset=offset)
    if fortran_order:
        return flat.reshape(shape[::-1]).transpose().copy(order='F')
    return flat.reshape(shape).copy()


def read_npz(file: Any, key: str = 'data') -> Any:
    """`numpy.load(file)[key]` of a seekable binary file holding an `.npz`."""
    import numpy as np

    start = file.tell()
    found = None
    try:
        with zipfile.ZipFile(file) as archive:
            info = archive.getinfo(f'{key}.npy')
            if (
                not info.flag_bits & 0x1  # encrypted
                and info.compress_type in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
            ):
                data = _member_bytes(file, info)
                if data is not None:
                    found = _array(_inflate(info, data))
    except (KeyError, zipfile.BadZipFile, zlib.error, ValueError, OSError, EOFError) + (_inflater.error,):
        found = None  # numpy.load reads it or says what is wrong, as before
    if found is not None:
        return found
    file.seek(start)
    return np.load(file)[key]
