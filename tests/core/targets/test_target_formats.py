"""Every file extension of gokart 1.12.2: exact bytes where they are known, and dump-then-load round trips."""

from __future__ import annotations

import gzip
import io
import os
import pickle
import xml.etree.ElementTree as ET
from collections import OrderedDict

import dill
import numpy as np
import pandas as pd
import pyarrow.feather as pa_feather
import pyarrow.parquet as pa_parquet
import pytest

from gokart.file_processor import (
    CsvFileProcessor,
    FeatherFileProcessor,
    JsonFileProcessor,
    ParquetFileProcessor,
    PickleFileProcessor,
    make_file_processor,
)
from gokart.target import make_target

SUPPORTED = [
    '.txt',
    '.ini',
    '.csv',
    '.tsv',
    '.pkl',
    '.gz',
    '.json',
    '.ndjson',
    '.xml',
    '.npz',
    '.parquet',
    '.feather',
    '.png',
    '.jpg',
    '.msgpack',  # ours only: gokart 1.12.2 lists the extensions above
]


@pytest.fixture
def frame() -> pd.DataFrame:
    return pd.DataFrame({'a': [1, 2], 'b': ['x', 'y']}, index=pd.Index([10, 20], name='idx'))


def read_bytes(path: str) -> bytes:
    with open(path, 'rb') as f:
        return f.read()


@pytest.mark.parametrize(
    ('name', 'expected'),
    [
        ('o.csv', b'a,b\n1,x\n2,y\n'),
        ('o.tsv', b'a\tb\n1\tx\n2\ty\n'),
        ('o.json', b'{"a":{"10":1,"20":2},"b":{"10":"x","20":"y"}}'),
        ('o.ndjson', b'{"a":1,"b":"x"}\n{"a":2,"b":"y"}\n'),
    ],
)
def test_frame_text_formats_write_the_pinned_bytes(frame, name, expected):
    make_target(name).dump(frame)
    assert read_bytes(name) == expected


@pytest.mark.parametrize('name', ['o.csv', 'o.tsv', 'o.ndjson'])
def test_frame_text_formats_load_without_the_index(frame, name):
    make_target(name).dump(frame)
    pd.testing.assert_frame_equal(make_target(name).load(), frame.reset_index(drop=True))


def test_json_keeps_the_index_and_accepts_dicts(frame):
    make_target('o.json').dump(frame)
    pd.testing.assert_frame_equal(make_target('o.json').load(), frame.rename_axis(None), check_dtype=False)
    make_target('d.json').dump({'a': [1, 2]})
    assert read_bytes('d.json') == b'{"a":{"0":1,"1":2}}'


def test_csv_series_and_empty_frame():
    make_target('s.csv').dump(pd.Series([1, 2], name='s'))
    assert read_bytes('s.csv') == b's\n1\n2\n'
    make_target('e.csv').dump(pd.DataFrame())
    loaded = make_target('e.csv').load()
    assert isinstance(loaded, pd.DataFrame) and loaded.empty


@pytest.mark.parametrize('name', ['e.json', 'e.ndjson'])
def test_empty_json_frames_round_trip(name):
    make_target(name).dump(pd.DataFrame())
    loaded = make_target(name).load()
    assert isinstance(loaded, pd.DataFrame) and loaded.empty


@pytest.mark.parametrize(('name', 'obj'), [('l.csv', [1, 2]), ('l.json', [1]), ('l.parquet', [1]), ('l.feather', [1])])
def test_frame_formats_reject_other_objects_with_type_error(name, obj):
    with pytest.raises(TypeError, match='requires pd.DataFrame'):
        make_target(name).dump(obj)


def test_text_lists_are_lines_and_load_right_stripped():
    make_target('o.txt').dump(['a', 3, 'b  '])
    assert read_bytes('o.txt') == b'a\n3\nb  \n'
    assert make_target('o.txt').load() == ['a', '3', 'b']
    make_target('n.ini').dump(3)
    assert read_bytes('n.ini') == b'3'
    assert make_target('n.ini').load() == ['3']


def test_gzip_is_utf8_text_lines():
    make_target('o.gz').dump(['a', 'é'])
    with gzip.open('o.gz') as f:
        assert f.read() == 'a\né\n'.encode()
    assert make_target('o.gz').load() == ['a', 'é']


def test_pickle_is_protocol_5_readable_by_dill_and_loads_plain_and_dill_pickles():
    obj = {'k': [1, 2.5, 'x'], 'f': pd.DataFrame({'a': [1]})}
    make_target('o.pkl').dump(obj)
    raw = read_bytes('o.pkl')
    assert raw[:2] == b'\x80\x05'  # protocol 5 header: gokart_fastio's C pickler
    assert dill.loads(raw)['k'] == obj['k']  # gokart 1.12.2 loads .pkl files with dill
    with open('dill.pkl', 'wb') as f:
        f.write(dill.dumps(obj, protocol=4))
    assert make_target('dill.pkl').load()['k'] == obj['k']
    with open('plain.pkl', 'wb') as f:
        pickle.dump([1, 2], f, protocol=2)
    assert make_target('plain.pkl').load() == [1, 2]


@pytest.mark.parametrize('value', [list(range(50)), [OrderedDict(a=1), list(range(50))]], ids=['plain', 'streamed'])
def test_pickle_dump_writes_in_chunks_of_at_most_the_io_limit(monkeypatch, value):
    from gokart_fastio import _codec as fastio_codec

    monkeypatch.setattr(fastio_codec, '_CHUNK', 7)  # the limit of every write of a pickle (1 GiB)
    writes: list[int] = []

    class Sink(io.BytesIO):
        def write(self, b):
            writes.append(len(b))
            return super().write(b)

    sink = Sink()
    PickleFileProcessor().dump(value, sink)
    assert max(writes) == 7 and len(writes) > 1
    assert dill.loads(sink.getvalue()) == value


def test_pickle_load_reads_through_the_chunked_reader(monkeypatch):
    import gokart.file_processor.base as base

    monkeypatch.setattr(base, '_MAX_IO_BYTES', 5)
    reads: list[int] = []
    original = base._ChunkedLargeFileReader

    class Spy(original):
        def read(self, n=-1):
            data = super().read(n)
            reads.append(len(data))
            return data

    monkeypatch.setattr(base, '_ChunkedLargeFileReader', Spy)
    make_target('big.pkl').dump('x' * 100)
    assert make_target('big.pkl').load() == 'x' * 100
    assert reads and max(reads) > 5  # a single logical read larger than the limit was served by chunks


def test_chunked_reader_splits_reads_and_forwards_the_rest(monkeypatch):
    import gokart.file_processor.base as base

    monkeypatch.setattr(base, '_MAX_IO_BYTES', 2)
    calls: list[int] = []

    class Recording(io.BytesIO):
        def read(self, n=-1):
            calls.append(n)
            return super().read(n)

    reader = base._ChunkedLargeFileReader(Recording(b'abcdefg\nrest'))
    assert reader.read(5) == b'abcde'
    assert calls == [2, 2, 1]
    assert reader.readline() == b'fg\n'
    assert reader.seekable() and reader.tell() == 8
    reader.seek(0)
    assert reader.read() == b'abcdefg\nrest'


def test_pickle_load_reads_large_payloads_into_place_in_chunks(monkeypatch):
    # the unpickler reads a payload outside its frames (here 200 kB of bytes) with readinto(): our reader
    # serves it straight into the object, in reads of at most _MAX_IO_BYTES
    import gokart.file_processor.base as base

    monkeypatch.setattr(base, '_MAX_IO_BYTES', 1000)
    sizes: list[int] = []

    class Recording(io.BytesIO):
        def readinto(self, buffer):
            sizes.append(len(buffer))
            return super().readinto(buffer)

    value = bytes(range(256)) * 800
    reader = base._ChunkedLargeFileReader(Recording(pickle.dumps(value, protocol=5)))
    assert pickle.load(reader) == value
    assert sizes and max(sizes) == 1000 and sum(sizes) >= len(value)


def test_chunked_reader_readinto_without_readinto_underneath(monkeypatch):
    import gokart.file_processor.base as base

    monkeypatch.setattr(base, '_MAX_IO_BYTES', 3)

    class ReadOnly:
        def __init__(self, data):
            self._data = io.BytesIO(data)

        def read(self, n=-1):
            return self._data.read(n)

    buffer = bytearray(8)
    assert base._ChunkedLargeFileReader(ReadOnly(b'abcdefg')).readinto(buffer) == 7  # short: end of file
    assert bytes(buffer) == b'abcdefg\x00'


def test_xml_round_trips_on_a_local_file():
    # docs/compat.md Q19: upstream raised TypeError writing XML to a local (text) file
    tree = ET.ElementTree(ET.fromstring('<a><b>1</b></a>'))
    make_target('o.xml').dump(tree)
    loaded = make_target('o.xml').load()
    assert ET.tostring(loaded.getroot()) == b'<a><b>1</b></a>'


def test_xml_rejects_non_trees_and_loads_broken_files_as_empty():
    with pytest.raises(AssertionError, match='requires ET.ElementTree'):
        make_target('x.xml').dump([1])
    with open('bad.xml', 'w') as f:
        f.write('<a')
    assert make_target('bad.xml').load().getroot() is None


def test_npz_round_trip_and_type_check():
    make_target('o.npz').dump(np.arange(3))
    np.testing.assert_array_equal(make_target('o.npz').load(), np.arange(3))
    with pytest.raises(AssertionError, match='requires np.ndarray'):
        make_target('l.npz').dump([1])


@pytest.mark.parametrize('name', ['o.png', 'o.jpg'])
def test_binary_formats_are_raw_bytes(name):
    make_target(name).dump(b'\x89PNG\x00')
    assert read_bytes(name) == b'\x89PNG\x00'
    assert make_target(name).load() == b'\x89PNG\x00'


def test_parquet_is_zstd_without_index(frame):
    make_target('o.parquet').dump(frame)
    meta = pa_parquet.ParquetFile('o.parquet').metadata
    assert meta.row_group(0).column(0).compression == 'ZSTD'  # docs/compat.md Q27: gzip in gokart 1.12.2
    assert pa_parquet.read_table('o.parquet').column_names == ['a', 'b']
    pd.testing.assert_frame_equal(make_target('o.parquet').load(), frame.reset_index(drop=True))


def test_feather_stores_and_restores_a_named_index(frame):
    make_target('o.feather').dump(frame)
    assert pa_feather.read_table('o.feather').column_names == ['a', 'b', '__feather_gokart_index__idx']
    pd.testing.assert_frame_equal(make_target('o.feather').load(), frame)


def test_feather_unnamed_index_comes_back_unnamed():
    frame = pd.DataFrame({'a': [1, 2]}, index=[5, 6])
    make_target('o.feather').dump(frame)
    assert pa_feather.read_table('o.feather').column_names == ['a', '__feather_gokart_index__None']
    loaded = make_target('o.feather').load()
    assert loaded.index.name is None and list(loaded.index) == [5, 6]


def test_feather_without_index_storage_neither_adds_nor_restores_the_column(frame):
    target = make_target('o.feather', store_index_in_feather=False)
    target.dump(frame.reset_index(drop=True))
    assert pa_feather.read_table('o.feather').column_names == ['a', 'b']
    pd.testing.assert_frame_equal(target.load(), frame.reset_index(drop=True))


def test_feather_rejects_clashing_index_columns_and_an_index_named_none():
    with pytest.raises(AssertionError, match='already exists'):
        make_target('c.feather').dump(pd.DataFrame({'__feather_gokart_index__None': [1]}))
    with pytest.raises(AssertionError, match='index name is "None"'):
        make_target('n.feather').dump(pd.DataFrame({'a': [1]}, index=pd.Index([1], name='None')))


@pytest.mark.parametrize('store_index', [True, False])
@pytest.mark.parametrize(
    'columns',
    [
        [0, 1],
        [1.5, 2.5],
        [pd.Timestamp('2024-01-02'), pd.Timestamp('2024-01-03')],
        pd.MultiIndex.from_tuples([('a', 1), ('b', 2)]),
    ],
    ids=['int', 'float', 'timestamp', 'tuple'],
)
def test_feather_round_trips_non_string_labels_with_the_index(columns, store_index):
    frame = pd.DataFrame([[1, 2], [3, 4]], columns=columns, index=pd.Index([7, 8], name='k'))
    target = make_target('o.feather', store_index_in_feather=store_index)
    target.dump(frame)  # no pyarrow warning (pytest turns warnings into errors)
    pd.testing.assert_frame_equal(target.load(), frame)


@pytest.mark.parametrize(
    'columns',
    [['a', 3], [True, False], pd.MultiIndex.from_tuples([('a', 'x'), ('a', 1)])],
    ids=['mixed', 'bool', 'tuple_level_mixed'],
)
def test_feather_refuses_labels_arrow_cannot_give_back_naming_the_file(columns):
    frame = pd.DataFrame([[1, 2]], columns=columns)
    with pytest.raises(ValueError, match=r"cannot dump to 'x/o\.feather'.*column labels"):
        make_target('x/o.feather').dump(frame)
    assert not os.path.exists('x/o.feather')


def test_feather_loads_a_1_12_2_file_with_tuple_labels_and_the_index_column():
    # what 1.12.2 wrote for MultiIndex columns (and then failed to load): the index as a ('<prefix>None', '') column
    frame = pd.DataFrame([[1, 2]], columns=pd.MultiIndex.from_tuples([('a', 'x'), ('a', 'y')]), index=[9])
    written = frame.copy()
    written[('__feather_gokart_index__None', '')] = written.index
    written.reset_index(drop=True).to_feather('old.feather')
    pd.testing.assert_frame_equal(make_target('old.feather').load(), frame)


def test_unknown_extension_lists_the_supported_ones():
    with pytest.raises(AssertionError) as info:
        make_file_processor('a.foo')
    assert str(info.value) == f'.foo is not supported. The supported extensions are {SUPPORTED}.'
    with pytest.raises(AssertionError, match='^ is not supported'):
        make_target('no_extension')


def test_make_file_processor_configures_each_extension():
    assert make_file_processor('a.tsv')._sep == '\t'
    assert make_file_processor('a.ndjson')._orient == 'records'
    assert make_file_processor('a.parquet')._compression == 'zstd'
    assert make_file_processor('a.feather', store_index_in_feather=False)._store_index_in_feather is False
    assert make_file_processor('a.csv', dataframe_type='polars')._dataframe_type == 'polars'


def test_facade_defaults_match_the_public_signatures():
    assert CsvFileProcessor()._dataframe_type == 'pandas'
    assert JsonFileProcessor()._orient is None
    assert ParquetFileProcessor()._compression is None
    with pytest.raises(ValueError, match='dataframe_type'):
        FeatherFileProcessor(True, dataframe_type='spark')
