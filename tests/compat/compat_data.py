"""Objects for cache round trips, importable under both interpreters (stdlib, numpy, pandas, gokart only).

Each case names a file under a root directory, the object dumped there and how the target is built.
`dump_all` writes every case with whichever gokart is importable; with reference=True it also loads each
file back and pickles the (normalised) result, so gokart 1.12.2's own load is the oracle both directions
are compared with. `check_all` loads files written by the other implementation and compares.
"""

from __future__ import annotations

import dataclasses
import datetime
import os
import pickle
import traceback
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd


@dataclasses.dataclass(frozen=True)
class Point:
    x: int
    y: int


def save_model(obj: Any, path: str) -> None:
    with open(path, 'wb') as f:
        pickle.dump(obj, f, protocol=4)


def load_model(path: str) -> Any:
    with open(path, 'rb') as f:
        return pickle.load(f)


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            'i': [1, -2, 3],
            'f': [0.5, float('nan'), 1e10],
            's': ['a', 'é', 'x,y "q"'],
            'b': [True, False, True],
        }
    )


def _typed_frame() -> pd.DataFrame:
    df = _frame()
    df['t'] = pd.to_datetime(
        [datetime.datetime(2024, 1, 2), datetime.datetime(2024, 1, 3, 4, 5, 6), datetime.datetime(1999, 12, 31)]
    )
    df['c'] = pd.Categorical(['u', 'v', 'u'])
    return df.set_index(pd.Index([10, 20, 30], name='idx'))


def _xml() -> ET.ElementTree:
    root = ET.Element('root', attrib={'v': '1'})
    ET.SubElement(root, 'child', attrib={'name': 'ä'}).text = 'text & <escaped>'
    ET.SubElement(root, 'empty')
    return ET.ElementTree(root)


def _large_frame() -> pd.DataFrame:
    rows = 40
    return pd.DataFrame(
        {'a': np.arange(rows, dtype='int64'), 'b': np.linspace(0, 1, rows)}, index=np.arange(100, 100 + rows)
    )


def _mixed_frame() -> pd.DataFrame:
    """The dtypes of real frames, missing values included: what a parquet codec change must not alter."""
    rows = 3000
    rng = np.random.default_rng(11)
    words = np.array([f'w{i}' for i in range(7)], dtype=object)
    floats = rng.standard_normal(rows)
    floats[::13] = np.nan
    stamps = pd.to_datetime(rng.integers(0, 10**9, rows), unit='s')
    return pd.DataFrame(
        {
            'i': np.arange(rows, dtype='int64') * 7919,
            'i32': rng.integers(-100, 100, rows).astype('int32'),
            'nullable': pd.array([None if i % 5 == 0 else i for i in range(rows)], dtype='Int64'),
            'f': floats,
            'b': rng.random(rows) < 0.5,
            's': [None if i % 11 == 0 else f'key-{i:x}-é' for i in range(rows)],
            'cat': pd.Categorical(words[rng.integers(0, 7, rows)]),
            'ordered': pd.Categorical(words[rng.integers(0, 3, rows)], categories=list(words[:3]), ordered=True),
            'naive': stamps,
            'utc': stamps.tz_localize('UTC'),
            'tokyo': stamps.tz_localize('UTC').tz_convert('Asia/Tokyo'),
        }
    )


def _parquet(compression: str) -> Callable[[], Any]:
    def make() -> Any:
        from gokart.file_processor import ParquetFileProcessor

        return ParquetFileProcessor(compression=compression)

    return make


# several deflate blocks of gokart's parallel .npz writer (file_processor/_npz.py, 1 MiB blocks)
def _npz_blocks() -> np.ndarray:
    return np.cumsum(np.random.default_rng(3).integers(0, 100, 600_000, dtype='int64'))


@dataclasses.dataclass(frozen=True)
class Case:
    path: str
    make: Callable[[], Any]
    kind: str = 'single'  # 'single' | 'model' | 'large_df'
    store_index_in_feather: bool = True
    exact: bool = False  # the load must also equal the dumped object itself
    byte_identical: bool = False  # both implementations must write the same bytes
    upstream_dump_broken: bool = False  # docs/compat.md Q19: 1.12.2 cannot dump it locally; written with the stdlib
    processor: Callable[[], Any] | None = None  # explicit file processor (polars backends)


def _polars_frame() -> Any:
    import polars as pl

    return pl.DataFrame({'i': [1, -2, 3], 's': ['a', 'é', 'x,y "q"'], 'f': [0.5, None, 1e10]})


def _polars(kind: str, dataframe_type: str = 'polars') -> Callable[[], Any]:
    def make() -> Any:
        from gokart import file_processor as fp

        return {
            'csv': lambda: fp.CsvFileProcessor(dataframe_type=dataframe_type),
            'json': lambda: fp.JsonFileProcessor(dataframe_type=dataframe_type),
            'ndjson': lambda: fp.JsonFileProcessor(orient='records', dataframe_type=dataframe_type),
            'parquet': lambda: fp.ParquetFileProcessor(dataframe_type=dataframe_type),
            'feather': lambda: fp.FeatherFileProcessor(store_index_in_feather=True, dataframe_type=dataframe_type),
        }[kind]()

    return make


CASES: dict[str, Case] = {
    'pkl_plain': Case(
        'p/plain.pkl',
        lambda: {'int': 1, 'str': 'é', 'list': [1, 'a'], 'tuple': (1, None), 'set': {1, 2}, 'bytes': b'\x00\xff'},
        exact=True,
    ),
    # plain data whose keys and strings repeat: our compiled writer's string table, not the C pickler
    'pkl_records': Case(
        'p/records.pkl',
        lambda: [{'id': i, 'name': f'user-{i}', 'tags': ['a', 'shared tag'], 'raw': b'\x00'} for i in range(300)],
        exact=True,
    ),
    'pkl_nested_dict': Case(
        'p/nested.pkl',
        lambda: {'a': {'b': {'c': [datetime.date(2024, 1, 2), Point(1, 2)]}}, 'frame': _frame(), 'arr': np.arange(4)},
        exact=True,
    ),
    'pkl_dataframe': Case('p/frame.pkl', _typed_frame, exact=True),
    'pkl_series': Case('p/series.pkl', lambda: pd.Series([1.5, 2.5], index=['x', 'y'], name='s'), exact=True),
    'pkl_custom_object': Case('p/point.pkl', lambda: Point(3, 4), exact=True),
    'pkl_function': Case('p/func.pkl', lambda: lambda v: v * 3, exact=True),
    'txt_str': Case('t/text.txt', lambda: 'line1\nline2  \n\nlast', byte_identical=True),
    'txt_list': Case('t/list.txt', lambda: ['a', 'b ', 3, 'ü'], byte_identical=True),
    'txt_number': Case('t/number.txt', lambda: 3, byte_identical=True),
    'ini_str': Case('t/conf.ini', lambda: '[section]\nkey = value\n', byte_identical=True),
    'gz_str': Case('g/text.gz', lambda: 'hello\nwörld\n'),
    'gz_list': Case('g/list.gz', lambda: [1, 'x', 2.5]),
    'csv_frame': Case('c/frame.csv', _frame, byte_identical=True),
    'csv_frame_with_index': Case('c/indexed.csv', _typed_frame, byte_identical=True),
    'csv_series': Case('c/series.csv', lambda: pd.Series([1, 2], name='n'), byte_identical=True),
    'csv_empty': Case('c/empty.csv', lambda: pd.DataFrame(), byte_identical=True),
    'tsv_frame': Case('c/frame.tsv', _frame, byte_identical=True),
    'json_frame': Case(
        'j/frame.json', lambda: _frame().set_index(pd.Index([10, 20, 30], name='idx')), byte_identical=True
    ),
    'json_dict': Case('j/dict.json', lambda: {'a': [1, 2], 'b': ['x', 'y']}, byte_identical=True),
    'ndjson_frame': Case('j/frame.ndjson', _frame, byte_identical=True),
    'xml_tree': Case('x/tree.xml', _xml, upstream_dump_broken=True),
    'npz_float': Case('n/float.npz', lambda: np.arange(12, dtype='float64').reshape(3, 4) / 7, exact=True),
    'npz_int': Case('n/int.npz', lambda: np.array([[1, -2], [3, 2**40]], dtype='int64'), exact=True),
    'npz_blocks': Case('n/blocks.npz', _npz_blocks, exact=True),
    'npz_fortran': Case('n/fortran.npz', lambda: np.asfortranarray(np.arange(30.0).reshape(5, 6)), exact=True),
    'npz_structured': Case(
        'n/structured.npz', lambda: np.array([(1, 2.5, b'ab'), (-3, 0.0, b'')], dtype='i4,f8,S2'), exact=True
    ),
    'npz_empty': Case('n/empty.npz', lambda: np.zeros((0, 4), dtype='uint8'), exact=True),
    'parquet_frame': Case('q/frame.parquet', _frame, exact=True),
    'parquet_mixed': Case('q/mixed.parquet', _mixed_frame, exact=True),
    'parquet_gzip_given': Case('q/gzip.parquet', _mixed_frame, processor=_parquet('gzip'), exact=True),
    'parquet_snappy_given': Case('q/snappy.parquet', _mixed_frame, processor=_parquet('snappy'), exact=True),
    'parquet_indexed_frame': Case('q/indexed.parquet', _typed_frame),
    'feather_named_index': Case('f/named.feather', _typed_frame, exact=True),
    'feather_unnamed_index': Case('f/unnamed.feather', lambda: _frame().set_index(pd.Index([5, 6, 7])), exact=True),
    'feather_range_index': Case('f/range.feather', _frame, exact=True),
    'feather_no_index_stored': Case('f/no_index.feather', _typed_frame, store_index_in_feather=False),
    'png_bytes': Case(
        'i/image.png', lambda: b'\x89PNG\r\n\x1a\n' + bytes(range(256)) * 3, exact=True, byte_identical=True
    ),
    'jpg_bytes': Case(
        'i/image.jpg', lambda: b'\xff\xd8\xff\xe0' + bytes(range(255, -1, -1)) * 2, exact=True, byte_identical=True
    ),
    'polars_csv': Case('pl/frame.csv', _polars_frame, processor=_polars('csv'), exact=True, byte_identical=True),
    'polars_json': Case('pl/frame.json', _polars_frame, processor=_polars('json'), exact=True),
    'polars_ndjson': Case(
        'pl/frame.ndjson', _polars_frame, processor=_polars('ndjson'), exact=True, byte_identical=True
    ),
    'polars_parquet': Case('pl/frame.parquet', _polars_frame, processor=_polars('parquet'), exact=True),
    'polars_feather': Case('pl/frame.feather', _polars_frame, processor=_polars('feather'), exact=True),
    'polars_lazy_csv': Case(
        'pl/lazy.csv', lambda: _polars_frame().lazy(), processor=_polars('csv', 'polars-lazy'), exact=True
    ),
    'zip_model': Case('m/model.zip', lambda: {'weights': [0.25, 0.5], 'name': 'm'}, kind='model', exact=True),
    'zip_large_data_frame': Case('m/large.zip', _large_frame, kind='large_df', exact=True),
}

# Large-frame chunks load in glob order upstream (docs/compat.md, Q14), so rows are compared sorted by index.
LARGE_DF_MAX_BYTE = 200


def target(case: Case, root: str) -> Any:
    import gokart.target

    path = os.path.join(root, case.path)
    tmp = os.path.join(root, 'tmp')
    if case.kind == 'model':
        return gokart.target.make_model_target(path, tmp, save_function=save_model, load_function=load_model)
    if case.kind == 'large_df':
        processor = gokart.target.LargeDataFrameProcessor(max_byte=LARGE_DF_MAX_BYTE)
        return gokart.target.make_model_target(
            path, tmp, save_function=processor.save, load_function=gokart.target.LargeDataFrameProcessor.load
        )
    processor = case.processor() if case.processor else None
    return gokart.target.make_target(path, processor=processor, store_index_in_feather=case.store_index_in_feather)


def normalise(name: str, value: Any) -> Any:
    """Turn a loaded value into something picklable and comparable with assert_same."""
    if isinstance(value, ET.ElementTree):
        root = value.getroot()
        return ET.tostring(root, encoding='unicode') if root is not None else None
    if type(value).__name__ == 'LazyFrame':
        return value.collect()
    if name == 'pkl_function':
        return ('called with 7', value(7))
    if CASES[name].kind == 'large_df':
        return value.sort_index()
    return value


def assert_same(actual: Any, expected: Any, where: str = 'value') -> None:
    """Exact equality that understands frames, arrays and containers of them; raises AssertionError."""
    if type(expected).__module__.startswith('polars'):
        from polars.testing import assert_frame_equal

        assert type(actual) is type(expected), f'{where}: {type(actual)} is not {type(expected)}'
        assert_frame_equal(actual, expected)
    elif isinstance(expected, pd.DataFrame):
        assert isinstance(actual, pd.DataFrame), f'{where}: {type(actual)} is not a DataFrame'
        pd.testing.assert_frame_equal(actual, expected, check_exact=True, obj=where)
    elif isinstance(expected, pd.Series):
        assert isinstance(actual, pd.Series), f'{where}: {type(actual)} is not a Series'
        pd.testing.assert_series_equal(actual, expected, check_exact=True, obj=where)
    elif isinstance(expected, np.ndarray):
        assert isinstance(actual, np.ndarray), f'{where}: {type(actual)} is not an ndarray'
        assert actual.dtype == expected.dtype, f'{where}: dtype {actual.dtype} != {expected.dtype}'
        np.testing.assert_array_equal(actual, expected, err_msg=where)
    elif isinstance(expected, dict):
        assert isinstance(actual, dict) and list(actual) == list(expected), f'{where}: keys {actual!r} != {expected!r}'
        for key in expected:
            assert_same(actual[key], expected[key], f'{where}[{key!r}]')
    elif isinstance(expected, (list, tuple)):
        assert type(actual) is type(expected) and len(actual) == len(expected), f'{where}: {actual!r} != {expected!r}'
        for i, (a, e) in enumerate(zip(actual, expected, strict=True)):
            assert_same(a, e, f'{where}[{i}]')
    else:
        assert type(actual) is type(expected) and actual == expected, f'{where}: {actual!r} != {expected!r}'


def _guard(fn: Callable[[], None]) -> str:
    try:
        fn()
    except Exception:  # noqa: BLE001 - reported per case to the caller
        return traceback.format_exc()
    return 'ok'


def reference_file(root: str, name: str) -> str:
    return os.path.join(root, 'loaded', f'{name}.pkl')


def dump_one(name: str, root: str, *, reference: bool) -> str:
    case = CASES[name]

    def write() -> None:
        obj = case.make()
        if reference and case.upstream_dump_broken:
            path = os.path.join(root, case.path)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            obj.write(path, encoding='unicode')
        else:
            target(case, root).dump(obj)
        if reference:
            os.makedirs(os.path.dirname(reference_file(root, name)), exist_ok=True)
            with open(reference_file(root, name), 'wb') as f:
                pickle.dump(normalise(name, target(case, root).load()), f, protocol=4)

    return _guard(write)


def dump_all(root: str, *, reference: bool) -> dict[str, str]:
    return {name: dump_one(name, root, reference=reference) for name in CASES}


def check_one(name: str, root: str, reference_root: str) -> str:
    """Load `name` from root and compare with the oracle load pickled under reference_root."""
    case = CASES[name]

    def check() -> None:
        loaded = normalise(name, target(case, root).load())
        with open(reference_file(reference_root, name), 'rb') as f:
            assert_same(loaded, pickle.load(f), f'{name} vs gokart 1.12.2 load')
        if case.exact:
            assert_same(loaded, normalise(name, case.make()), f'{name} vs the dumped object')

    return _guard(check)


def check_all(root: str, reference_root: str) -> dict[str, str]:
    return {name: check_one(name, root, reference_root) for name in CASES}
