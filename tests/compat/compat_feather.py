"""Feather targets of frames with non-string column labels, importable under either interpreter.

`dump_all(root)` dumps every case with whichever gokart is importable and reports 'ok' or the dump error;
`load_all(root, reference)` loads every file found and reports whether it equals the case's frame
(values, index, column labels and their types), what it gave instead, or the load error.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable
from typing import Any

import pandas as pd


def _index() -> pd.Index:
    return pd.Index([10, 11, 12], name='k')


FRAMES: dict[str, Callable[[], pd.DataFrame]] = {
    'str': lambda: pd.DataFrame({'a': [1, 2, 3], 'b': ['x', 'é', 'z']}, index=_index()),
    'str_range_index': lambda: pd.DataFrame({'a': [1, 2, 3], 'b': ['x', 'é', 'z']}),
    'int': lambda: pd.DataFrame({0: [1, 2, 3], 1: [4.5, 5.5, 6.5]}, index=_index()),
    'int_range_index': lambda: pd.DataFrame({0: [1, 2, 3], 1: ['x', 'y', 'z']}),
    'float': lambda: pd.DataFrame({1.5: [1, 2, 3]}, index=_index()),
    'bool': lambda: pd.DataFrame({True: [1, 2, 3], False: [4, 5, 6]}, index=_index()),
    'timestamp': lambda: pd.DataFrame({pd.Timestamp('2024-01-02'): [1, 2, 3]}, index=_index()),
    'tuple': lambda: pd.DataFrame(
        [[1, 2], [3, 4], [5, 6]], columns=pd.MultiIndex.from_tuples([('a', 'x'), ('a', 'y')]), index=_index()
    ),
    'tuple_with_ints': lambda: pd.DataFrame(
        [[1, 2], [3, 4], [5, 6]], columns=pd.MultiIndex.from_tuples([('a', 1), ('b', 2)])
    ),
    'mixed': lambda: pd.DataFrame({'a': [1, 2, 3], 3: [4, 5, 6]}, index=_index()),
}
CASES = [f'{name}-{"index" if store else "noindex"}' for name in FRAMES for store in (True, False)]


def _parse(case: str) -> tuple[Callable[[], pd.DataFrame], bool]:
    name, store = case.rsplit('-', 1)
    return FRAMES[name], store == 'index'


def path(root: str, case: str) -> str:
    return os.path.join(root, f'{case}.feather')


def _typed(columns: pd.Index) -> list[Any]:
    def typed(value: Any) -> Any:
        return [typed(v) for v in value] if isinstance(value, tuple) else [type(value).__name__, repr(value)]

    return [typed(label) for label in columns]


def dump_all(root: str) -> dict[str, Any]:
    warnings.simplefilter('ignore')
    from gokart.target import make_target

    out: dict[str, Any] = {}
    for case in CASES:
        make, store = _parse(case)
        try:
            make_target(path(root, case), store_index_in_feather=store).dump(make())
            out[case] = 'ok'
        except Exception as exc:
            out[case] = [type(exc).__name__, str(exc), path(root, case) in str(exc)]
    return out


def load_all(root: str) -> dict[str, Any]:
    warnings.simplefilter('ignore')
    from gokart.target import make_target

    out: dict[str, Any] = {}
    for case in CASES:
        make, store = _parse(case)
        if not os.path.exists(path(root, case)):
            continue
        expected = make()
        try:
            got = make_target(path(root, case), store_index_in_feather=store).load()
        except Exception as exc:
            out[case] = ['raised', type(exc).__name__, str(exc)[:200]]
            continue
        same = (
            _typed(got.columns) == _typed(expected.columns)
            and got.index.equals(expected.index)
            and got.index.names == expected.index.names
            and got.reset_index(drop=True)
            .T.reset_index(drop=True)
            .equals(expected.reset_index(drop=True).T.reset_index(drop=True))
        )
        out[case] = 'equal' if same else ['different', repr(_typed(got.columns)), repr(list(got.index)), got.index.name]
    return out
