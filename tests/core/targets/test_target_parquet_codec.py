"""The codec of `.parquet` targets (docs/compat.md Q27): zstd by default, `[gokart_file_processor]
parquet_compression` to choose another, an explicit `compression=` passed through, and exact round trips."""

from __future__ import annotations

import luigi
import luigi.configuration
import pandas as pd
import polars as pl
import pyarrow.parquet as pa_parquet
import pytest

import gokart
from gokart.file_processor import ParquetFileProcessor, make_file_processor
from gokart.target import make_target


def codecs(path: str) -> set[str]:
    meta = pa_parquet.ParquetFile(path).metadata
    return {
        meta.row_group(g).column(c).compression for g in range(meta.num_row_groups) for c in range(meta.num_columns)
    }


def set_codec(value: str) -> None:
    luigi.configuration.get_config().set('gokart_file_processor', 'parquet_compression', value)


def mixed_frame() -> pd.DataFrame:
    """Every dtype a dump must give back unchanged, with missing values where the dtype has them."""
    return pd.DataFrame(
        {
            'i': pd.array([1, -2, 2**40], dtype='int64'),
            'i32': pd.array([1, 2, 3], dtype='int32'),
            'u8': pd.array([0, 255, 7], dtype='uint8'),
            'nullable': pd.array([1, None, 3], dtype='Int64'),
            'f': [0.5, float('nan'), 1e300],
            'f32': pd.array([0.25, 1.5, -2.0], dtype='float32'),
            'b': [True, False, True],
            's': ['a', 'é', None],
            'cat': pd.Categorical(['u', 'v', 'u']),
            'ordered': pd.Categorical(['lo', 'hi', 'lo'], categories=['lo', 'hi'], ordered=True),
            'naive': pd.to_datetime(['2024-01-02 00:00:00', '1999-12-31 23:59:59.123456', None], format='ISO8601'),
            'utc': pd.to_datetime(['2024-01-02 00:00', '2024-06-01 12:00', '2000-01-01 00:00']).tz_localize('UTC'),
            'tokyo': pd.to_datetime(['2024-01-02 00:00', '2024-06-01 12:00', '2000-01-01 00:00']).tz_localize(
                'Asia/Tokyo'
            ),
            'delta': pd.to_timedelta([1, 2, None], unit='s'),
        }
    )


def test_default_codec_is_zstd_for_pandas_and_polars():
    make_target('p.parquet').dump(mixed_frame())
    assert codecs('p.parquet') == {'ZSTD'}
    processor = make_file_processor('q.parquet', dataframe_type='polars')
    make_target('q.parquet', processor=processor).dump(pl.DataFrame({'a': [1, 2], 'b': ['x', None]}))
    assert codecs('q.parquet') == {'ZSTD'}


@pytest.mark.parametrize(('value', 'expected'), [('gzip', 'GZIP'), ('GZIP', 'GZIP'), ('snappy', 'SNAPPY'),
                                                 ('none', 'UNCOMPRESSED'), ('uncompressed', 'UNCOMPRESSED'),
                                                 ('zstd', 'ZSTD'), ('', 'ZSTD')])  # fmt: skip
@pytest.mark.parametrize('dataframe_type', ['pandas', 'polars'])
def test_config_entry_chooses_the_codec(value, expected, dataframe_type):
    set_codec(value)
    frame = mixed_frame() if dataframe_type == 'pandas' else pl.DataFrame({'a': [1, 2], 'b': ['x', None]})
    processor = make_file_processor('o.parquet', dataframe_type=dataframe_type)
    make_target('o.parquet', processor=processor).dump(frame)
    assert codecs('o.parquet') == {expected}
    loaded = make_target('o.parquet', processor=processor).load()
    if dataframe_type == 'pandas':
        pd.testing.assert_frame_equal(loaded, frame)
    else:
        assert loaded.equals(frame)


def test_unknown_codec_in_config_names_the_entry():
    set_codec('lzma')
    with pytest.raises(ValueError, match=r"\[gokart_file_processor\] parquet_compression = 'lzma'"):
        make_target('o.parquet')


@pytest.mark.parametrize(('compression', 'expected'), [('gzip', 'GZIP'), ('snappy', 'SNAPPY'), (None, 'UNCOMPRESSED')])
def test_an_explicit_compression_is_passed_through_whatever_the_config(compression, expected):
    set_codec('brotli')
    target = make_target('o.parquet', processor=ParquetFileProcessor(compression=compression))
    target.dump(mixed_frame())
    assert codecs('o.parquet') == {expected}


def test_processor_default_stays_uncompressed_as_in_1_12_2():
    # ParquetFileProcessor() itself defaults to compression=None (pandas: no codec); only .parquet targets changed
    make_target('o.parquet', processor=ParquetFileProcessor()).dump(mixed_frame())
    assert codecs('o.parquet') == {'UNCOMPRESSED'}


@pytest.mark.parametrize('codec', ['zstd', 'gzip'])
def test_round_trip_is_exact_dtypes_included(codec):
    set_codec(codec)
    frame = mixed_frame()
    make_target('o.parquet').dump(frame)
    loaded = make_target('o.parquet').load()
    pd.testing.assert_frame_equal(loaded, frame, check_exact=True)
    assert list(loaded.dtypes) == list(frame.dtypes)
    assert loaded['ordered'].cat.ordered and str(loaded['tokyo'].dt.tz) == 'Asia/Tokyo'


def test_polars_and_pyarrow_read_the_default_files():
    frame = mixed_frame()
    make_target('o.parquet').dump(frame)
    assert pa_parquet.read_table('o.parquet').num_rows == 3
    read = pl.read_parquet('o.parquet')
    assert read.columns == list(frame.columns)
    assert read['i'].to_list() == [1, -2, 2**40] and read['s'].to_list() == ['a', 'é', None]


class Dumps(gokart.TaskOnKart):
    parquet_compression = luigi.Parameter(default='mine')

    def output(self):
        return self.make_target('out.parquet')

    def run(self):
        self.dump(pd.DataFrame({'a': [1]}))


def test_the_entry_changes_no_unique_id_and_no_task_params():
    before = Dumps()
    before_id, before_params = before.make_unique_id(), before.to_str_params(only_significant=True)
    set_codec('gzip')
    luigi.configuration.get_config().set('TaskOnKart', 'workspace_directory', './ws')  # a section that is read
    after = Dumps()
    assert after.parquet_compression == 'mine'  # its own section: nothing is injected into task parameters
    assert (after.make_unique_id(), after.to_str_params(only_significant=True)) == (before_id, before_params)
    assert 'parquet_compression' not in gokart.TaskOnKart.get_param_names()
    gokart.build(after, reset_register=False)
    assert codecs(after.output().path()) == {'GZIP'}
