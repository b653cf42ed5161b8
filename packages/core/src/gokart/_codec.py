"""The one module of core that talks to gokart_fastio: the unique-id hash, parameter JSON, and .pkl codec.

Unique ids are md5 over the text gokart 1.12.2 hashes (`legacy_id`); list and dict parameters are
serialized byte for byte as luigi's json does (`serialize_json`).

The pickle codec writes protocol-5 pickles with the C pickler, which gokart 1.12.2's dill loader reads.
What must travel by value (lambdas, classes of a script's __main__) goes through dill rather than fastio's
default cloudpickle: environments running gokart 1.12.2 have dill but not necessarily cloudpickle. It reads
ours, plain pickles and gokart 1.12.2's dill pickles.
"""

from __future__ import annotations

from typing import Any

import dill

import gokart_fastio

__all__ = ['hash_entries', 'pickle_dumps', 'pickle_load', 'serialize_json']

serialize_json = gokart_fastio.serialize_json


def hash_entries(entries: list[Any]) -> str:
    return gokart_fastio.legacy_id(entries)


def _dill_dumps(obj: Any) -> bytes:
    return dill.dumps(obj, protocol=5)


def pickle_dumps(obj: Any) -> bytes:
    return gokart_fastio.dumps(obj, by_value=_dill_dumps)


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
