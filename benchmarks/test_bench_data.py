"""The data-format workloads of `data/workloads_*.py` (compared with gokart 1.12.2 by `compare_data.py`),
at their quick sizes, through pytest-benchmark: `make bench-smoke` runs each once so none rots."""

from __future__ import annotations

import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), 'data'))

from run_data import registry  # noqa: E402

CASES = [(name, size) for name, workload in registry().items() for size in workload.quick]


@pytest.mark.benchmark(group='data formats')
@pytest.mark.parametrize(('name', 'size'), CASES, ids=[f'{n}-{s}' for n, s in CASES])
def test_data_workload(benchmark, tmp_path, monkeypatch, name: str, size: int) -> None:
    monkeypatch.chdir(tmp_path)
    workload = registry()[name]
    workload.prepare(size, str(tmp_path))
    value = workload.make_input(size, str(tmp_path))
    benchmark.pedantic(workload.measure, args=(value, str(tmp_path)), rounds=1, iterations=1)
    assert os.listdir(tmp_path), f'{name} left nothing in its workspace'
