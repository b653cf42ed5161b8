"""The `.parquet` and `.npz` files of both implementations, compared as files (the loads are compared in
test_cache_roundtrip.py): ours are zstd parquet (gokart 1.12.2: gzip, docs/compat.md Q27) of about the same
size, and `.npz` members hold the same bytes, deflated faster."""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import pyarrow.parquet as pa_parquet
import pytest

from ._upstream import COMPAT_DIR, run_python_json

sys.path.insert(0, str(COMPAT_DIR))
import compat_data  # noqa: E402

pytestmark = pytest.mark.upstream

NAMES = ['parquet_mixed', 'parquet_gzip_given', 'npz_blocks', 'npz_fortran', 'npz_structured', 'npz_empty']


@pytest.fixture(scope='module')
def roots(upstream_python: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    upstream, ours = tmp_path_factory.mktemp('upstream'), tmp_path_factory.mktemp('ours')
    code = (
        'import json, compat_data\n'
        f'print(json.dumps({{n: compat_data.dump_one(n, {str(upstream)!r}, reference=False) for n in {NAMES!r}}}))'
    )
    assert run_python_json(upstream_python, code, cwd=upstream) == dict.fromkeys(NAMES, 'ok')
    assert {name: compat_data.dump_one(name, str(ours), reference=False) for name in NAMES} == dict.fromkeys(
        NAMES, 'ok'
    )
    return upstream, ours


def codecs(path: Path) -> set[str]:
    meta = pa_parquet.ParquetFile(path).metadata
    return {
        meta.row_group(g).column(c).compression for g in range(meta.num_row_groups) for c in range(meta.num_columns)
    }


def test_default_parquet_is_zstd_where_upstream_writes_gzip(roots):
    upstream, ours = roots
    path = compat_data.CASES['parquet_mixed'].path
    assert codecs(upstream / path) == {'GZIP'}
    assert codecs(ours / path) == {'ZSTD'}
    assert (ours / path).stat().st_size < 1.25 * (upstream / path).stat().st_size
    assert pa_parquet.read_schema(ours / path).equals(pa_parquet.read_schema(upstream / path), check_metadata=False)


def test_a_given_codec_is_written_by_both(roots):
    upstream, ours = roots
    path = compat_data.CASES['parquet_gzip_given'].path
    assert codecs(upstream / path) == codecs(ours / path) == {'GZIP'}


@pytest.mark.parametrize('name', [name for name in NAMES if name.startswith('npz')])
def test_npz_members_hold_the_bytes_upstream_stores(roots, name):
    upstream, ours = roots
    path = compat_data.CASES[name].path
    with zipfile.ZipFile(upstream / path) as theirs, zipfile.ZipFile(ours / path) as mine:
        assert mine.namelist() == theirs.namelist() == ['data.npy']
        assert mine.testzip() is None
        assert mine.read('data.npy') == theirs.read('data.npy')
        assert mine.getinfo('data.npy').compress_type == zipfile.ZIP_DEFLATED
