"""Splitting a large DataFrame into pickled chunks inside a model target's scratch directory."""

from __future__ import annotations

import os
import re
from glob import glob
from typing import TYPE_CHECKING

from gokart._lazy import LazyModule

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
else:
    np = LazyModule('numpy', globals(), 'np')
    pd = LazyModule('pandas', globals(), 'pd')

_CHUNK = re.compile(r'data_(\d+)\.pkl$')


def save_chunks(df: pd.DataFrame, directory: str, max_byte: int) -> None:
    os.makedirs(directory, exist_ok=True)
    if df.empty:
        df.to_pickle(os.path.join(directory, 'data_0.pkl'))
        return
    # docs/compat.md Q20 (fixed): never more parts than rows (an empty part used to raise IndexError)
    parts = min(df.values.nbytes // max_byte + 1, len(df))
    for i, rows in enumerate(np.array_split(np.arange(len(df)), parts)):
        df.iloc[rows[0] : rows[-1] + 1].to_pickle(os.path.join(directory, f'data_{i}.pkl'))


def _chunk_number(path: str) -> int:
    match = _CHUNK.search(path)
    return int(match.group(1)) if match else -1


def load_chunks(directory: str) -> pd.DataFrame:
    # docs/compat.md Q14 (fixed): glob order is filesystem order; rows must come back in chunk order
    paths = sorted(glob(os.path.join(directory, 'data_*.pkl')), key=_chunk_number)
    return pd.concat([pd.read_pickle(path) for path in paths])
