"""Our gokart reproduces gokart 1.12.2's identities (ids, str/repr, task_id, paths) for every golden case.

The vectors come from scripts/gen_golden.py under the real gokart 1.12.2; here the same definition modules
are imported under our gokart. They are imported once at collection time, before the luigi isolation
fixture snapshots the registry, so the module-level classes stay registered for every test.
"""

from __future__ import annotations

import json
import sys
import traceback
import warnings
from pathlib import Path
from pprint import pformat

import pytest

GOLDEN_DIR = Path(__file__).resolve().parent.parent / 'golden'
VECTORS = json.loads((GOLDEN_DIR / 'vectors.json').read_text(encoding='utf-8'))['cases']

sys.path.insert(0, str(GOLDEN_DIR))
try:
    import golden_cases

    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        CASES = golden_cases.load_cases()
    LOAD_ERROR = None
except Exception:  # noqa: BLE001 - reported per test below instead of one collection error
    CASES, LOAD_ERROR = {}, traceback.format_exc()


def _require_cases() -> None:
    if LOAD_ERROR is not None:
        pytest.fail(f'the golden definition modules do not import under our gokart:\n{LOAD_ERROR}', pytrace=False)


@pytest.mark.parametrize('case', sorted(VECTORS))
def test_golden_case(case: str) -> None:
    _require_cases()
    assert case in CASES, f'{case} is in vectors.json but no longer defined; run `make golden`'
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        actual = golden_cases.record(CASES[case])
    expected = VECTORS[case]
    mismatches = {
        field: {'ours': actual.get(field), 'gokart 1.12.2': value}
        for field, value in expected.items()
        if actual.get(field) != value
    }
    assert not mismatches, f'{case}:\n{pformat(mismatches, width=120)}'


def test_every_defined_case_has_a_vector() -> None:
    _require_cases()
    missing = sorted(set(CASES) - set(VECTORS))
    assert not missing, f'cases without vectors (run `make golden`): {missing}'


def test_vectors_hold_the_spec_worked_examples() -> None:
    """The committed file agrees with SPEC §4.4, whatever our implementation does."""
    from spec_ids import SPEC_IDS as spec_ids

    assert len(spec_ids) >= 20
    assert {case: VECTORS[case]['unique_id'] for case in spec_ids} == spec_ids
    assert VECTORS['e1_example']['output_path'] == './resources/__main__/Example_8441c59b5ce0113396d53509f19371fb.pkl'
    assert VECTORS['e2_all_kinds']['task_id'] == 'ns.MyTask_1_x_1_5_fae0252bc4'
    assert VECTORS['pkg_demo_double']['output_path'].startswith('./resources/demo/double_')


def test_enough_distinct_task_definitions() -> None:
    families = {vector['task_family'] for vector in VECTORS.values()}
    assert len(VECTORS) >= 60
    assert len(families) >= 60, sorted(families)
