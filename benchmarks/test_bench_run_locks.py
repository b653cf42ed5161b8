"""Redis run locks: builds of one DAG by 1, 2 and 4 processes sharing a workspace (run_lock_throughput.py).

With benchmarks disabled (the default) each count runs once on a 15-task DAG, so the scenario cannot rot;
`python benchmarks/run_lock_throughput.py` gives the tasks/s of the full-size scenario.
"""

from __future__ import annotations

import pytest
import run_lock_throughput as rlt

SMOKE_SIZE = 15


@pytest.mark.benchmark(group='run-locks')
@pytest.mark.parametrize('processes', [1, 2, 4])
def test_run_lock_throughput(benchmark, request, redis_server, processes):
    enabled = not request.config.getoption('benchmark_disable', True)
    size = 200 if enabled else SMOKE_SIZE
    host, port = redis_server
    seconds = benchmark.pedantic(
        rlt.one_round, args=(host, port, size, processes, 0.01), rounds=3 if enabled else 1, iterations=1
    )
    benchmark.extra_info['tasks_per_second'] = round(size / seconds, 1)
