"""Pickle load: what reading a .pkl needs, and nothing of the dump side (a fresh process that only loads
imports this module, gokart_fastio._errors and gokart_fastio._gcpause, not the canonical forms, the
pickler, msgpack or xxhash)."""

from __future__ import annotations

import pickle
from typing import IO, Any

from ._errors import LoadError
from ._gcpause import gc_paused

__all__ = ('load', 'loads')


def _describe(exc: BaseException) -> str:
    return f'cannot load pickle: {type(exc).__name__}: {exc}'


def _with_dill(call: Any, exc: Exception) -> Any:
    """Second chance for pickles only dill's Unpickler understands (gokart 1.12.2 writes with dill)."""
    try:
        import dill
    except ImportError:
        raise LoadError(_describe(exc)) from exc
    try:
        return call(dill)
    except Exception:
        raise LoadError(_describe(exc)) from exc


def loads(data: bytes) -> Any:
    """Unpickle data (ours, plain pickle, or dill). Raises LoadError for truncated or corrupt payloads.
    The cyclic garbage collector is paused meanwhile (see _gcpause)."""
    with gc_paused():
        try:
            return pickle.loads(data)
        except Exception as exc:
            return _with_dill(lambda dill: dill.loads(data), exc)


def load(file: IO[bytes]) -> Any:
    """loads() from a binary file object; non-seekable streams are read whole first. The collector is
    paused as in loads()."""
    if not (hasattr(file, 'seekable') and file.seekable()):
        return loads(file.read())
    start = file.tell()
    with gc_paused():
        try:
            return pickle.load(file)
        except Exception as exc:
            file.seek(start)
            return _with_dill(lambda dill: dill.load(file), exc)
