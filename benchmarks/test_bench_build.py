"""End-to-end build benchmarks of our gokart (pytest-benchmark; disabled by default, `make bench` runs them).

With benchmarks disabled (the default `pytest` run) every case runs once at a smoke size, so the file
cannot rot; with `--benchmark-enable` the sizes are those of issue 5. Ratios against gokart 1.12.2 come
from `benchmarks/compare.py`, which runs the same workloads (benchmarks/workloads/) on both.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
WORKLOADS = os.path.join(HERE, 'workloads')
sys.path.insert(0, WORKLOADS)

import bench_tasks as bt  # noqa: E402
import plain_pipeline  # noqa: E402
from luigi.task_register import Register  # noqa: E402

import gokart  # noqa: E402

SMOKE_SIZE = 30


@pytest.fixture
def size(request):
    """The parametrized size when benchmarking, a small one for the smoke run."""
    enabled = not request.config.getoption('benchmark_disable', True)
    return request.param if enabled else min(request.param, SMOKE_SIZE)


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Register.clear_instance_cache()
    yield tmp_path
    Register.clear_instance_cache()
    logging.disable(logging.NOTSET)


def _fresh_dir(workspace, counter=[0]):  # noqa: B006 - a per-session counter
    counter[0] += 1
    path = workspace / f'round{counter[0]}'
    path.mkdir()
    os.chdir(path)
    Register.clear_instance_cache()


def _build(root) -> None:
    gokart.build(root, reset_register=False, return_value=False)


ROOTS = {'fan': lambda n: bt.FanRoot(n=n), 'dag': lambda n: bt.DagRoot(n=n)}


@pytest.mark.benchmark(group='construct')
@pytest.mark.parametrize('size', [10_000], indirect=True)
def test_construct_and_ids(benchmark, workspace, size):
    def construct():
        Register.clear_instance_cache()
        tasks = [bt.Leaf(i=i) for i in range(size)]
        return [t.make_unique_id() for t in tasks]

    ids = benchmark.pedantic(construct, rounds=3, iterations=1)
    assert len(set(ids)) == size


@pytest.mark.benchmark(group='build-cold')
@pytest.mark.parametrize('kind', ['fan', 'dag'])
@pytest.mark.parametrize('size', [1_000, 3_000, 10_000], indirect=True)
def test_cold_build(benchmark, workspace, kind, size):
    root_of = ROOTS[kind]
    benchmark.pedantic(lambda: _build(root_of(size)), setup=lambda: _fresh_dir(workspace), rounds=1, iterations=1)
    assert root_of(size).complete()


@pytest.mark.benchmark(group='build-cold')
@pytest.mark.parametrize('size', [300, 3_000], indirect=True)
def test_plain_python_floor(benchmark, workspace, size):
    """What `dag` costs as the least Python can do it (workloads/plain_pipeline.py): the same files as our build."""
    ran = benchmark.pedantic(
        lambda: plain_pipeline.build(size, os.getcwd()), setup=lambda: _fresh_dir(workspace), rounds=1, iterations=1
    )
    plain_files = sum(len(names) for _, _, names in os.walk(os.getcwd()))
    _fresh_dir(workspace)
    _build(bt.DagRoot(n=size))
    assert ran == size + 1
    assert plain_files == sum(len(names) for _, _, names in os.walk(os.getcwd()))


@pytest.mark.benchmark(group='build-warm')
@pytest.mark.parametrize('kind', ['fan', 'dag'])
@pytest.mark.parametrize('size', [1_000, 3_000, 10_000], indirect=True)
def test_warm_build(benchmark, workspace, kind, size):
    root_of = ROOTS[kind]
    _build(root_of(size))
    # a new process would start with an empty instance cache: so does every round
    benchmark.pedantic(lambda: _build(root_of(size)), setup=Register.clear_instance_cache, rounds=3, iterations=1)


@pytest.mark.benchmark(group='chains')
@pytest.mark.parametrize('size', [100, 300, 10_000], indirect=True)
def test_requires_chain_build(benchmark, workspace, size):
    benchmark.pedantic(
        lambda: _build(bt.ChainLink(k=size - 1)), setup=lambda: _fresh_dir(workspace), rounds=1, iterations=1
    )


@pytest.mark.benchmark(group='chains')
@pytest.mark.parametrize('size', [100, 300, 10_000], indirect=True)
def test_task_instance_parameter_chain_construct(benchmark, workspace, size):
    def construct():
        Register.clear_instance_cache()
        return bt.tip_chain(size).make_unique_id()

    benchmark.pedantic(construct, rounds=1, iterations=1)


@pytest.mark.benchmark(group='chains')
@pytest.mark.parametrize('size', [100, 300, 10_000], indirect=True)
def test_task_instance_parameter_chain_build(benchmark, workspace, size):
    benchmark.pedantic(lambda: _build(bt.tip_chain(size)), setup=lambda: _fresh_dir(workspace), rounds=1, iterations=1)


@pytest.mark.benchmark(group='memory')
@pytest.mark.parametrize('size', [100_000], indirect=True)
def test_warm_build_peak_memory(benchmark, workspace, size):
    """Peak RSS of a warm build in a fresh process (the cache is filled first, untimed)."""

    def run(name):
        env = dict(os.environ, PYTHONPATH=WORKLOADS)
        cmd = [sys.executable, os.path.join(WORKLOADS, 'run_workload.py'), name, str(size)]
        out = subprocess.run(cmd, cwd=workspace, env=env, capture_output=True, text=True, check=True).stdout
        return json.loads(out.strip().splitlines()[-1])

    assert run('fan_cold')['error'] is None
    result = benchmark.pedantic(lambda: run('fan_warm'), rounds=1, iterations=1)
    assert result['error'] is None
    benchmark.extra_info['peak_rss_mb'] = result['peak_rss_mb']
    assert result['peak_rss_mb'] < 1024
