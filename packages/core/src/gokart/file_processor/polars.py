"""polars-backed CSV, JSON, Parquet and Feather (IPC) processors; `lazy=True` loads LazyFrames."""

from __future__ import annotations

import importlib.util
import io
import os
from typing import Any, Literal

import luigi
import luigi.format

from gokart.file_processor.base import FileProcessor, _readable_source
from gokart.object_storage import ObjectStorage as ObjectStorage  # importable from here, as in gokart 1.12.2

# checked without importing polars: `import gokart` must stay cheap and work without the extra
HAS_POLARS = importlib.util.find_spec('polars') is not None

_CsvEncoding = Literal['utf8', 'utf8-lossy']
_ParquetCompression = Literal['lz4', 'uncompressed', 'snappy', 'gzip', 'brotli', 'zstd']

_MISSING = (
    "polars is required for polars-based dataframe types ('polars' or 'polars-lazy'). Install with: pip install polars"
)


def _is_empty(source: Any) -> bool:
    """Whether a source from _readable_source (a local path or bytes in memory) holds no bytes at all."""
    if isinstance(source, io.BytesIO):
        return source.getbuffer().nbytes == 0
    return os.path.getsize(source) == 0


def _csv_encoding(encoding: str) -> str:
    # polars decodes 'utf8' itself (an invalid file raises its ComputeError, as in gokart 1.12.2); any other
    # name makes polars decode the whole file in Python first
    return 'utf8' if encoding.lower() in ('utf-8', 'utf8') else encoding


def _polars() -> Any:
    if not HAS_POLARS:
        raise ImportError(_MISSING)
    import polars

    return polars


def _as_frame(obj: Any) -> Any:
    pl = _polars()
    if isinstance(obj, pl.LazyFrame):
        return obj.collect()
    if not isinstance(obj, pl.DataFrame):
        raise TypeError(f'requires pl.DataFrame or pl.LazyFrame, but {type(obj)} is passed.')
    return obj


class _PolarsProcessor(FileProcessor):
    def __init__(self, lazy: bool) -> None:
        _polars()
        self._lazy = lazy

    def format(self) -> Any:
        return luigi.format.Nop

    def _finish(self, frame: Any) -> Any:
        # read eagerly: a lazy scan would outlive the handle (GCS downloads delete their file on close)
        return frame.lazy() if self._lazy else frame


class CsvFileProcessorPolars(_PolarsProcessor):
    def __init__(self, sep: str = ',', encoding: str = 'utf-8', lazy: bool = False) -> None:
        super().__init__(lazy)
        self._sep = sep
        self._encoding = encoding

    def load(self, file: Any) -> Any:
        pl = _polars()
        try:
            source = _readable_source(file)
            return self._finish(pl.read_csv(source, separator=self._sep, encoding=_csv_encoding(self._encoding)))
        except pl.exceptions.NoDataError:
            return self._finish(pl.DataFrame())

    def dump(self, obj: Any, file: Any) -> None:
        _as_frame(obj).write_csv(file, separator=self._sep, include_header=True)


class JsonFileProcessorPolars(_PolarsProcessor):
    def __init__(self, orient: str | None = None, lazy: bool = False):
        super().__init__(lazy)
        self._orient = orient

    def load(self, file: Any) -> Any:
        pl = _polars()
        source = _readable_source(file)
        if self._orient == 'records':
            try:
                return self._finish(pl.read_ndjson(source))
            except (pl.exceptions.NoDataError, pl.exceptions.ComputeError):
                # polars writes a frame without rows as an empty file and cannot read one back
                if _is_empty(source):
                    return self._finish(pl.DataFrame())
                raise
        return self._finish(pl.read_json(source))

    def dump(self, obj: Any, file: Any) -> None:
        frame = _as_frame(obj)
        if self._orient == 'records':
            frame.write_ndjson(file)
        else:
            frame.write_json(file)


class ParquetFileProcessorPolars(_PolarsProcessor):
    def __init__(
        self, engine: str = 'pyarrow', compression: _ParquetCompression | None = None, lazy: bool = False
    ) -> None:
        super().__init__(lazy)
        self._engine = engine  # accepted for signature parity; polars has its own writer
        self._compression = compression

    def load(self, file: Any) -> Any:
        pl = _polars()
        source = _readable_source(file)
        return self._finish(pl.read_parquet(source))

    def dump(self, obj: Any, file: Any) -> None:
        _as_frame(obj).write_parquet(file, compression=self._compression or 'zstd')


class FeatherFileProcessorPolars(_PolarsProcessor):
    """Arrow IPC; polars frames have no index, so store_index_in_feather is ignored."""

    def __init__(self, store_index_in_feather: bool, lazy: bool = False):
        super().__init__(lazy)
        self._store_index_in_feather = store_index_in_feather

    def load(self, file: Any) -> Any:
        pl = _polars()
        source = _readable_source(file)
        return self._finish(pl.read_ipc(source))

    def dump(self, obj: Any, file: Any) -> None:
        _as_frame(obj).write_ipc(file)
