"""Our gokart reproduces gokart 1.12.2's identities (ids, str/repr, task_id, paths) for every golden case.

The vectors come from scripts/gen_golden.py under the real gokart 1.12.2; here the same definition modules
are imported under our gokart and every case is recorded with the same golden_cases.record().
"""

from __future__ import annotations

import importlib.util
import json
import sys
import traceback
import warnings
from pathlib import Path
from pprint import pformat

import pytest
from luigi.task_register import Register

GOLDEN_DIR = Path(__file__).resolve().parent.parent / 'golden'
VECTORS = json.loads((GOLDEN_DIR / 'vectors.json').read_text(encoding='utf-8'))['cases']


@pytest.fixture(scope='module')
def golden():
    """Import the definition modules once for this module, and take their classes out of luigi's registry after.

    Module scope runs before the per-test isolation fixture snapshots the registry, so the classes stay
    registered for every test here; short names such as `A` or `Example` would otherwise make name lookups
    in later test modules ambiguous.
    """
    before = list(Register._reg)
    sys.path.insert(0, str(GOLDEN_DIR))
    try:
        import golden_cases

        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            cases = golden_cases.load_cases()
    except Exception:  # noqa: BLE001 - one readable failure per case instead of a traceback wall
        pytest.fail(
            f'the golden definition modules do not import under our gokart:\n{traceback.format_exc()}', pytrace=False
        )
    yield golden_cases, cases
    Register._reg = [cls for cls in Register._reg if cls in before]
    sys.path.remove(str(GOLDEN_DIR))


@pytest.mark.parametrize('case', sorted(VECTORS))
def test_golden_case(golden, case: str) -> None:
    golden_cases, cases = golden
    assert case in cases, f'{case} is in vectors.json but no longer defined; run `make golden`'
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        actual = golden_cases.record(cases[case])
    expected = VECTORS[case]
    mismatches = {
        field: {'ours': actual.get(field), 'gokart 1.12.2': value}
        for field, value in expected.items()
        if actual.get(field) != value
    }
    assert not mismatches, f'{case}:\n{pformat(mismatches, width=120)}'


def test_every_defined_case_has_a_vector(golden) -> None:
    missing = sorted(set(golden[1]) - set(VECTORS))
    assert not missing, f'cases without vectors (run `make golden`): {missing}'


def test_vectors_hold_the_spec_worked_examples() -> None:
    """The committed file holds gokart 1.12.2's worked-example ids (spec_ids.py), whatever ours does."""
    spec = importlib.util.spec_from_file_location('golden_spec_ids', GOLDEN_DIR / 'spec_ids.py')
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    spec_ids = module.SPEC_IDS

    assert len(spec_ids) >= 20
    assert {case: VECTORS[case]['unique_id'] for case in spec_ids} == spec_ids
    assert VECTORS['e1_example']['output_path'] == './resources/__main__/Example_8441c59b5ce0113396d53509f19371fb.pkl'
    assert VECTORS['e2_all_kinds']['task_id'] == 'ns.MyTask_1_x_1_5_fae0252bc4'
    assert VECTORS['pkg_demo_double']['output_path'].startswith('./resources/demo/double_')


def test_enough_distinct_task_definitions() -> None:
    families = {vector['task_family'] for vector in VECTORS.values()}
    assert len(VECTORS) >= 60
    assert len(families) >= 60, sorted(families)
