"""Black-box checks against gokart 1.12.2 (.venv-upstream): it reads our .pkl files and we read its."""

from __future__ import annotations

import subprocess
import textwrap
from datetime import date

import pytest

import gokart_fastio

pytestmark = pytest.mark.upstream


def _run(python: str, code: str) -> str:
    return subprocess.run([python, '-c', textwrap.dedent(code)], check=True, capture_output=True, text=True).stdout


def test_upstream_pickle_processor_reads_our_files(upstream_python, tmp_path):
    path = tmp_path / 'ours.pkl'
    value = {'ints': list(range(5)), 'when': date(2024, 1, 2), 'nested': {'t': (1, 'x')}}
    gokart_fastio.dump_file(value, path)
    out = _run(
        upstream_python,
        f"""
        from gokart.file_processor import PickleFileProcessor
        with open({str(path)!r}, 'rb') as f:
            print(repr(PickleFileProcessor().load(f)))
        """,
    )
    assert out.strip() == repr(value)


def test_we_read_what_upstream_dumps(upstream_python, tmp_path):
    path = tmp_path / 'theirs.pkl'
    _run(
        upstream_python,
        f"""
        from gokart.file_processor import PickleFileProcessor
        class Model:
            def predict(self, x):
                return x * 2
        with open({str(path)!r}, 'wb') as f:
            PickleFileProcessor().dump({{'model': Model(), 'rows': [1, 2]}}, f)
        """,
    )
    loaded = gokart_fastio.load_file(path)
    assert loaded['rows'] == [1, 2]
    assert loaded['model'].predict(4) == 8


def test_upstream_reads_plain_pickles_with_repeated_strings(upstream_python, fastio_plain_impl, tmp_path):
    # Each twin's writer output, loaded by gokart 1.12.2's pickle processor (dill.load underneath).
    tag = 'repeated tag'
    value = [{'id': i, 'name': f'user-{i}', 'tags': [tag, tag], 'blob': b'\x00' * (i % 3)} for i in range(400)]
    data = fastio_plain_impl.plain_dumps(value)
    assert data is not None
    path = tmp_path / 'plain.pkl'
    path.write_bytes(data)
    out = _run(
        upstream_python,
        f"""
        from gokart.file_processor import PickleFileProcessor
        with open({str(path)!r}, 'rb') as f:
            loaded = PickleFileProcessor().load(f)
        tags = [t for row in loaded for t in row['tags']]
        keys = [k for row in loaded for k in row]
        print(repr(loaded))
        print(all(t is tags[0] for t in tags), all(k is keys[0] for k in keys[::4]))
        """,
    )
    text, sharing = out.strip().splitlines()
    assert text == repr(value)
    assert sharing == 'True True'
