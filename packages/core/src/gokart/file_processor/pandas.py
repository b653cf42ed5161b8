"""pandas-backed CSV, JSON, Parquet and Feather processors."""

from __future__ import annotations

from typing import Any, Literal

import luigi
import luigi.format
import pandas as pd

from gokart.file_processor.base import FileProcessor, _readable_source, _writable_path
from gokart.object_storage import ObjectStorage as ObjectStorage  # importable from here, as in gokart 1.12.2

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


class FeatherFileProcessorPandas(FileProcessor):
    """Feather keeps no index, so gokart stores it as an extra column named after the index."""

    def __init__(self, store_index_in_feather: bool):
        self._store_index_in_feather = store_index_in_feather

    def format(self) -> Any:
        return luigi.format.Nop

    def load(self, file: Any) -> Any:
        loaded = pd.read_feather(_readable_source(file))
        if not self._store_index_in_feather:
            return loaded
        index_columns = [c for c in loaded.columns if isinstance(c, str) and c.startswith(FEATHER_INDEX_PREFIX)]
        if not index_columns:
            return loaded
        column = index_columns[-1]
        loaded = loaded.set_index(column)
        name = column[len(FEATHER_INDEX_PREFIX) :]
        loaded.index.name = None if name == 'None' else name
        return loaded

    def dump(self, obj: Any, file: Any) -> None:
        if not isinstance(obj, pd.DataFrame):
            raise TypeError(f'requires pd.DataFrame, but {type(obj)} is passed.')
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
