"""The picture of a graph (gokart.visualize, `gokart tree --format svg`): layout and SVG of a few hundred tasks.

The layout is layered (longest path), with virtual points for long edges and barycentre sweeps; this
measures it on random DAGs of the size a notebook shows, without tasks (the drawing alone), and with tasks
(visualize() walks the graph and calls complete() too). Smoke runs (benchmarks disabled) use a small size.
"""

from __future__ import annotations

import random

import luigi
import pytest

import gokart
from gokart._notebook._svg import SvgNode, render_svg

SMOKE_SIZE = 30


@pytest.fixture
def size(request):
    # --benchmark-enable overrides the --benchmark-disable of the pytest configuration (addopts)
    config = request.config
    enabled = config.getoption('benchmark_enable', False) or not config.getoption('benchmark_disable', True)
    return request.param if enabled else min(request.param, SMOKE_SIZE)


def random_dag(n: int, seed: int = 5) -> tuple[list[SvgNode], list[tuple[str, str]]]:
    """A pipeline-like DAG: each node takes 1-3 inputs from the 30 nodes before it."""
    rng = random.Random(seed)
    nodes = [SvgNode(f't{i}', [f'Task{i % 17}', f'{rng.getrandbits(32):08x}', 'to run']) for i in range(n)]
    edges = [
        (f't{j}', f't{i}') for i in range(1, n) for j in rng.sample(range(max(0, i - 30), i), min(i, rng.randint(1, 3)))
    ]
    return nodes, edges


@pytest.mark.benchmark(group='visualize')
@pytest.mark.parametrize('size', [300, 1000], indirect=True)
def test_render_svg(benchmark, size):
    nodes, edges = random_dag(size)
    svg = benchmark(render_svg, nodes, edges, 'bench')
    assert svg.count('<g class="node"') == size


class Step(gokart.TaskOnKart):
    i = luigi.IntParameter()

    def requires(self):
        return [Step(i=j) for j in range(max(0, self.i - 3), self.i)]


@pytest.mark.benchmark(group='visualize')
@pytest.mark.parametrize('size', [300], indirect=True)
def test_visualize_tasks(benchmark, size, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    picture = benchmark(lambda: gokart.visualize(Step(i=size - 1)).svg())
    assert picture.count('<g class="node"') == size
