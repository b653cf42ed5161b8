"""dump_file/load_file: whole-file writes that are atomic (temp file in the same directory + os.replace)."""

from __future__ import annotations

import os
import secrets
from typing import Any

from ._codec import dumps, loads, write_chunks
from ._errors import LoadError
from ._mpack import msgpack_dumps, msgpack_loads

__all__ = ('FORMATS', 'dump_file', 'load_file', 'write_atomic')

FORMATS = ('pickle', 'msgpack')


def _format_of(path: str, format: str | None) -> str:
    if format is None:
        return 'msgpack' if path.endswith('.msgpack') else 'pickle'
    if format not in FORMATS:
        raise ValueError(f'format must be one of {FORMATS}, not {format!r}')
    return format


def write_atomic(path: str | os.PathLike[str], data: bytes, *, fsync: bool = False) -> None:
    """Write data to ``<path>.<random>.tmp`` and rename it over path. On any error the temp file is
    removed and an existing file at path is untouched. Parent directories are created."""
    path = os.fspath(path)
    parent = os.path.dirname(path)
    if parent:
        os.makedirs(parent, exist_ok=True)
    tmp = f'{path}.{secrets.token_hex(6)}.tmp'
    try:
        with open(tmp, 'xb') as file:
            write_chunks(file, data)
            if fsync:
                file.flush()
                os.fsync(file.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def dump_file(obj: object, path: str | os.PathLike[str], *, format: str | None = None, fsync: bool = False) -> None:
    """Serialize obj ('pickle' or 'msgpack'; by default msgpack for *.msgpack, else pickle) and write it
    atomically. Serialization happens before the file system is touched."""
    path = os.fspath(path)
    fmt = _format_of(path, format)
    write_atomic(path, dumps(obj) if fmt == 'pickle' else msgpack_dumps(obj), fsync=fsync)


def load_file(path: str | os.PathLike[str], *, format: str | None = None) -> Any:
    """Read what dump_file (or gokart 1.12.2's dill) wrote. LoadError messages start with the path."""
    path = os.fspath(path)
    fmt = _format_of(path, format)
    with open(path, 'rb') as file:
        data = file.read()
    try:
        return loads(data) if fmt == 'pickle' else msgpack_loads(data)
    except LoadError as exc:
        raise LoadError(f'{path}: {exc}', path) from exc.__cause__
