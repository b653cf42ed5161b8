"""polars backends: round trips, LazyFrames, type checks and the missing-polars error."""

from __future__ import annotations

import polars as pl
import pytest

from gokart.file_processor import CsvFileProcessor, make_file_processor
from gokart.target import make_target


def test_polars_is_installed_for_the_suite():
    from gokart.file_processor.polars import HAS_POLARS

    assert HAS_POLARS is True


@pytest.fixture
def frame():
    return pl.DataFrame({'a': [1, 2], 'b': ['x', 'y']})


@pytest.mark.parametrize('name', ['o.csv', 'o.tsv', 'o.json', 'o.ndjson', 'o.parquet', 'o.feather'])
def test_polars_round_trip(frame, name):
    processor = make_file_processor(name, dataframe_type='polars')
    make_target(name, processor=processor).dump(frame)
    loaded = make_target(name, processor=processor).load()
    assert isinstance(loaded, pl.DataFrame)
    assert loaded.equals(frame)


@pytest.mark.parametrize('name', ['o.csv', 'o.ndjson', 'o.parquet', 'o.feather'])
def test_polars_lazy_dumps_collected_frames_and_loads_lazy_frames(frame, name):
    processor = make_file_processor(name, dataframe_type='polars-lazy')
    make_target(name, processor=processor).dump(frame.lazy())
    loaded = make_target(name, processor=processor).load()
    assert isinstance(loaded, pl.LazyFrame)
    assert loaded.collect().equals(frame)


def test_polars_csv_matches_pandas_bytes(frame):
    make_target('o.csv', processor=CsvFileProcessor(dataframe_type='polars')).dump(frame)
    with open('o.csv', 'rb') as f:
        assert f.read() == b'a,b\n1,x\n2,y\n'


def test_polars_parquet_defaults_to_zstd(frame):
    import pyarrow.parquet as pq

    from gokart.file_processor import ParquetFileProcessor

    make_target('o.parquet', processor=ParquetFileProcessor(dataframe_type='polars')).dump(frame)
    assert pq.ParquetFile('o.parquet').metadata.row_group(0).column(0).compression == 'ZSTD'


def test_polars_empty_csv_loads_as_empty_frame():
    with open('e.csv', 'w'):
        pass
    loaded = make_target('e.csv', processor=CsvFileProcessor(dataframe_type='polars')).load()
    assert isinstance(loaded, pl.DataFrame) and loaded.is_empty()


def test_polars_processors_reject_pandas_frames():
    import pandas as pd

    with pytest.raises(TypeError, match='pl.DataFrame'):
        make_target('o.csv', processor=CsvFileProcessor(dataframe_type='polars')).dump(pd.DataFrame({'a': [1]}))


def test_missing_polars_fails_at_construction_with_an_install_hint(monkeypatch):
    import gokart.file_processor.polars as polars_module

    monkeypatch.setattr(polars_module, 'HAS_POLARS', False)
    with pytest.raises(ImportError, match='pip install polars'):
        CsvFileProcessor(dataframe_type='polars')
    assert make_file_processor('a.pkl', dataframe_type='polars') is not None  # other extensions unaffected
