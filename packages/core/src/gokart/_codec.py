"""The one module of core that talks to gokart_fastio: the unique-id hash, parameter JSON, the .pkl codec
and the .msgpack codec.

Unique ids are md5 over the text gokart 1.12.2 hashes (`legacy_id`); list and dict parameters are
serialized byte for byte as luigi's json does (`serialize_json`).

The pickle codec writes protocol-5 pickles with the C pickler, which gokart 1.12.2's dill loader reads.
What must travel by value (lambdas, classes of a script's __main__) goes through dill rather than fastio's
default cloudpickle: environments running gokart 1.12.2 have dill but not necessarily cloudpickle. It reads
ours, plain pickles and gokart 1.12.2's dill pickles.

The batch writer (`write_files`) commits a task run's files in one call. The CSV writer (`write_csv`) is fastio's: the caller (file_processor/_csv_fast.py) prepares the columns.

The msgpack codec holds plain data only and loading never runs code: fastio decodes its own ext types
(big ints, dates, datetimes, timedeltas) and hands any other ext type over untouched, which we refuse.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from gokart._lazy import LazyModule

if TYPE_CHECKING:
    import dill

    import gokart_fastio
else:
    dill = LazyModule('dill', globals(), 'dill')  # by-value pickles only
    gokart_fastio = LazyModule('gokart_fastio', globals(), 'gokart_fastio')  # the first id, dump or load

__all__ = [
    'gc_paused',
    'heap_frozen',
    'hash_entries',
    'msgpack_dumps',
    'msgpack_loads',
    'pickle_dump',
    'pickle_dumps',
    'pickle_load',
    'serialize_json',
    'write_csv',
    'write_files',
]


def serialize_json(value: Any) -> str:
    return gokart_fastio.serialize_json(value)


def gc_paused() -> Any:
    """A context manager holding the collector's full collections off (gokart_fastio.gc_paused)."""
    return gokart_fastio.gc_paused()


def heap_frozen() -> Any:
    """A context manager keeping the objects alive at its start out of collections (gokart_fastio.heap_frozen)."""
    return gokart_fastio.heap_frozen()


def write_csv(file: Any, labels: Any, columns: Any, rows: int, sep: str, quote_cr: bool) -> None:
    gokart_fastio.write_csv(file, labels, columns, rows, sep, quote_cr)


def write_files(entries: list[tuple[str, str, bytes | None, bool]]) -> None:
    """The files of one task run in order, each (temporary, destination, data or None for a file on disk
    already, rename): written, then renamed into place; one native call (docs/compat.md Q34)."""
    gokart_fastio.write_files(entries)


def hash_entries(entries: list[Any]) -> str:
    return gokart_fastio.legacy_id(entries)


def _dill_dumps(obj: Any) -> bytes:
    return dill.dumps(obj, protocol=5)


def pickle_dumps(obj: Any) -> bytes:
    return gokart_fastio.dumps(obj, by_value=_dill_dumps)


def pickle_dump(obj: Any, file: Any) -> None:
    """pickle_dumps(obj) written to file, streamed as it is pickled when the file can seek back.

    A write that fails (a full disk) raises its OSError, which the target names the file in, not the
    DumpError that the pure twin wraps it in while looking for the object's culprit."""
    try:
        gokart_fastio.dump(obj, file, by_value=_dill_dumps)
    except gokart_fastio.DumpError as error:
        if isinstance(error.__cause__, OSError):
            raise error.__cause__ from None
        raise


def pickle_load(file: Any) -> Any:
    """Load a pickle; what fails raises the unpickler's own exception (EOFError for an empty file,
    UnpicklingError when truncated, ...), as gokart 1.12.2's dill.load did, not gokart_fastio.LoadError."""
    start = file.tell() if file.seekable() else None
    try:
        return gokart_fastio.load(file)
    except gokart_fastio.LoadError as error:
        cause = error.__cause__
        failure: Exception = cause if isinstance(cause, Exception) else error
    if start is not None:
        # Frames pickled by an older pandas need pandas' compatibility unpickler.
        import pandas as pd

        file.seek(start)
        try:
            return pd.read_pickle(file)
        except Exception:
            pass
    raise failure


def msgpack_dumps(obj: Any) -> bytes:
    """Plain data to msgpack bytes; anything else raises gokart_fastio.DumpError (a TypeError) naming the
    type and where in obj it was found."""
    return gokart_fastio.msgpack_dumps(obj)


# Every msgpack ext header (fixext 1-16, ext 8/16/32). Without one of these bytes there is no ext value.
_EXT_HEADER = re.compile(rb'[\xc7-\xc9\xd4-\xd8]')
# What fastio's decoder produces besides dicts and lists (datetime is a date).
_PLAIN = (str, bytes, int, float, type(None), date, timedelta)


def msgpack_loads(data: bytes) -> Any:
    """msgpack bytes to plain data. Raises gokart_fastio.LoadError (a pickle.UnpicklingError and a
    ValueError) for a corrupt payload or any ext type that is not one of fastio's plain-data types."""
    value = gokart_fastio.msgpack_loads(data)
    if _EXT_HEADER.search(data) is not None:
        _refuse_foreign_values(value)
    return value


def _refuse_foreign_values(value: Any) -> None:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif not isinstance(item, _PLAIN):
            code = getattr(item, 'code', None)
            what = f'extension type {code}' if isinstance(code, int) else f'a value of type {type(item).__name__}'
            raise gokart_fastio.LoadError(
                f'refusing msgpack {what}: a .msgpack cache holds plain data only '
                '(extension types of other writers, pickles included, are never decoded)'
            )
