"""`.npz` loads (file_processor/_npz_read.py): the array, dtype, layout and errors of `numpy.load(f)['data']`,
for files written by numpy (deflated or stored) and by our writer, inflated by ISA-L or by zlib."""

from __future__ import annotations

import io
import zipfile
import zlib

import numpy as np
import pytest
from isal import isal_zlib
from test_target_npz import ARRAYS, npz_bytes

from gokart.file_processor import NpzFileProcessor, _npz_read

WRITERS = {
    'ours': npz_bytes,
    'savez_compressed': lambda array: _numpy_bytes(np.savez_compressed, array),
    'savez': lambda array: _numpy_bytes(np.savez, array),
}


def _numpy_bytes(save, array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    save(buffer, data=array)
    return buffer.getvalue()


@pytest.fixture(params=['isal', 'zlib'])
def inflater(request, monkeypatch):
    monkeypatch.setattr(_npz_read, '_inflater', {'isal': isal_zlib, 'zlib': zlib}[request.param])
    return request.param


def _outcome(load, data: bytes):
    try:
        result = load(io.BytesIO(data))
    except Exception as error:  # noqa: BLE001 - the errors must be numpy's
        return type(error), str(error)
    return result


def _numpy(data: bytes):
    return _outcome(lambda f: np.load(f)['data'], data)


@pytest.mark.parametrize('writer', sorted(WRITERS))
@pytest.mark.parametrize('name', sorted(ARRAYS))
def test_the_array_is_numpy_loads(inflater, writer, name, monkeypatch):
    data = WRITERS[writer](ARRAYS[name])
    monkeypatch.setattr(np, 'load', _refuse)  # the fast path reads these files by itself
    result = _npz_read.read_npz(io.BytesIO(data))
    monkeypatch.undo()
    expected = np.load(io.BytesIO(data))['data']
    assert (result.dtype, result.shape) == (expected.dtype, expected.shape)
    np.testing.assert_array_equal(result, expected)
    flags = ('c_contiguous', 'f_contiguous', 'writeable', 'aligned')
    assert [getattr(result.flags, flag) for flag in flags] == [getattr(expected.flags, flag) for flag in flags]


def _refuse(*args, **kwargs):
    raise AssertionError('numpy.load was called')


def _with_member(name: str, payload: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, 'w', zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, payload)
    return buffer.getvalue()


def _corrupt_crc(data: bytes) -> bytes:
    """The member's deflated bytes with one bit flipped past the header, so only the CRC check notices."""
    damaged = bytearray(data)
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo('data.npy')
    damaged[info.header_offset + 30 + len(info.filename) + len(info.extra) + info.compress_size // 2] ^= 0x10
    return bytes(damaged)


BAD = {
    'object_array': lambda: npz_bytes(np.array([{'a': 1}, None], dtype=object)),
    'no_data_member': lambda: _numpy_bytes(lambda f, data: np.savez(f, other=data), np.arange(3)),
    'member_without_suffix': lambda: _with_member('data', b'not an array'),
    'not_a_zip': lambda: b'plain bytes, no archive',
    'npy_not_npz': lambda: _numpy_bytes(lambda f, data: np.save(f, data), np.arange(3)),
    'member_not_npy': lambda: _with_member('data.npy', b'garbage'),
    'truncated_npy': lambda: _with_member(
        'data.npy', _numpy_bytes(lambda f, data: np.save(f, data), np.arange(9))[:-5]
    ),
    'bad_crc': lambda: _corrupt_crc(_numpy_bytes(np.savez, np.arange(100_000))),
}


@pytest.mark.parametrize('case', sorted(BAD))
def test_what_the_fast_path_does_not_take_gets_numpy_loads_answer(inflater, case):
    data = BAD[case]()
    expected, result = _numpy(data), _outcome(_npz_read.read_npz, data)
    if isinstance(expected, tuple):
        assert result == expected
    else:
        np.testing.assert_array_equal(result, expected)


def test_the_processor_reads_through_it_and_a_handle_stays_usable(monkeypatch):
    calls = []
    real = _npz_read.read_npz
    monkeypatch.setattr(_npz_read, 'read_npz', lambda f: calls.append(f) or real(f))
    array = ARRAYS['fortran']
    np.testing.assert_array_equal(NpzFileProcessor().load(io.BytesIO(npz_bytes(array))), array)
    assert len(calls) == 1
