"""Files written by gokart 1.12.2 load in ours, and files written by ours load in gokart 1.12.2.

gokart 1.12.2's load of its own file is the oracle: (a) it writes every case of compat_data.CASES and pickles
what it loads back; ours must load the same value from those files. (b) ours writes the same cases and a
second upstream process loads them and compares with the oracle. Two subprocesses serve all cases.
"""

from __future__ import annotations

import pickle
import sys
import warnings
from pathlib import Path

import pytest

from ._upstream import COMPAT_DIR, run_python_json

# Top-level import under the same name the upstream subprocess uses, so pickled classes resolve to one module.
sys.path.insert(0, str(COMPAT_DIR))
import compat_data  # noqa: E402

pytestmark = pytest.mark.upstream

NAMES = sorted(compat_data.CASES)
BYTE_IDENTICAL = sorted(name for name, case in compat_data.CASES.items() if case.byte_identical)


@pytest.fixture(scope='module')
def upstream_root(upstream_python: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    root = tmp_path_factory.mktemp('written_by_upstream')
    code = f'import json, compat_data; print(json.dumps(compat_data.dump_all({str(root)!r}, reference=True)))'
    return root, run_python_json(upstream_python, code, cwd=root)


@pytest.fixture(scope='module')
def ours_root(
    upstream_python: str, upstream_root: tuple[Path, dict[str, str]], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, dict[str, str], dict[str, str]]:
    """Ours writes every case; one upstream process then checks them all against its oracle loads."""
    root = tmp_path_factory.mktemp('written_by_ours')
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        written = compat_data.dump_all(str(root), reference=False)
    code = (
        f'import json, compat_data; print(json.dumps(compat_data.check_all({str(root)!r}, {str(upstream_root[0])!r})))'
    )
    checked = run_python_json(upstream_python, code, cwd=root)
    return root, written, checked


def _upstream_wrote(upstream_root: tuple[Path, dict[str, str]], name: str) -> Path:
    root, report = upstream_root
    assert report[name] == 'ok', f'harness problem: gokart 1.12.2 could not write {name}:\n{report[name]}'
    return root


@pytest.mark.parametrize('name', NAMES)
def test_ours_loads_what_upstream_wrote(name: str, upstream_root: tuple[Path, dict[str, str]]) -> None:
    root = _upstream_wrote(upstream_root, name)
    case = compat_data.CASES[name]
    loaded = compat_data.normalise(name, compat_data.target(case, str(root)).load())
    with open(compat_data.reference_file(str(root), name), 'rb') as f:
        compat_data.assert_same(loaded, pickle.load(f), f'{name}: ours vs gokart 1.12.2 loading the same file')
    if case.exact:
        compat_data.assert_same(loaded, compat_data.normalise(name, case.make()), f'{name}: ours vs the dumped object')


@pytest.mark.parametrize('name', NAMES)
def test_upstream_loads_what_ours_wrote(name: str, upstream_root, ours_root) -> None:
    _upstream_wrote(upstream_root, name)
    _, written, checked = ours_root
    assert written[name] == 'ok', f'ours could not write {name}:\n{written[name]}'
    assert checked[name] == 'ok', f'gokart 1.12.2 loading our {name}:\n{checked[name]}'


@pytest.mark.parametrize('name', BYTE_IDENTICAL)
def test_text_and_raw_formats_are_byte_identical(name: str, upstream_root, ours_root) -> None:
    root = _upstream_wrote(upstream_root, name)
    ours, written, _ = ours_root
    assert written[name] == 'ok', f'ours could not write {name}:\n{written[name]}'
    relative = compat_data.CASES[name].path
    assert (ours / relative).read_bytes() == (root / relative).read_bytes()


def test_large_data_frame_zip_members(upstream_root, ours_root) -> None:
    """data_<i>.pkl chunks plus load_function.pkl, no model.pkl, same chunk count."""
    import zipfile

    root = _upstream_wrote(upstream_root, 'zip_large_data_frame')
    ours, written, _ = ours_root
    assert written['zip_large_data_frame'] == 'ok', written['zip_large_data_frame']
    relative = compat_data.CASES['zip_large_data_frame'].path
    names = [sorted(zipfile.ZipFile(base / relative).namelist()) for base in (root, ours)]
    assert names[0] == ['data_0.pkl', 'data_1.pkl', 'data_2.pkl', 'data_3.pkl', 'load_function.pkl']
    assert names[1] == names[0]
