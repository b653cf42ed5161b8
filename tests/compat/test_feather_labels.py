"""Feather and non-string column labels: the same frame back, index included, or a dump-time error naming the file.

Differential (compat_feather, both interpreters): gokart 1.12.2 returned the labels as strings (ints,
floats, mixed), or failed to load its own file (tuples), when storing the index. Ours round-trips every
label Arrow can give back and refuses the rest at dump time; it loads 1.12.2's files as 1.12.2 does where
1.12.2 could, and correctly where 1.12.2 could not; 1.12.2 reading our files either gets the same frame
or raises, never other data. Frames with string labels write the same bytes as 1.12.2.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from ._upstream import COMPAT_DIR, run_python_json

sys.path.insert(0, str(COMPAT_DIR))
import compat_feather  # noqa: E402

pytestmark = pytest.mark.upstream

# Arrow stringifies labels of mixed types, and gives [True, False] back as [True, True] (pyarrow 26)
REFUSED = {'mixed-index', 'mixed-noindex', 'bool-index', 'bool-noindex'}
STRING_LABELS = {'str-index', 'str-noindex', 'str_range_index-index', 'str_range_index-noindex'}


def _dump(python: str, root: Path) -> dict:
    root.mkdir()
    return run_python_json(
        python, f'import json, compat_feather as c; print(json.dumps(c.dump_all({str(root)!r})))', cwd=root
    )


def _load(python: str, root: Path) -> dict:
    return run_python_json(
        python, f'import json, compat_feather as c; print(json.dumps(c.load_all({str(root)!r})))', cwd=root
    )


@pytest.fixture(scope='module')
def results(upstream_python: str, tmp_path_factory: pytest.TempPathFactory) -> dict:
    base = tmp_path_factory.mktemp('feather')
    up_root, our_root = base / 'written_by_upstream', base / 'written_by_ours'
    return {
        'up_root': up_root,
        'our_root': our_root,
        'up_dumped': _dump(upstream_python, up_root),
        'our_dumped': _dump(sys.executable, our_root),
        'up_loads_up': _load(upstream_python, up_root),
        'ours_loads_up': _load(sys.executable, up_root),
        'up_loads_ours': _load(upstream_python, our_root),
        'ours_loads_ours': _load(sys.executable, our_root),
    }


@pytest.mark.parametrize('case', compat_feather.CASES)
def test_ours_round_trips_or_refuses_at_dump(results, case):
    dumped, loaded = results['our_dumped'][case], results['ours_loads_ours'].get(case)
    if case in REFUSED:
        assert dumped[0] == 'ValueError' and dumped[2], f'expected a dump error naming the file: {dumped}'
        assert loaded is None  # nothing was written
    else:
        assert dumped == 'ok'
        assert loaded == 'equal'


@pytest.mark.parametrize('case', compat_feather.CASES)
def test_ours_loads_1_12_2_files_as_1_12_2_or_better(results, case):
    assert results['up_dumped'][case] == 'ok'  # 1.12.2 dumped everything, mixed labels too
    theirs, ours = results['up_loads_up'][case], results['ours_loads_up'][case]
    if theirs == 'equal' or case == 'tuple-index':
        # 1.12.2 could not load its own tuple-label files with an index column (AttributeError); ours can
        assert ours == 'equal', ours
    elif case == 'tuple_with_ints-index':
        # 1.12.2 raised too; its file holds ('b', '2') for ('b', 2). Ours restores the index, no extra column.
        assert ours[0] == 'different' and '__feather_gokart_index__' not in ours[1] and ours[2] == '[0, 1, 2]'
    else:
        assert ours == theirs  # e.g. int labels came back as strings from 1.12.2's file: the file lost them


def test_what_1_12_2_did(results):
    # the record behind docs/compat.md: labels silently stringified, or its own file failing to load
    up = results['up_loads_up']
    assert up['int-index'][0] == 'different' and up['float-index'][0] == 'different'
    assert up['mixed-index'][0] == 'different' and up['mixed-noindex'][0] == 'different'
    assert up['tuple-index'][:2] == ['raised', 'AttributeError']
    assert up['bool-noindex'][0] == 'different'  # [True, False] came back as [True, True]


@pytest.mark.parametrize('case', sorted(set(compat_feather.CASES) - REFUSED))
def test_1_12_2_reading_our_files_never_gets_other_data(results, case):
    theirs = results['up_loads_ours'][case]
    assert theirs == 'equal' or theirs[0] == 'raised', theirs


@pytest.mark.parametrize('case', sorted(STRING_LABELS))
def test_string_labels_write_the_same_bytes_as_1_12_2(results, case):
    ours = compat_feather.path(str(results['our_root']), case)
    theirs = compat_feather.path(str(results['up_root']), case)
    assert Path(ours).read_bytes() == Path(theirs).read_bytes()
