"""pandas-backed CSV, JSON, Parquet and Feather processors."""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any, Literal

import luigi
import luigi.format

from gokart._lazy import LazyModule
from gokart.file_processor.base import FileProcessor, _readable_source, _writable_path
from gokart.object_storage import ObjectStorage as ObjectStorage  # importable from here, as in gokart 1.12.2

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = LazyModule('pandas', globals(), 'pd')  # imported by the first load or dump

_JsonOrient = Literal['split', 'records', 'index', 'table', 'columns', 'values']

FEATHER_INDEX_PREFIX = '__feather_gokart_index__'


class CsvFileProcessorPandas(FileProcessor):
    def __init__(self, sep: str = ',', encoding: str = 'utf-8') -> None:
        self._sep = sep
        self._encoding = encoding

    def format(self) -> Any:
        return luigi.format.TextFormat(encoding=self._encoding)

    def load(self, file: Any) -> Any:
        try:
            return pd.read_csv(file, sep=self._sep, encoding=self._encoding)
        except pd.errors.EmptyDataError:
            return pd.DataFrame()

    def dump(self, obj: Any, file: Any) -> None:
        if not isinstance(obj, (pd.DataFrame, pd.Series)):
            raise TypeError(f'requires pd.DataFrame or pd.Series, but {type(obj)} is passed.')
        from gokart.file_processor._csv_fast import dump_csv

        if not dump_csv(obj, file, self._sep):  # the same text as to_csv below, written by gokart_fastio
            obj.to_csv(file, mode='wt', index=False, sep=self._sep, header=True, encoding=self._encoding)


class JsonFileProcessorPandas(FileProcessor):
    def __init__(self, orient: _JsonOrient | None = None):
        self._orient = orient

    def format(self) -> Any:
        return luigi.format.Nop

    def load(self, file: Any) -> Any:
        return pd.read_json(file, orient=self._orient, lines=self._orient == 'records')

    def dump(self, obj: Any, file: Any) -> None:
        if isinstance(obj, dict):
            obj = pd.DataFrame.from_dict(obj)
        if not isinstance(obj, (pd.DataFrame, pd.Series)):
            raise TypeError(f'requires pd.DataFrame or pd.Series or dict, but {type(obj)} is passed.')
        obj.to_json(file, orient=self._orient, lines=self._orient == 'records')


class ParquetFileProcessorPandas(FileProcessor):
    def __init__(
        self, engine: Literal['auto', 'pyarrow', 'fastparquet'] = 'pyarrow', compression: str | None = None
    ) -> None:
        self._engine = engine
        self._compression = compression

    def format(self) -> Any:
        return luigi.format.Nop

    def load(self, file: Any) -> Any:
        return pd.read_parquet(_readable_source(file))

    def dump(self, obj: Any, file: Any) -> None:
        if not isinstance(obj, pd.DataFrame):
            raise TypeError(f'requires pd.DataFrame, but {type(obj)} is passed.')
        obj.to_parquet(_writable_path(file), index=False, engine=self._engine, compression=self._compression)


def _has_string_labels(columns: pd.Index) -> bool:
    return not isinstance(columns, pd.MultiIndex) and all(isinstance(label, str) for label in columns)


def _typed_labels(columns: pd.Index) -> list[Any]:
    def typed(value: Any) -> Any:
        return tuple(typed(v) for v in value) if isinstance(value, tuple) else (type(value).__name__, value)

    return [list(columns.names), [typed(label) for label in columns]]


def _check_labels_survive_feather(frame: pd.DataFrame, file: Any) -> None:
    """Raise, naming the file, if Arrow would not give back the column labels (it stringifies mixed types)."""
    import pyarrow as pa

    with warnings.catch_warnings():
        warnings.simplefilter('ignore')  # pyarrow's own warning says the same, after the fact
        restored = pa.Table.from_pandas(frame.iloc[:0]).to_pandas().columns
    if _typed_labels(restored) != _typed_labels(frame.columns):
        path = getattr(file, 'path', None) or getattr(file, 'name', '<stream>')
        parts = (part for label in frame.columns for part in (label if isinstance(label, tuple) else (label,)))
        kinds = sorted({type(part).__name__ for part in parts})
        raise ValueError(
            f'cannot dump to {path!r}: feather would not give back the column labels {list(frame.columns)!r} '
            f'(label types {kinds}; Arrow stores them as strings). Use string labels, or a .pkl or .parquet target.'
        )


def _gokart_index_label(label: Any) -> str | None:
    """The name part of gokart's index column `__feather_gokart_index__<name>`, or None for other columns."""
    if isinstance(label, tuple) and label and all(part == '' for part in label[1:]):
        label = label[0]  # under MultiIndex columns the index column is ('__feather_gokart_index__<name>', '', ...)
    if isinstance(label, str) and label.startswith(FEATHER_INDEX_PREFIX):
        return label[len(FEATHER_INDEX_PREFIX) :]
    return None


class FeatherFileProcessorPandas(FileProcessor):
    """Feather keeps no index, so gokart stores it as an extra column named after the index.

    That column needs string column labels. A frame with other labels (ints, tuples, ...) is written as
    pandas writes it: Arrow keeps the index and the labels' types in its pandas metadata. Labels Arrow
    cannot give back (mixed types) raise at dump time, naming the file.
    """

    def __init__(self, store_index_in_feather: bool):
        self._store_index_in_feather = store_index_in_feather

    def format(self) -> Any:
        return luigi.format.Nop

    def load(self, file: Any) -> Any:
        loaded = pd.read_feather(_readable_source(file))
        if not self._store_index_in_feather:
            return loaded
        index_columns = [c for c in loaded.columns if _gokart_index_label(c) is not None]
        if not index_columns:
            return loaded
        column = index_columns[-1]
        name = _gokart_index_label(column)
        loaded = loaded.set_index(column)
        loaded.index.name = None if name == 'None' else name
        if isinstance(loaded.columns, pd.MultiIndex):
            loaded.columns = loaded.columns.remove_unused_levels()
        return loaded

    def dump(self, obj: Any, file: Any) -> None:
        if not isinstance(obj, pd.DataFrame):
            raise TypeError(f'requires pd.DataFrame, but {type(obj)} is passed.')
        if not _has_string_labels(obj.columns):
            _check_labels_survive_feather(obj, file)
            obj.to_feather(_writable_path(file))  # the index travels in Arrow's pandas metadata
            return
        frame = obj.copy()
        if self._store_index_in_feather:
            column = f'{FEATHER_INDEX_PREFIX}{frame.index.name}'
            assert column not in frame.columns, (
                f'column name {column} already exists in dump_obj. \nConsider not saving index by setting store_index_in_feather=False.'
            )
            assert frame.index.name != 'None', (
                'index name is "None", which is not allowed in gokart. Consider setting another index name.'
            )
            frame[column] = frame.index
            frame = frame.reset_index(drop=True)
        frame.to_feather(_writable_path(file))
