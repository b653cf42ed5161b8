"""Pickle codec of .pkl targets, through gokart_fastio (the second and last core module that imports it).

Writes protocol-5 pickles with the C pickler, which gokart 1.12.2's dill loader reads. What must travel by
value (lambdas, classes of a script's __main__) goes through dill rather than fastio's default cloudpickle:
environments running gokart 1.12.2 have dill but not necessarily cloudpickle. Reads ours, plain pickles
and gokart 1.12.2's dill pickles.
"""

from __future__ import annotations

from typing import Any

import gokart_fastio

__all__ = ['pickle_dumps', 'pickle_load']


def _dill_dumps(obj: Any) -> bytes:
    import dill

    return dill.dumps(obj, protocol=5)


def pickle_dumps(obj: Any) -> bytes:
    return gokart_fastio.dumps(obj, by_value=_dill_dumps)


def pickle_load(file: Any) -> Any:
    start = file.tell() if file.seekable() else None
    try:
        return gokart_fastio.load(file)
    except gokart_fastio.LoadError:
        if start is None:
            raise
        # Frames pickled by an older pandas need pandas' compatibility unpickler.
        import pandas as pd

        file.seek(start)
        try:
            return pd.read_pickle(file)
        except Exception:
            pass
        raise
