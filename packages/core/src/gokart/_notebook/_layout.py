"""A layered (Sugiyama-style) layout of a DAG, left to right, standard library only.

1. Layers: a node's layer is the length of the longest path reaching it, so every edge points right.
2. Edges spanning several layers get one virtual point per layer crossed, so they bend around boxes.
3. Order within layers: barycentre sweeps (right, then left, a few times), keeping the best ordering by
   crossings of adjacent-layer edges counted exactly; this untangles pipeline-shaped graphs.
4. Vertical positions: stacked in order, then pulled towards the mean of their neighbours a few times
   without overlapping.
All steps are linear or near-linear in nodes plus edge segments, so a few hundred tasks take milliseconds.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Sequence
from dataclasses import dataclass, field

__all__ = ['Layout', 'layout']

_COL_GAP = 70.0
_ROW_GAP = 16.0
_SWEEPS = 8  # barycentre passes at most (each one way); two without fewer crossings end them
_PULLS = 4  # vertical relaxation passes


@dataclass
class Layout:
    x: dict[str, float]  # left edge of each node
    y: dict[str, float]  # top edge
    routes: list[tuple[str, str, list[tuple[float, float]]]]  # (from, to, virtual points between)
    width: float
    height: float
    crossings: int = field(default=0)


def _layers(keys: list[str], preds: dict[str, list[str]], succs: dict[str, list[str]]) -> dict[str, int]:
    indegree = {k: len(preds[k]) for k in keys}
    ready = [k for k in keys if indegree[k] == 0]
    order: list[str] = []
    i = 0
    while i < len(ready):
        k = ready[i]
        i += 1
        order.append(k)
        for s in succs[k]:
            indegree[s] -= 1
            if indegree[s] == 0:
                ready.append(s)
    placed = set(order)
    order += [k for k in keys if k not in placed]  # on a cycle (not expected): after the rest
    layer: dict[str, int] = {}
    for k in order:
        layer[k] = max((layer[p] + 1 for p in preds[k] if p in layer), default=0)
    return layer


def _crossings(upper: list[str], lower_pos: dict[str, int], down: dict[str, list[str]]) -> int:
    """Crossings between two adjacent layers: inversions of the edge endpoints, counted with a sorted list."""
    ends: list[int] = []
    for node in upper:
        ends.extend(sorted(lower_pos[t] for t in down[node]))
    seen: list[int] = []
    count = 0
    for end in ends:
        count += len(seen) - bisect_left(seen, end + 1)
        insort(seen, end)
    return count


def _total_crossings(rows: list[list[str]], down: dict[str, list[str]]) -> int:
    total = 0
    for upper, lower in zip(rows, rows[1:], strict=False):
        total += _crossings(upper, {k: i for i, k in enumerate(lower)}, down)
    return total


def _sweep(rows: list[list[str]], neighbours: dict[str, list[str]], reverse: bool) -> None:
    indices = range(len(rows) - 2, -1, -1) if reverse else range(1, len(rows))
    for r in indices:
        fixed = rows[r + 1] if reverse else rows[r - 1]
        pos = {k: i for i, k in enumerate(fixed)}
        row = rows[r]
        current = {k: i for i, k in enumerate(row)}
        keys = {}
        for k in row:
            near = [pos[n] for n in neighbours[k] if n in pos]
            keys[k] = sum(near) / len(near) if near else current[k]
        row.sort(key=keys.__getitem__)


def layout(
    keys: Sequence[str], edges: Sequence[tuple[str, str]], sizes: dict[str, tuple[float, float]], margin: float
) -> Layout:
    """Positions of boxes of `sizes` (width, height) for `keys`, edges (from, to) pointing right."""
    keys = list(keys)
    preds: dict[str, list[str]] = {k: [] for k in keys}
    succs: dict[str, list[str]] = {k: [] for k in keys}
    for a, b in edges:
        preds[b].append(a)
        succs[a].append(b)
    layer = _layers(keys, preds, succs)
    # the graph with virtual points: down = towards higher layers
    down: dict[str, list[str]] = {k: [] for k in keys}
    up: dict[str, list[str]] = {k: [] for k in keys}
    chains: list[tuple[str, str, list[str]]] = []
    rank_of = dict(layer)
    for n, (a, b) in enumerate(edges):
        chain = [f'\0{n}:{r}' for r in range(layer[a] + 1, layer[b])]
        for v, r in zip(chain, range(layer[a] + 1, layer[b]), strict=True):
            rank_of[v] = r
            down[v], up[v] = [], []
        path = [a, *chain, b]
        for s, t in zip(path, path[1:], strict=False):
            down[s].append(t)
            up[t].append(s)
        chains.append((a, b, chain))
    nrows = max(rank_of.values(), default=-1) + 1
    rows: list[list[str]] = [[] for _ in range(nrows)]
    for k in keys:  # real nodes first, in the given (discovery) order
        rows[rank_of[k]].append(k)
    for _, _, chain in chains:
        for v in chain:
            rows[rank_of[v]].append(v)

    best = [list(row) for row in rows]
    best_count = _total_crossings(rows, down)
    stale = 0  # sweeps since the last improvement
    for i in range(_SWEEPS):
        if best_count == 0 or stale == 2:
            break
        _sweep(rows, up if i % 2 == 0 else down, reverse=i % 2 == 1)
        count = _total_crossings(rows, down)
        if count < best_count:
            best, best_count, stale = [list(row) for row in rows], count, 0
        else:
            stale += 1
    rows = best

    def size(k: str) -> tuple[float, float]:
        return sizes.get(k, (0.0, 0.0))

    col_w = [max((size(k)[0] for k in row), default=0.0) for row in rows]
    col_x, x = [], margin
    for w in col_w:
        col_x.append(x)
        x += w + _COL_GAP
    width = x - _COL_GAP + margin if rows else 2 * margin

    centre: dict[str, float] = {}
    for row in rows:
        y = 0.0
        for k in row:
            h = size(k)[1]
            centre[k] = y + h / 2
            y += h + (_ROW_GAP if h else _ROW_GAP / 2)
    for i in range(_PULLS):
        for row in rows if i % 2 == 0 else reversed(rows):
            wanted = []
            for k in row:
                near = [centre[n] for n in up[k] + down[k]]
                wanted.append(sum(near) / len(near) if near else centre[k])
            _place(row, wanted, centre, size)
    top = min((centre[k] - size(k)[1] / 2 for k in centre), default=0.0)
    bottom = max((centre[k] + size(k)[1] / 2 for k in centre), default=0.0)
    shift = margin - top
    xs: dict[str, float] = {}
    ys: dict[str, float] = {}
    for r, row in enumerate(rows):
        for k in row:
            w, h = size(k)
            xs[k] = col_x[r] + (col_w[r] - w) / 2 if k in sizes else col_x[r] + col_w[r] / 2
            ys[k] = centre[k] + shift - h / 2
    routes = [(a, b, [(xs[v], ys[v]) for v in chain]) for a, b, chain in chains]
    return Layout(xs, ys, routes, width, bottom - top + 2 * margin, best_count)


def _place(row: list[str], wanted: list[float], centre: dict[str, float], size: object) -> None:
    """Centres as close to `wanted` as the order and the gaps allow: a forward pass, then a backward one."""
    half = [size(k)[1] / 2 for k in row]  # type: ignore[operator]
    gaps = [
        half[i] + half[i + 1] + (_ROW_GAP if half[i] and half[i + 1] else _ROW_GAP / 2) for i in range(len(row) - 1)
    ]
    ys = list(wanted)
    for i in range(1, len(row)):
        ys[i] = max(ys[i], ys[i - 1] + gaps[i - 1])
    # pull the block back up towards what it wanted, by the mean overshoot, keeping the gaps
    overshoot = sum(y - w for y, w in zip(ys, wanted, strict=True)) / len(ys) if ys else 0.0
    ys = [y - overshoot for y in ys]
    for i in range(len(row) - 2, -1, -1):
        ys[i] = min(ys[i], ys[i + 1] - gaps[i])
    for k, y in zip(row, ys, strict=True):
        centre[k] = y
