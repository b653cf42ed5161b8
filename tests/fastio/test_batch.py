"""write_files: the files of one task run written and renamed in order, by both twins alike."""

from __future__ import annotations

import functools
import os

import pytest


def _relative(directory, name):
    return name and os.path.relpath(name, directory)


def _snapshot(directory):
    found = {}
    for root, _, names in os.walk(directory):
        for name in names:
            with open(os.path.join(root, name), 'rb') as f:
                found[os.path.relpath(os.path.join(root, name), directory)] = f.read()
    return found


def _error(call):
    with pytest.raises(OSError) as info:
        call()
    error = info.value
    return type(error), error.errno, error.filename, error.filename2, str(error)


@pytest.mark.parametrize('size', [0, 1, 4096, 3 << 20])
def test_writes_renames_and_creates_missing_directories(fastio_batch_impl, tmp_path, size):
    data = bytes(range(256)) * (size // 256) + b'x' * (size % 256)
    staged = tmp_path / 'out.pkl-tmp'
    staged.write_bytes(b'staged output')
    entries = [
        (str(tmp_path / 'o' / 'new.pkl-tmp'), 'o/new.pkl', b'first', False),  # written, renamed below
        (str(tmp_path / 'log' / 'a' / 'A.pkl-tmp-1'), str(tmp_path / 'log' / 'a' / 'A.pkl'), data, True),
        (str(tmp_path / 'log' / 'a' / 'B.txt-tmp-2'), str(tmp_path / 'log' / 'a' / 'B.txt'), bytearray(b''), True),
        (str(tmp_path / 'old.pkl-tmp'), str(tmp_path / 'old.pkl'), memoryview(b'new'), True),
        (str(staged), str(tmp_path / 'out.pkl'), None, True),
        (str(tmp_path / 'o' / 'new.pkl-tmp'), str(tmp_path / 'o' / 'new.pkl'), None, 1),
        (str(tmp_path / 'untouched'), str(tmp_path / 'nothing'), None, False),  # nothing to do
    ]
    (tmp_path / 'old.pkl').write_bytes(b'old')
    fastio_batch_impl.write_files(entries)
    assert _snapshot(tmp_path) == {
        os.path.join('log', 'a', 'A.pkl'): data,
        os.path.join('log', 'a', 'B.txt'): b'',
        'old.pkl': b'new',
        'out.pkl': b'staged output',
        os.path.join('o', 'new.pkl'): b'first',
    }


def test_empty_batch(fastio_batch_impl):
    fastio_batch_impl.write_files([])


def _failing_batches(tmp_path):
    """Batches whose third entry fails at the open, the rename, or the rename of a staged file."""
    (tmp_path / 'a_file').write_bytes(b'')
    (tmp_path / 'a_directory').mkdir()
    (tmp_path / 'a_directory' / 'keep').write_bytes(b'')
    yield 'open', (str(tmp_path / 'a_file' / 'x-tmp'), str(tmp_path / 'a_file' / 'x'), b'data', True)
    yield 'rename', (str(tmp_path / 'd-tmp'), str(tmp_path / 'a_directory'), b'data', True)
    yield 'staged', (str(tmp_path / 'missing-tmp'), str(tmp_path / 'staged'), None, True)


@pytest.mark.parametrize('failure', ['open', 'rename', 'staged'])
def test_the_first_failure_stops_the_batch_with_the_errors_of_the_os_calls(
    fastio_batch_impl, tmp_path_factory, failure
):
    from gokart_fastio import _batch_py

    outcomes = []
    for impl in (fastio_batch_impl, _batch_py):
        directory = tmp_path_factory.mktemp(failure)
        bad = dict(_failing_batches(directory))[failure]
        entries = [
            (str(directory / 'one-tmp'), str(directory / 'one'), b'1', True),
            (str(directory / 'new' / 'two-tmp'), str(directory / 'new' / 'two'), b'2', True),
            bad,
            (str(directory / 'four-tmp'), str(directory / 'four'), b'4', True),
        ]
        kind, errno, filename, filename2, text = _error(functools.partial(impl.write_files, entries))
        relative = functools.partial(_relative, directory)
        outcomes.append((kind, errno, relative(filename), relative(filename2), text.replace(str(directory), '')))
        files = _snapshot(directory)
        assert files.pop('one') == b'1' and files.pop(os.path.join('new', 'two')) == b'2'
        assert 'four' not in files and not any(name.endswith('-tmp') for name in files)  # the failed one removed
    assert outcomes[0] == outcomes[1]
    kind, _, filename, filename2, _ = outcomes[0]
    assert {
        'open': (NotADirectoryError, os.path.join('a_file', 'x-tmp'), None),
        'rename': (IsADirectoryError, 'd-tmp', 'a_directory'),
        'staged': (FileNotFoundError, 'missing-tmp', 'staged'),
    }[failure] == (kind, filename, filename2)
