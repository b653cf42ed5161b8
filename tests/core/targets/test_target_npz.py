"""`.npz` dumps (file_processor/_npz.py): the zip numpy writes, deflated at level 1 in parallel blocks; numpy,
zipfile and `unzip` read it, and the member holds exactly the bytes `numpy.savez_compressed` stores."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile

import numpy as np
import pytest

from gokart.file_processor import NpzFileProcessor, _npz
from gokart.target import make_target

ARRAYS = {
    'empty': np.arange(0),
    'empty_2d': np.zeros((0, 3)),
    'scalar': np.array(3.5),
    'int64': np.array([[1, -2], [3, 2**40]], dtype='int64'),
    'fortran': np.asfortranarray(np.arange(12.0).reshape(3, 4)),
    'strided': np.arange(40).reshape(8, 5)[::2, 1:4],
    'big_endian': np.arange(10, dtype='>i4'),
    'unicode': np.array(['a', 'bé', '']),
    'bytes': np.array([b'x\x00', b'']),
    'complex': np.array([1 + 2j, -0.5j]),
    'bool': np.array([True, False, True]),
    'structured': np.array([(1, 2.0), (3, -4.5)], dtype=[('x', 'i4'), ('y', 'f8')]),
    'datetime': np.array(['2024-01-02T03:04', 'NaT'], dtype='datetime64[m]'),
    'float16': np.array([0.5, np.nan, np.inf], dtype='float16'),
    # several blocks, incompressible and compressible
    'random_blocks': np.random.default_rng(0).integers(0, 2**62, 3 * _npz.BLOCK_BYTES // 8 + 5),
    'compressible_blocks': np.cumsum(np.random.default_rng(1).integers(0, 100, 5 * _npz.BLOCK_BYTES // 8)),
}


def npz_bytes(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    NpzFileProcessor().dump(array, buffer)
    return buffer.getvalue()


def savez_member(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.savez_compressed(buffer, data=array)
    return zipfile.ZipFile(buffer).read('data.npy')


@pytest.mark.parametrize('name', sorted(ARRAYS))
def test_numpy_loads_the_same_array(name):
    array = ARRAYS[name]
    loaded = np.load(io.BytesIO(npz_bytes(array)))
    assert loaded.files == ['data']
    result = loaded['data']
    assert result.dtype == array.dtype and result.shape == array.shape
    np.testing.assert_array_equal(result, array)
    buffer = io.BytesIO()
    np.savez_compressed(buffer, data=array)
    buffer.seek(0)
    expected = np.load(buffer)['data']
    assert (result.flags.c_contiguous, result.flags.f_contiguous) == (
        expected.flags.c_contiguous,
        expected.flags.f_contiguous,
    )


@pytest.mark.parametrize('name', sorted(ARRAYS))
def test_the_member_is_what_savez_compressed_stores_and_its_crc_checks(name):
    with zipfile.ZipFile(io.BytesIO(npz_bytes(ARRAYS[name]))) as archive:
        assert archive.testzip() is None
        [info] = archive.infolist()
        assert (info.filename, info.compress_type) == ('data.npy', zipfile.ZIP_DEFLATED)
        assert archive.read('data.npy') == savez_member(ARRAYS[name])


def test_blocks_are_deflated_in_threads_and_the_level_is_fast(monkeypatch):
    seen = []
    real = _npz._deflate
    monkeypatch.setattr(_npz, '_deflate', lambda *args: seen.append(args[1].nbytes) or real(*args))
    monkeypatch.setattr(_npz.os, 'cpu_count', lambda: 2)
    data = npz_bytes(ARRAYS['compressible_blocks'])
    assert len(seen) == 6 and max(seen) == _npz.BLOCK_BYTES  # the .npy header, then five full blocks
    assert _npz.LEVEL == 1
    savez = io.BytesIO()
    np.savez_compressed(savez, data=ARRAYS['compressible_blocks'])
    assert len(data) < 1.15 * len(savez.getvalue())


def test_unzip_accepts_the_file(tmp_path):
    make_target('a.npz').dump(ARRAYS['compressible_blocks'])
    unzip = shutil.which('unzip')
    assert unzip, 'unzip is needed for this test'
    result = subprocess.run([unzip, '-t', 'a.npz'], capture_output=True, text=True, check=False)
    assert result.returncode == 0 and 'No errors detected' in result.stdout, result.stdout + result.stderr


def test_target_round_trip_and_object_arrays_as_numpy():
    make_target('a.npz').dump(ARRAYS['structured'])
    np.testing.assert_array_equal(make_target('a.npz').load(), ARRAYS['structured'])
    make_target('o.npz').dump(np.array([{'a': 1}, None], dtype=object))  # pickled into the member, as numpy does
    with pytest.raises(ValueError, match='allow_pickle'):
        make_target('o.npz').load()
    assert np.load('o.npz', allow_pickle=True)['data'][0] == {'a': 1}


def test_zip64_fields_for_sizes_past_4_gib():
    pieces = [b'x' * 10]
    size = 5 * 2**30
    chunks = _npz._zip(b'data.npy', pieces, crc=0, size=size)
    archive = b''.join(chunks)
    info = zipfile.ZipFile(io.BytesIO(archive)).getinfo('data.npy')  # the central directory's zip64 extra
    assert (info.file_size, info.compress_size, info.header_offset) == (size, 10, 0)


class _Huge:
    """Stands for 5 GiB of deflated data: only its length is used by the zip layout."""

    def __len__(self) -> int:
        return 5 * 2**30


def test_zip64_end_records_when_the_directory_starts_past_4_gib():
    import struct

    local, name, local_extra, _, directory, zip64_end, locator, end = _npz._zip(b'data.npy', [_Huge()], 7, 6 * 2**30)  # type: ignore[list-item]
    at = len(local) + len(name) + len(local_extra) + 5 * 2**30
    assert struct.unpack('<IQHHIIQQQQ', zip64_end)[0:2] == (0x06064B50, 44)
    assert struct.unpack('<IQHHIIQQQQ', zip64_end)[6:] == (1, 1, len(directory), at)
    assert struct.unpack('<IIQI', locator) == (0x07064B50, 0, at + len(directory), 1)
    assert struct.unpack('<IHHHHIIH', end) == (0x06054B50, 0, 0, 1, 1, len(directory), 0xFFFFFFFF, 0)
    sizes = struct.unpack('<HHQQ', directory[-20:])
    assert sizes == (0x0001, 16, 6 * 2**30, 5 * 2**30)
