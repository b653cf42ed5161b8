"""gokart._paths: os.path.join / split / splitext / basename in one call for str paths, the same results as posixpath."""

from __future__ import annotations

import os
import pathlib
import posixpath

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gokart import _paths

_paths_text = st.text(alphabet='/.ab_\\ é', max_size=12)


@given(head=_paths_text, tail=_paths_text)
def test_join_equals_posixpath(head, tail):
    assert _paths.join(head, tail) == posixpath.join(head, tail)


@given(path=_paths_text)
def test_split_splitext_and_basename_equal_posixpath(path):
    assert _paths.split(path) == posixpath.split(path)
    assert _paths.splitext(path) == posixpath.splitext(path)
    assert _paths.basename(path) == posixpath.basename(path)


def test_other_types_go_to_os_path():
    assert _paths.join(pathlib.PurePosixPath('/w'), 'a.pkl') == '/w/a.pkl'
    assert _paths.join(b'/w', b'a.pkl') == b'/w/a.pkl'
    assert _paths.splitext(b'/w/a.pkl') == (b'/w/a', b'.pkl')
    assert _paths.basename(pathlib.PurePosixPath('/w/a.pkl')) == 'a.pkl'
    with pytest.raises(TypeError):
        _paths.join('/w', b'a.pkl')
    with pytest.raises(TypeError):
        _paths.join(None, 'a.pkl')


def test_another_os_path_is_asked(monkeypatch):
    monkeypatch.setattr(_paths, '_POSIX', False)
    calls = []
    monkeypatch.setattr(os.path, 'join', lambda *parts: calls.append(parts) or 'joined')
    assert _paths.join('a', 'b') == 'joined' and calls == [('a', 'b')]
