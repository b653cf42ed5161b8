"""Cold DAG builds on a Dask LocalCluster of two worker processes beside the local engine with two workers.

The smoke run (benchmarks disabled) builds a small DAG on each; `benchmarks/compare_distributed.py` adds
luigid with two `gokart run` workers and reports tasks/s side by side (docs/distributed.md).
"""

from __future__ import annotations

import os
import sys

import luigi.configuration
import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, 'workloads'))

import bench_tasks as bt  # noqa: E402
from luigi.task_register import Register  # noqa: E402

import gokart  # noqa: E402

SMOKE_SIZE = 30


@pytest.fixture
def size(request):
    enabled = not request.config.getoption('benchmark_disable', True)
    return request.param if enabled else min(request.param, SMOKE_SIZE)


@pytest.fixture(scope='module')
def client():
    distributed = pytest.importorskip('distributed') if not os.environ.get('CI') else __import__('distributed')
    with (
        distributed.LocalCluster(
            n_workers=2, processes=True, threads_per_worker=1, host='127.0.0.1', dashboard_address=':0'
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        client.wait_for_workers(2)
        yield client


def _fresh_workspace(tmp_path, counter=[0]):  # noqa: B006 - a per-session counter
    """An absolute workspace for every task (the Dask workers do not share the test's cwd)."""
    counter[0] += 1
    luigi.configuration.get_config().set('TaskOnKart', 'workspace_directory', str(tmp_path / f'round{counter[0]}'))
    Register.clear_instance_cache()


@pytest.mark.benchmark(group='distributed')
@pytest.mark.parametrize('executor', ['dask', 'local'])
@pytest.mark.parametrize('size', [1_000, 10_000], indirect=True)
def test_cold_dag(benchmark, tmp_path, client, executor, size):
    kwargs = {'executor': client} if executor == 'dask' else {'workers': 2}

    def build():
        gokart.build(bt.DagRoot(n=size), return_value=False, reset_register=False, **kwargs)

    benchmark.pedantic(build, setup=lambda: _fresh_workspace(tmp_path), rounds=1, iterations=1)
    assert bt.DagRoot(n=size).complete()
