"""dump_file/load_file: atomic replacement, format by extension, errors that name the file."""

from __future__ import annotations

import os
import threading

import pytest

import gokart_fastio
from gokart_fastio import DumpError, LoadError, _files


def _leftovers(directory):
    return sorted(p.name for p in directory.iterdir() if p.name.endswith('.tmp'))


@pytest.mark.parametrize(('name', 'first_byte'), [('x.pkl', 0x80), ('x.msgpack', 0x81), ('x.bin', 0x80)])
def test_round_trip_and_format_by_extension(tmp_path, name, first_byte):
    path = tmp_path / 'sub' / name
    gokart_fastio.dump_file({'a': 1}, path)
    assert path.read_bytes()[0] == first_byte
    assert gokart_fastio.load_file(path) == {'a': 1}
    assert _leftovers(path.parent) == []


def test_explicit_format_overrides_the_extension(tmp_path):
    path = tmp_path / 'data.pkl'
    gokart_fastio.dump_file([1, 2], path, format='msgpack', fsync=True)
    assert gokart_fastio.load_file(path, format='msgpack') == [1, 2]
    with pytest.raises(LoadError):
        gokart_fastio.load_file(path)  # read as pickle: not one
    with pytest.raises(ValueError, match='format must be one of'):
        gokart_fastio.dump_file([1], path, format='json')


def test_failed_dump_leaves_the_previous_file_intact(tmp_path):
    path = tmp_path / 'x.pkl'
    gokart_fastio.dump_file('old', path)
    with pytest.raises(DumpError, match=r'^obj\[1\]: cannot pickle'):
        gokart_fastio.dump_file(['new', threading.Lock()], path)
    assert gokart_fastio.load_file(path) == 'old'
    assert _leftovers(tmp_path) == []


def test_failed_write_removes_the_temp_file(tmp_path, monkeypatch):
    path = tmp_path / 'x.msgpack'
    gokart_fastio.dump_file('old', path)

    def half_write(file, data):
        file.write(data[:1])
        raise OSError(28, 'No space left on device')

    monkeypatch.setattr(_files, 'write_chunks', half_write)
    with pytest.raises(OSError, match='No space left'):
        gokart_fastio.dump_file({'new': 'x' * 1000}, path)
    assert gokart_fastio.load_file(path) == 'old'
    assert _leftovers(tmp_path) == []


def test_failed_rename_removes_the_temp_file(tmp_path, monkeypatch):
    path = tmp_path / 'x.pkl'

    def refuse(src, dst):
        raise PermissionError('read-only')

    monkeypatch.setattr(_files.os, 'replace', refuse)
    with pytest.raises(PermissionError):
        gokart_fastio.dump_file([1], path)
    assert not path.exists()
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize('name', ['x.pkl', 'x.msgpack'])
def test_truncated_file_error_names_the_file(tmp_path, name):
    path = tmp_path / name
    gokart_fastio.dump_file({'k': list(range(1000))}, path)
    path.write_bytes(path.read_bytes()[:-7])
    with pytest.raises(LoadError) as info:
        gokart_fastio.load_file(path)
    assert str(info.value).startswith(f'{path}: cannot load')
    assert info.value.path == str(path)
    assert info.value.__cause__ is not None
    assert _leftovers(tmp_path) == []


def test_missing_file_is_a_plain_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        gokart_fastio.load_file(tmp_path / 'absent.pkl')


def test_permissions_follow_the_umask_like_a_plain_open(tmp_path):
    gokart_fastio.dump_file(1, tmp_path / 'ours.pkl')
    (tmp_path / 'plain.pkl').write_bytes(b'')
    assert os.stat(tmp_path / 'ours.pkl').st_mode == os.stat(tmp_path / 'plain.pkl').st_mode
