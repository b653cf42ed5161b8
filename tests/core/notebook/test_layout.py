"""The layered layout behind gokart.visualize(): edges point right, boxes never overlap, crossings are undone."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from gokart._notebook import _layout, _svg
from gokart._notebook._layout import layout


def _boxes(keys, edges, size=(80.0, 40.0)):
    sizes = dict.fromkeys(keys, size)
    return layout(keys, edges, sizes, margin=10.0), sizes


def test_edges_point_right_and_boxes_do_not_overlap():
    keys = [f'n{i}' for i in range(40)]
    edges = [(f'n{j}', f'n{i}') for i in range(1, 40) for j in {i - 1, i // 2, max(0, i - 7)} if j != i]
    placed, sizes = _boxes(keys, edges)
    for a, b in edges:
        assert placed.x[a] + sizes[a][0] < placed.x[b]
    by_column: dict[float, list[str]] = {}
    for k in keys:
        by_column.setdefault(placed.x[k], []).append(k)
    for column in by_column.values():
        tops = sorted((placed.y[k], k) for k in column)
        for (y1, k1), (y2, _) in zip(tops, tops[1:], strict=False):
            assert y1 + sizes[k1][1] <= y2
    assert all(0 <= placed.y[k] and placed.y[k] + 40 <= placed.height for k in keys)


def test_barycentre_sweeps_remove_avoidable_crossings():
    # two chains listed so that the first ordering crosses every edge between layers 1 and 2
    keys = ['a0', 'b0', 'b1', 'a1', 'a2', 'b2']
    edges = [('a0', 'a1'), ('b0', 'b1'), ('a1', 'a2'), ('b1', 'b2')]
    placed, _ = _boxes(keys, edges)
    assert placed.crossings == 0
    assert (placed.y['a1'] < placed.y['b1']) == (placed.y['a0'] < placed.y['b0']) == (placed.y['a2'] < placed.y['b2'])


def test_long_edges_bend_through_one_point_per_column_crossed():
    keys = ['s', 'm1', 'm2', 't']
    edges = [('s', 'm1'), ('m1', 'm2'), ('m2', 't'), ('s', 't')]
    placed, _ = _boxes(keys, edges)
    (route,) = [via for a, b, via in placed.routes if (a, b) == ('s', 't')]
    assert len(route) == 2
    assert placed.x['s'] < route[0][0] < route[1][0] < placed.x['t']


def test_a_cycle_does_not_hang():
    placed, _ = _boxes(['a', 'b'], [('a', 'b'), ('b', 'a')])
    assert set(placed.x) >= {'a', 'b'}


def test_the_drawing_uses_the_standard_library_only():
    for module in (_layout, _svg):
        tree = ast.parse(Path(module.__file__).read_text())
        imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
        imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.level == 0}
        tops = {name.split('.')[0] for name in imported}
        assert tops <= sys.stdlib_module_names | {'__future__', 'gokart'}, module.__name__
        assert {name for name in imported if name.startswith('gokart')} <= {'gokart._notebook._layout'}
