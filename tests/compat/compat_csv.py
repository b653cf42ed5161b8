"""DataFrames for the .csv/.tsv byte comparison, importable under both interpreters (numpy, pandas, gokart)."""

from __future__ import annotations

import os

import numpy as np
import pandas as pd


def _mixed(rows: int) -> pd.DataFrame:
    rng = np.random.default_rng(20261201)
    words = np.array([f'label-{i:02d}' for i in range(20)], dtype=object)
    floats = rng.standard_normal(rows)
    floats[::17] = np.nan
    seconds = rng.integers(0, 5 * 365 * 86400, rows)
    start = np.datetime64('2020-01-01T00:00:00', 's')
    return pd.DataFrame(
        {
            'id': np.arange(rows, dtype=np.int64),
            'count': rng.integers(-1_000_000, 1_000_000, rows),
            'price': rng.random(rows) * 1000,
            'score': floats,
            'flag': rng.random(rows) < 0.5,
            'kind': words[rng.integers(0, len(words), rows)],
            'region': pd.Categorical(words[rng.integers(0, 5, rows)]),
            'key': [f'key-{i:x}-{i * 7919 % 104729}' for i in range(rows)],
            'when': (start + seconds.astype('timedelta64[s]')).astype('datetime64[ns]'),
            'when_tz': pd.to_datetime(start + seconds[::-1].astype('timedelta64[s]')).tz_localize('UTC'),
        }
    )


def _text() -> pd.DataFrame:
    return pd.DataFrame(
        {
            'plain': ['a', 'é', None, '', 'x'],
            'quoted': ['x,y', 'say "hi"', 'two\nlines', 'cr\rhere', 'tab\there'],
            'object': pd.Series(['1', None, float('nan'), 'z;z', '|'], dtype=object),
            'category': pd.Categorical(['u', None, 'v,w', 'u', 'v,w']),
        }
    )


def _numbers() -> pd.DataFrame:
    return pd.DataFrame(
        {
            'i8': np.array([-128, 0, 127, 5, 1], dtype=np.int8),
            'u64': np.array([0, 2**64 - 1, 1, 2, 3], dtype=np.uint64),
            'f': [0.1 + 0.2, 1e16, 1e-5, float('nan'), -0.0],
            'b': [True, False, True, True, False],
            'Int64': pd.array([1, None, -(2**63), 2**63 - 1, 0], dtype='Int64'),
            'boolean': pd.array([True, None, False, True, None], dtype='boolean'),
        }
    )


def _datetimes() -> pd.DataFrame:
    moments = ['2020-01-01', '2020-03-29 01:30:00', None, '1999-12-31 23:59:59', '2021-06-01 12:00:00']
    return pd.DataFrame(
        {
            'dates': pd.to_datetime(['2020-01-01', '2020-01-02', None, '1999-12-31', '2000-02-29']),
            'seconds': pd.to_datetime(moments, format='ISO8601'),
            'millis': pd.to_datetime(moments, format='ISO8601') + pd.to_timedelta([0, 500, 0, 0, 1], unit='ms'),
            'nanos': pd.to_datetime(moments, format='ISO8601') + pd.to_timedelta([0, 1, 0, 0, 0], unit='ns'),
            'tokyo': pd.to_datetime(moments, format='ISO8601').tz_localize('Asia/Tokyo'),
            'london': pd.to_datetime(moments, format='ISO8601').tz_localize('UTC').tz_convert('Europe/London'),
            'seconds_unit': pd.to_datetime(moments, format='ISO8601').as_unit('s'),
        }
    )


FRAMES = {
    'mixed': lambda: _mixed(3000),
    'text': _text,
    'numbers': _numbers,
    'datetimes': _datetimes,
    'one_column': lambda: pd.DataFrame({'': ['', None, 'a']}),
    'int_labels': lambda: pd.DataFrame([[1, 'x'], [2, 'y']]),
    'no_rows': lambda: _mixed(3).iloc[:0],
    'fallback_float32': lambda: pd.DataFrame({'a': np.array([0.1, 2.5], dtype=np.float32), 'b': ['x', 'y']}),
}
FALLBACK = {'fallback_float32'}


def dump_all(root: str) -> dict[str, str]:
    """Write every frame as .csv and .tsv under root with the gokart that is importable."""
    from gokart.target import make_target

    paths = {}
    for name, make in FRAMES.items():
        for extension in ('.csv', '.tsv'):
            path = os.path.join(root, f'{name}{extension}')
            make_target(path).dump(make())
            paths[f'{name}{extension}'] = path
    return paths
