"""Deterministic inputs for the benchmarks (no randomness: runs compare like with like)."""

from __future__ import annotations


def task_deps(n_params: int = 20) -> list:
    """A gokart deps list: three dependency ids, a 20-parameter dict, the class name."""
    params = {f'param_{i:02d}': f'value-{i}-' + 'x' * (i % 7) for i in range(n_params)}
    params['features'] = '["age", "income", "region", "score"]'
    return [f'{i:032x}' for i in range(3)] + [params, 'TrainModel']


def list_param() -> list:
    return ['age', 'income', 'region', 'score', 1, 2.5, [3, 4], None, True]


def dict_param() -> dict:
    return {
        'model': 'lgbm',
        'params': {'num_leaves': 31, 'learning_rate': 0.05, 'metric': ['auc', 'logloss']},
        'name': 'caf\u00e9',
        'seed': 42,
    }


def blob(size: int) -> bytes:
    return bytes(range(256)) * (size // 256) + bytes(size % 256)


def plain_dict(n: int = 1_000_000) -> dict:
    """n entries of plain values: ints, floats and strings in turn."""
    return {f'key_{i}': (i if i % 3 == 0 else i * 0.5 if i % 3 == 1 else f'value_{i}') for i in range(n)}
