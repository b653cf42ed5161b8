"""Deterministic inputs of the data-format workloads, the same under both interpreters."""

from __future__ import annotations

import numpy as np
import pandas as pd


def mixed_frame(rows: int) -> pd.DataFrame:
    """`rows` x 10 columns: ints, floats (one with NaN), bool, category-like and unique strings, a category,
    naive and tz-aware datetimes."""
    rng = np.random.default_rng(20261201)
    words = np.array([f'label-{i:02d}' for i in range(20)], dtype=object)
    floats = rng.standard_normal(rows)
    floats[::17] = np.nan
    start = np.datetime64('2020-01-01T00:00:00', 's')
    seconds = rng.integers(0, 5 * 365 * 86400, rows)
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


def int_arrays(total_bytes: int) -> np.ndarray:
    """int64 values with the redundancy of real ids and counts (compressible, not constant)."""
    rng = np.random.default_rng(7)
    n = total_bytes // 8
    return np.cumsum(rng.integers(0, 100, n, dtype=np.int64))


def records(n: int) -> list:
    return [{'id': i, 'name': f'user-{i}', 'score': i * 0.5, 'tags': ['a', 'b'], 'ok': i % 3 == 0} for i in range(n)]


def plain_dict(n: int) -> dict:
    return {f'key-{i}': (i, f'value-{i % 1000}', i * 0.25) for i in range(n)}
