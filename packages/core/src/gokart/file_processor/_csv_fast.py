"""The fast `.csv`/`.tsv` writer: pandas' `to_csv(index=False, header=True)` text from gokart_fastio's writer.

`columns_for_csv` turns a DataFrame into the columns fastio's writer takes (see gokart_fastio.write_csv),
or None when the frame has anything whose text this module does not reproduce exactly; the caller then
uses pandas. Reproduced: int and uint columns of any width, float64, bool, the nullable Int*/UInt*/boolean
dtypes, str and object columns of str (with None/NaN/NA), categories of str, naive and tz-aware
datetime64 of any unit (years 1000-9999), with string or int column labels. Everything else (float32,
timedelta, period, object columns holding other values, MultiIndex columns, no columns, a Series) is
written by pandas.
"""

from __future__ import annotations

import csv
import functools
import io
import os
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype

from gokart import _codec

__all__ = ['columns_for_csv', 'csv_quotes_cr', 'dump_csv']

# Separators that never occur in a number, a bool or a datetime, so only text fields need a quoting check.
FAST_SEPARATORS = frozenset(',\t;|')
_PER_SECOND = {'s': 1, 'ms': 1_000, 'us': 1_000_000, 'ns': 1_000_000_000}
# pandas writes years with as many digits as they have: the writer writes four
_YEAR_1000_SECONDS = (date(1000, 1, 1) - date(1970, 1, 1)).days * 86400
_YEAR_10000_SECONDS = ((date(9999, 12, 31) - date(1970, 1, 1)).days + 1) * 86400
_NAT = np.iinfo(np.int64).min


@functools.cache
def csv_quotes_cr() -> bool | None:
    """How this Python's csv module quotes under pandas' dialect: True if a field holding '\\r' is quoted,
    False if not, None if it does something the fast writer does not model (the caller then uses pandas)."""
    if os.linesep != '\n':
        return None
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator='\n', quoting=csv.QUOTE_MINIMAL)
    for row in (['a\rb', 'c,d', 'e"f', 'g\nh', ''], [''], [' x ', '']):
        writer.writerow(row)
    rest = ',"c,d","e""f","g\nh",\n""\n x ,\n'
    text = buffer.getvalue()
    return {'"a\rb"' + rest: True, 'a\rb' + rest: False}.get(text)


def _label(label: Any) -> str | None:
    if type(label) is str:
        return label
    if isinstance(label, (int, np.integer)) and not isinstance(label, (bool, np.bool_)):
        return str(int(label))
    return None


def _mask(missing: np.ndarray) -> memoryview | None:
    return np.ascontiguousarray(missing, dtype=np.uint8).data if missing.any() else None


def _strings(values: np.ndarray) -> tuple | None:
    kind = infer_dtype(values, skipna=True)
    if kind not in ('string', 'empty'):
        return None
    items = values.tolist()
    for i in np.flatnonzero(pd.isna(values)).tolist():
        items[i] = None
    return ('str', items)


def _arrow_strings(array: Any) -> tuple | None:
    import pyarrow as pa

    chunk = array._pa_array.combine_chunks()  # pandas' ArrowStringArray holds a pyarrow ChunkedArray
    if pa.types.is_large_string(chunk.type):
        width: Any = np.int64
    elif pa.types.is_string(chunk.type):
        width = np.int32
    else:
        return None
    n = len(chunk)
    _, offsets_buffer, data_buffer = chunk.buffers()
    offsets = np.frombuffer(offsets_buffer, dtype=width)[chunk.offset : chunk.offset + n + 1].astype(np.int64)
    data: Any = memoryview(data_buffer) if data_buffer is not None else b''
    missing = chunk.is_null().to_numpy(zero_copy_only=False)
    return ('utf8', offsets.data, data, _mask(missing))


def _datetimes(array: Any) -> tuple | None:
    per_second = _PER_SECOND.get(array.unit)
    if per_second is None:
        return None
    aware = array.tz is not None
    local = np.ascontiguousarray((array.tz_localize(None) if aware else array).asi8)
    present = local[local != _NAT]
    if len(present) and not (
        _YEAR_1000_SECONDS * per_second <= int(present.min()) and int(present.max()) < _YEAR_10000_SECONDS * per_second
    ):
        return None
    nanos = (present % per_second) * (1_000_000_000 // per_second)
    if (nanos % 1_000).any():
        digits = 9
    elif (nanos % 1_000_000).any():
        digits = 6
    elif nanos.any():
        digits = 3
    elif not aware and not ((present // per_second) % 86400).any():
        digits = -1  # dates only
    else:
        digits = 0
    offsets = None
    if aware:
        utc = array.asi8
        offsets = np.ascontiguousarray(np.where(local == _NAT, 0, (local - utc) // per_second)).data
    return ('dt', local.data, per_second, digits, offsets)


def _column(series: pd.Series) -> tuple | None:
    dtype = series.dtype
    array = series.array
    if isinstance(dtype, np.dtype):
        values = series.to_numpy()
        if dtype.kind == 'i' or (dtype.kind == 'u' and dtype.itemsize < 8):
            return ('i8', np.ascontiguousarray(values, dtype=np.int64).data, None)
        if dtype.kind == 'u':
            return ('u8', np.ascontiguousarray(values, dtype=np.uint64).data, None)
        if dtype == np.float64:
            return ('f8', np.ascontiguousarray(values).data, None)
        if dtype.kind == 'b':
            return ('b1', np.ascontiguousarray(values).view(np.uint8).data, None)
        if dtype.kind == 'M':
            return _datetimes(array)
        if dtype.kind == 'O':
            return _strings(values)
        return None
    if isinstance(dtype, pd.DatetimeTZDtype):
        return _datetimes(array)
    if isinstance(dtype, pd.CategoricalDtype):
        categories = dtype.categories
        if len(categories) and infer_dtype(categories, skipna=False) != 'string':
            return None
        labels = categories.to_numpy(dtype=object).tolist()
        if not all(type(label) is str for label in labels):
            return None
        codes = np.ascontiguousarray(series.cat.codes.to_numpy(), dtype=np.int64)
        return ('cat', codes.data, labels)
    if isinstance(dtype, pd.StringDtype):
        if hasattr(array, '_pa_array'):
            return _arrow_strings(array)
        return _strings(np.asarray(array, dtype=object))
    if isinstance(dtype, pd.BooleanDtype):
        bools = array.to_numpy(dtype=bool, na_value=False)
        return ('b1', np.ascontiguousarray(bools).view(np.uint8).data, _mask(array.isna()))
    if isinstance(dtype, (pd.Int8Dtype, pd.Int16Dtype, pd.Int32Dtype, pd.Int64Dtype)) or isinstance(
        dtype, (pd.UInt8Dtype, pd.UInt16Dtype, pd.UInt32Dtype)
    ):
        ints = array.to_numpy(dtype=np.int64, na_value=0)
        return ('i8', np.ascontiguousarray(ints).data, _mask(array.isna()))
    if isinstance(dtype, pd.UInt64Dtype):
        ints = array.to_numpy(dtype=np.uint64, na_value=0)
        return ('u8', np.ascontiguousarray(ints).data, _mask(array.isna()))
    return None


def columns_for_csv(obj: Any, sep: str) -> tuple[list[str], list[tuple]] | None:
    """(header labels, fastio columns) for `obj`, or None if pandas must write it."""
    if type(obj) is not pd.DataFrame or sep not in FAST_SEPARATORS:
        return None
    if isinstance(obj.columns, pd.MultiIndex) or len(obj.columns) == 0:
        return None
    labels = [_label(label) for label in obj.columns]
    if any(label is None for label in labels):
        return None
    columns = []
    for i in range(len(labels)):
        column = _column(obj.iloc[:, i])
        if column is None:
            return None
        columns.append(column)
    return [label for label in labels if label is not None], columns


def dump_csv(obj: Any, file: Any, sep: str) -> bool:
    """Write `obj` to the text file `file` as pandas' to_csv(index=False, header=True) does; False (nothing
    written) if pandas must write it."""
    quote_cr = csv_quotes_cr()
    if quote_cr is None or not isinstance(file, io.TextIOBase):
        return False
    prepared = columns_for_csv(obj, sep)
    if prepared is None:
        return False
    labels, columns = prepared
    try:
        _codec.write_csv(file, labels, columns, len(obj), sep, quote_cr)
    except TypeError:  # an object column holding str subclasses, found before anything is written
        return False
    return True
