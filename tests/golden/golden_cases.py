"""Registry of golden cases and the one function that records a task's identity.

Imported by scripts/gen_golden.py under gokart 1.12.2 and by tests/compat/test_golden_ids.py under ours, so
both sides compute the recorded values with exactly the same code. Only gokart, luigi and the stdlib.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from luigi.task_register import Register

from gokart.conflict_prevention_lock.task_lock import make_task_lock_params_for_run

# Order matters only for readability; every module registers its cases in CASES.
DEF_MODULES = (
    'defs_examples',
    'defs_params',
    'defs_gokart_params',
    'defs_visibility',
    'defs_inherit',
    'defs_namespaces',
    'defs_deps',
    'defs_task_params',
    'defs_source',
    'defs_builtin',
    'goldpkg.tasks',
)

Factory = Callable[[], Any]


def load_cases() -> dict[str, Factory]:
    """Import every definition module once and merge their CASES (a name maps to a zero-argument factory)."""
    cases: dict[str, Factory] = {}
    for name in DEF_MODULES:
        module = importlib.import_module(name)
        for case, factory in module.CASES.items():
            if case in cases:
                raise ValueError(f'duplicate golden case {case!r} in {name}')
            cases[case] = factory
    return cases


def _save(obj: Any, path: str) -> None:  # model targets need callables; only their paths are recorded
    raise NotImplementedError


def _load(path: str) -> Any:
    raise NotImplementedError


def _raised(exc: BaseException) -> dict[str, str]:
    return {'raises': f'{type(exc).__name__}: {exc}'}


def record(factory: Factory) -> dict[str, Any]:
    """Build the task in a fresh instance cache and record every identity-bearing value.

    A failing step is recorded as {'raises': 'Type: message'} so error behaviour is pinned too.
    """
    Register.clear_instance_cache()
    task = factory()
    steps: dict[str, Callable[[], Any]] = {
        'unique_id': task.make_unique_id,
        'str': lambda: str(task),
        'repr': lambda: repr(task),
        'task_id': lambda: task.task_id,
        'task_family': task.get_task_family,
        'output_path': lambda: task.output().path(),
        # lists of pairs keep the parameter order, which feeds the id
        'str_params_significant': lambda: [list(kv) for kv in task.to_str_params(only_significant=True).items()],
        'str_params_all': lambda: [list(kv) for kv in task.to_str_params().items()],
        'csv_target_path': lambda: task.make_target('x/y.csv').path(),
        'tar_gz_target_path': lambda: task.make_target('multi/q.tar.gz').path(),
        'no_id_target_path': lambda: task.make_target('x/y.csv', use_unique_id=False).path(),
        'model_target_path': lambda: task.make_model_target('m/model.zip', _save, _load).path(),
        'large_df_target_path': lambda: task.make_large_data_frame_target().path(),
        'info': lambda: [list(kv) for kv in task.get_info().items()],
        'info_significant': lambda: [list(kv) for kv in task.get_info(only_significant=True).items()],
        'run_lock_params': lambda: list(make_task_lock_params_for_run(task)),  # redis keys are identity too
    }
    out: dict[str, Any] = {}
    for key, step in steps.items():
        try:
            out[key] = step()
        except Exception as exc:  # noqa: BLE001 - the failure itself is the recorded value
            out[key] = _raised(exc)
    return out
