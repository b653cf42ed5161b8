"""Pickle dump/load: the C pickler (protocol 5) when everything pickles by reference, cloudpickle only
when something must travel by value. Output is plain pickle, so pickle.loads and dill.loads read it."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from types import BuiltinFunctionType, FunctionType
from typing import IO, Any

from ._culprit import find_culprit
from ._errors import DumpError
from ._plain import MEMO_FREE_DUMPS, plain_dumps
from ._unpickle import load, loads

__all__ = ('PROTOCOL', 'dump', 'dumps', 'load', 'loads')

PROTOCOL = 5
# The C pickler names the module of every by-reference global with this opcode (SHORT_BINUNICODE, length 8).
# A global from `__main__` only resolves inside the script that wrote it, so such objects go by value, as
# dill does for gokart 1.12.2. A data string equal to '__main__' also matches: harmless, just slower.
_MAIN_MODULE_REF = b'\x8c\x08__main__'
# What the C pickler raises for lambdas, local classes and other things only cloudpickle can carry.
_BY_VALUE_ERRORS = (pickle.PicklingError, AttributeError, TypeError)
_CHUNK = 1 << 30  # single writes above 2 GiB fail on some platforms


def _cloudpickle_dumps(obj: object) -> bytes:
    import cloudpickle  # imported on first need: it costs more than most dumps

    return cloudpickle.dumps(obj, protocol=PROTOCOL)


def dump_error(obj: object, exc: BaseException, attempt: Any) -> tuple[DumpError, BaseException]:
    """A DumpError naming the part of obj that fails ``attempt``, and that part's own error (its cause)."""
    path, leaf = find_culprit(obj, exc, attempt)
    return DumpError(f'{path}: {leaf or type(leaf).__name__}', path), leaf


ByValue = Callable[[object], bytes]


def _by_value(obj: object, by_value: ByValue) -> bytes:
    try:
        return by_value(obj)
    except Exception as exc:
        error, leaf = dump_error(obj, exc, by_value)
    raise error from leaf


def dumps(obj: object, by_value: ByValue | None = None) -> bytes:
    """Pickle obj (protocol 5). Raises DumpError naming the failing attribute path.

    by_value pickles what the C pickler cannot carry by reference (default: cloudpickle); a caller whose
    readers lack cloudpickle passes its own (gokart passes dill, which gokart 1.12.2 readers have).
    """
    by_value = by_value or _cloudpickle_dumps
    if MEMO_FREE_DUMPS:
        # Builtin plain data: written with a table of repeated strings instead of the memo of every
        # object (most of the C pickler's time on large data); it loads to the same graph.
        data = plain_dumps(obj)
        if data is not None:
            return data
    try:
        data = pickle.dumps(obj, PROTOCOL)
    except _BY_VALUE_ERRORS:
        return _by_value(obj, by_value)
    except RecursionError as exc:  # walking a structure this deep would only recurse again
        raise DumpError(f'obj: {exc}', 'obj') from exc
    except Exception as exc:  # e.g. a __reduce__ or __getstate__ that raises
        error, leaf = dump_error(obj, exc, by_value)
        raise error from leaf
    if _MAIN_MODULE_REF in data:
        return _by_value(obj, by_value)
    return data


def write_chunks(file: IO[bytes], data: bytes) -> None:
    view = memoryview(data)
    for start in range(0, len(view), _CHUNK):
        file.write(view[start : start + _CHUNK])


class _MainReference(Exception):
    """Raised out of _StreamPickler at the first object of the __main__ module: obj must go by value."""


class _ChunkedWrites:
    """What _StreamPickler writes to: file.write, never more than _CHUNK bytes per call. Besides its frames
    (bytes), the pickler hands each large payload to one write: a bytes or bytearray object, or a
    PickleBuffer (a numpy array's memory, maybe multi-dimensional), written as its raw bytes."""

    __slots__ = ('write',)

    def __init__(self, file: IO[bytes]) -> None:
        write = file.write

        def chunked(data: Any) -> None:
            if type(data) is pickle.PickleBuffer:
                data = data.raw()
            if len(data) <= _CHUNK:  # bytes, bytearray, or the 1-D byte view of raw()
                write(data)
            else:
                write_chunks(file, data)

        self.write = chunked


class _StreamPickler(pickle.Pickler):
    """The C pickler writing straight to a file, stopped by _MainReference at the first class, function or
    instance whose module is __main__ (what the byte scan of dumps() finds in a finished pickle). The C
    pickler calls reducer_override only for objects none of its builtin fast paths takes (never for
    None, bool, int, float, str, bytes, dict, list, tuple, set, or anything already in its memo), and
    every global it names by reference (a class, a function, a reduce callable, a singleton whose
    __reduce__ returns its name) reaches save(), hence this hook, first. Returning NotImplemented leaves
    the output byte for byte that of pickle.dumps(obj, PROTOCOL)."""

    def reducer_override(self, obj: Any) -> Any:
        cls = type(obj)
        if cls is FunctionType or cls is BuiltinFunctionType or isinstance(obj, type):
            module = getattr(obj, '__module__', None)
            # a function without __module__ is found by pickle's whichmodule(), maybe in __main__
            if module == '__main__' or module is None:
                raise _MainReference
        elif cls.__module__ == '__main__':
            raise _MainReference
        return NotImplemented


def _rewind(file: IO[bytes], start: int) -> None:
    file.seek(start)
    file.truncate()


def dump(obj: object, file: IO[bytes], by_value: ByValue | None = None) -> None:
    """dumps(obj) written to a binary file object, the same bytes. Nothing is written if it fails (on a
    seekable file what was written is truncated away).

    On a seekable file the C pickler streams to the file as it goes (no pickle in memory, no scan of it),
    and restarts with by_value from where it started when it meets what must travel by value. Other
    files get dumps(obj) in one piece."""
    if MEMO_FREE_DUMPS:
        data = plain_dumps(obj)
        if data is not None:
            write_chunks(file, data)
            return
    if not (hasattr(file, 'seekable') and file.seekable()):
        write_chunks(file, dumps(obj, by_value))
        return
    start = file.tell()
    try:
        _StreamPickler(_ChunkedWrites(file), PROTOCOL).dump(obj)  # type: ignore[arg-type]
    except (_MainReference, *_BY_VALUE_ERRORS):
        _rewind(file, start)
        write_chunks(file, _by_value(obj, by_value or _cloudpickle_dumps))
    except RecursionError as exc:
        _rewind(file, start)
        raise DumpError(f'obj: {exc}', 'obj') from exc
    except Exception as exc:
        _rewind(file, start)
        error, leaf = dump_error(obj, exc, by_value or _cloudpickle_dumps)
        raise error from leaf
