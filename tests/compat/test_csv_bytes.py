"""Our .csv/.tsv dumps are byte for byte what gokart 1.12.2 writes, for frames the fast writer handles and for
one it leaves to pandas."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from ._upstream import COMPAT_DIR, run_python_json

sys.path.insert(0, str(COMPAT_DIR))
import compat_csv  # noqa: E402

from gokart.file_processor._csv_fast import columns_for_csv  # noqa: E402

pytestmark = pytest.mark.upstream

FILES = sorted(f'{name}{extension}' for name in compat_csv.FRAMES for extension in ('.csv', '.tsv'))


@pytest.fixture(scope='module')
def written(upstream_python: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    theirs = tmp_path_factory.mktemp('csv_by_upstream')
    run_python_json(
        upstream_python, f'import json, compat_csv; print(json.dumps(compat_csv.dump_all({str(theirs)!r})))', cwd=theirs
    )
    ours = tmp_path_factory.mktemp('csv_by_ours')
    compat_csv.dump_all(str(ours))
    return theirs, ours


@pytest.mark.parametrize('file', FILES)
def test_same_bytes_as_gokart_1_12_2(written: tuple[Path, Path], file: str) -> None:
    theirs, ours = written
    assert (ours / file).read_bytes() == (theirs / file).read_bytes()


@pytest.mark.parametrize('name', sorted(compat_csv.FRAMES))
def test_the_fast_writer_wrote_them(name: str) -> None:
    fast = columns_for_csv(compat_csv.FRAMES[name](), ',') is not None
    assert fast is (name not in compat_csv.FALLBACK)
