"""File processors: how each cache-file extension is written and read."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from gokart import _paths
from gokart.file_processor import base, msgpack, pandas, polars  # noqa: F401  (submodules are attributes, as upstream)
from gokart.file_processor._codecs import default_parquet_compression
from gokart.file_processor.base import (
    BinaryFileProcessor,
    DataFrameType,
    FileProcessor,
    GzipFileProcessor,
    NpzFileProcessor,
    PickleFileProcessor,
    TextFileProcessor,
    XmlFileProcessor,
)
from gokart.file_processor.msgpack import MsgpackFileProcessor
from gokart.file_processor.pandas import (
    CsvFileProcessorPandas,
    FeatherFileProcessorPandas,
    JsonFileProcessorPandas,
    ParquetFileProcessorPandas,
)
from gokart.file_processor.polars import (
    CsvFileProcessorPolars,
    FeatherFileProcessorPolars,
    JsonFileProcessorPolars,
    ParquetFileProcessorPolars,
)

__all__ = [
    'FileProcessor',
    'DataFrameType',
    'BinaryFileProcessor',
    'PickleFileProcessor',
    'TextFileProcessor',
    'GzipFileProcessor',
    'XmlFileProcessor',
    'NpzFileProcessor',
    'MsgpackFileProcessor',
    'CsvFileProcessor',
    'JsonFileProcessor',
    'ParquetFileProcessor',
    'FeatherFileProcessor',
    'make_file_processor',
]


class _DataFrameProcessor(FileProcessor):
    """Facade delegating to the pandas or polars implementation chosen by dataframe_type."""

    _impl: FileProcessor

    def _choose(
        self,
        dataframe_type: DataFrameType,
        make_pandas: Callable[[], FileProcessor],
        make_polars: Callable[[bool], FileProcessor],
    ) -> None:
        self._dataframe_type = dataframe_type
        if dataframe_type == 'pandas':
            self._impl = make_pandas()
        elif dataframe_type in ('polars', 'polars-lazy'):
            self._impl = make_polars(dataframe_type == 'polars-lazy')
        else:
            raise ValueError(
                f"dataframe_type must be 'pandas', 'polars' or 'polars-lazy', but {dataframe_type!r} is passed."
            )

    def format(self) -> Any:
        return self._impl.format()

    def load(self, file: Any) -> Any:
        return self._impl.load(file)

    def dump(self, obj: Any, file: Any) -> None:
        self._impl.dump(obj, file)


class CsvFileProcessor(_DataFrameProcessor):
    def __init__(self, sep: str = ',', encoding: str = 'utf-8', dataframe_type: DataFrameType = 'pandas') -> None:
        self._sep = sep
        self._encoding = encoding
        self._choose(
            dataframe_type,
            lambda: CsvFileProcessorPandas(sep=sep, encoding=encoding),
            lambda lazy: CsvFileProcessorPolars(sep=sep, encoding=encoding, lazy=lazy),
        )


class JsonFileProcessor(_DataFrameProcessor):
    def __init__(
        self,
        orient: Literal['split', 'records', 'index', 'table', 'columns', 'values'] | None = None,
        dataframe_type: DataFrameType = 'pandas',
    ):
        self._orient = orient
        self._choose(
            dataframe_type,
            lambda: JsonFileProcessorPandas(orient=orient),
            lambda lazy: JsonFileProcessorPolars(orient=orient, lazy=lazy),
        )


class ParquetFileProcessor(_DataFrameProcessor):
    def __init__(
        self, engine: Any = 'pyarrow', compression: Any = None, dataframe_type: DataFrameType = 'pandas'
    ) -> None:
        self._engine = engine
        self._compression = compression
        self._choose(
            dataframe_type,
            lambda: ParquetFileProcessorPandas(engine=engine, compression=compression),
            lambda lazy: ParquetFileProcessorPolars(engine=engine, compression=compression, lazy=lazy),
        )


class FeatherFileProcessor(_DataFrameProcessor):
    def __init__(self, store_index_in_feather: bool, dataframe_type: DataFrameType = 'pandas'):
        self._store_index_in_feather = store_index_in_feather
        self._choose(
            dataframe_type,
            lambda: FeatherFileProcessorPandas(store_index_in_feather=store_index_in_feather),
            lambda lazy: FeatherFileProcessorPolars(store_index_in_feather=store_index_in_feather, lazy=lazy),
        )


def _factories(store_index_in_feather: bool, dataframe_type: DataFrameType) -> dict[str, Callable[[], FileProcessor]]:
    # factories, not instances: asking for '.pkl' must not build (or fail on) a polars processor
    return {
        '.txt': TextFileProcessor,
        '.ini': TextFileProcessor,
        '.csv': lambda: CsvFileProcessor(sep=',', dataframe_type=dataframe_type),
        '.tsv': lambda: CsvFileProcessor(sep='\t', dataframe_type=dataframe_type),
        '.pkl': PickleFileProcessor,
        '.gz': GzipFileProcessor,
        '.json': lambda: JsonFileProcessor(dataframe_type=dataframe_type),
        '.ndjson': lambda: JsonFileProcessor(orient='records', dataframe_type=dataframe_type),
        '.xml': XmlFileProcessor,
        '.npz': NpzFileProcessor,
        # docs/compat.md Q27: zstd unless [gokart_file_processor] parquet_compression says otherwise
        '.parquet': lambda: ParquetFileProcessor(
            compression=default_parquet_compression(dataframe_type), dataframe_type=dataframe_type
        ),
        '.feather': lambda: FeatherFileProcessor(
            store_index_in_feather=store_index_in_feather, dataframe_type=dataframe_type
        ),
        '.png': BinaryFileProcessor,
        '.jpg': BinaryFileProcessor,
        '.msgpack': MsgpackFileProcessor,  # not in gokart 1.12.2: plain data that loads without running code
    }


def make_file_processor(
    file_path: str, store_index_in_feather: bool = True, *, dataframe_type: DataFrameType = 'pandas'
) -> FileProcessor:
    extension = _paths.splitext(file_path)[1]
    if extension == '.pkl':  # most outputs: skip building every factory (looked up here, so still patchable)
        return PickleFileProcessor()
    factories = _factories(store_index_in_feather, dataframe_type)
    assert extension in factories, (
        f'{extension} is not supported. The supported extensions are {list(factories.keys())}.'
    )
    return factories[extension]()
