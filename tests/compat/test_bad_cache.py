"""A cache file that fails to load raises an instance of the class gokart 1.12.2 raised, naming the file.

Differential: gokart 1.12.2 writes one valid file per extension (compat_bad_cache), truncated, garbled and
empty copies are derived byte for byte, and both implementations load every file (pandas, polars and
polars-lazy where the extension has them). Where 1.12.2 raised, ours raises an instance of that class (it is
in our exception's MRO) whose message names the path. Where 1.12.2 loaded something, ours loads the same.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from ._upstream import COMPAT_DIR, run_python_json

sys.path.insert(0, str(COMPAT_DIR))
import compat_bad_cache  # noqa: E402

pytestmark = pytest.mark.upstream

# docs/compat.md, "Switching over": ours reads these eagerly into an empty LazyFrame (as the eager loaders
# do); 1.12.2's lazy scan raised on collect() (NoDataError, ComputeError).
EMPTY_LAZY = {'empty.pl.csv:polars-lazy', 'empty.pl.tsv:polars-lazy', 'empty.pl.ndjson:polars-lazy'}


@pytest.fixture(scope='module')
def corpus(upstream_python: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict, dict]:
    root = tmp_path_factory.mktemp('bad_cache')
    write = f'import compat_bad_cache as c; c.write_valid({str(root)!r}); c.corrupt({str(root)!r}); print("{{}}")'
    run_python_json(upstream_python, write, cwd=root)
    load = f'import json, compat_bad_cache as c; print(json.dumps(c.load_all({str(root)!r})))'
    theirs = run_python_json(upstream_python, load, cwd=root)
    ours = run_python_json(sys.executable, load, cwd=root)
    return root, theirs, ours


def test_every_supported_extension_is_covered():
    from gokart.file_processor import _DataFrameProcessor, _factories

    factories = _factories(True, 'pandas')
    # Formats gokart 1.12.2 does not have are not compared here (.msgpack: tests/core/targets/test_target_msgpack.py).
    assert {f'.{ext}' for ext in compat_bad_cache.PANDAS_EXTENSIONS} == set(factories) - {'.msgpack'}
    with_polars = {ext for ext, make in factories.items() if isinstance(make(), _DataFrameProcessor)}
    assert {f'.{ext}' for ext in compat_bad_cache.POLARS_EXTENSIONS} == with_polars


@pytest.mark.parametrize('key', compat_bad_cache.load_keys())
def test_bad_cache_raises_what_1_12_2_raised(corpus, key):
    _, theirs, ours = corpus
    expected, got = theirs[key], ours[key]
    if key.startswith('valid.'):
        assert 'ok' in expected, f'harness: 1.12.2 could not load its own {key}: {expected}'
    if key in EMPTY_LAZY:
        assert 'mro' in expected and got.get('head') == 'polars []', (expected, got)
        return
    if 'ok' in expected:
        assert got.get('ok') == expected['ok'], f'1.12.2 loaded {expected["head"]!r}, ours: {got}'
        return
    raised = expected['mro'][0]
    assert 'mro' in got, f'1.12.2 raised {raised} ({expected["message"]}); ours loaded {got["head"]!r}'
    assert raised in got['mro'], f'1.12.2 raised {raised}; ours {got["mro"][0]}: {got["message"]}'
    assert got['names_path'], f'the message does not name the file: {got["message"]}'
