"""A small layered-graph SVG renderer with no dependency (no graphviz): boxes in columns, curved edges.

Self-contained on purpose (standard library only, no gokart import): it is meant to move to core as the
drawing behind `gokart.visualize(task)`.

Layout: a node's column is the length of the longest path reaching it, so every edge points right; within a
column, nodes are ordered by the mean row of their predecessors (one barycentre pass), which keeps most
edges short and uncrossed on pipeline-shaped graphs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

__all__ = ['SvgNode', 'render_svg']

_CHAR_W = 7.2  # average advance of 12px sans-serif
_LINE_H = 16
_PAD = 8
_COL_GAP = 60
_ROW_GAP = 18
_MARGIN = 16


@dataclass
class SvgNode:
    key: str
    lines: Sequence[str]  # first line bold
    fill: str = '#ffffff'


def _columns(keys: list[str], edges: list[tuple[str, str]]) -> dict[str, int]:
    preds: dict[str, list[str]] = {k: [] for k in keys}
    succs: dict[str, list[str]] = {k: [] for k in keys}
    for a, b in edges:
        preds[b].append(a)
        succs[a].append(b)
    # Kahn's order, then longest path; nodes on a cycle (not expected) go after the rest.
    indegree = {k: len(preds[k]) for k in keys}
    ready = [k for k in keys if indegree[k] == 0]
    order: list[str] = []
    while ready:
        k = ready.pop(0)
        order.append(k)
        for s in succs[k]:
            indegree[s] -= 1
            if indegree[s] == 0:
                ready.append(s)
    order += [k for k in keys if k not in set(order)]
    column: dict[str, int] = {}
    for k in order:
        column[k] = max((column[p] + 1 for p in preds[k] if p in column), default=0)
    return column


def render_svg(nodes: Sequence[SvgNode], edges: Sequence[tuple[str, str]], title: str = '') -> str:
    """An SVG document drawing `nodes` and the `edges` (from, to) between them, left to right."""
    keys = [n.key for n in nodes]
    by_key = {n.key: n for n in nodes}
    edges = [(a, b) for a, b in edges if a in by_key and b in by_key and a != b]
    column = _columns(keys, list(edges))
    ncols = max(column.values(), default=-1) + 1
    cols: list[list[str]] = [[] for _ in range(ncols)]
    for k in keys:
        cols[column[k]].append(k)
    preds: dict[str, list[str]] = {k: [] for k in keys}
    for a, b in edges:
        preds[b].append(a)
    rank: dict[str, float] = {}
    for col in cols:
        for i, k in enumerate(col):
            rank[k] = i
        col.sort(key=lambda k: sum(rank[p] for p in preds[k]) / len(preds[k]) if preds[k] else rank[k])
        for i, k in enumerate(col):
            rank[k] = i

    size = {
        k: (max(len(line) for line in n.lines or ['']) * _CHAR_W + 2 * _PAD, len(n.lines) * _LINE_H + 2 * _PAD)
        for k, n in by_key.items()
    }
    col_w = [max((size[k][0] for k in col), default=0) for col in cols]
    col_h = [sum(size[k][1] for k in col) + _ROW_GAP * max(len(col) - 1, 0) for col in cols]
    height = max(col_h, default=0) + 2 * _MARGIN
    width = sum(col_w) + _COL_GAP * max(ncols - 1, 0) + 2 * _MARGIN
    pos: dict[str, tuple[float, float]] = {}
    x = float(_MARGIN)
    for c, col in enumerate(cols):
        y = _MARGIN + (height - 2 * _MARGIN - col_h[c]) / 2
        for k in col:
            pos[k] = (x, y)
            y += size[k][1] + _ROW_GAP
        x += col_w[c] + _COL_GAP

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" font-family="Helvetica, Arial, sans-serif" font-size="12">',
        f'<title>{escape(title)}</title>',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#555"/></marker></defs>',
    ]
    for a, b in edges:
        (ax, ay), (bx, by) = pos[a], pos[b]
        x1, y1 = ax + size[a][0], ay + size[a][1] / 2
        x2, y2 = bx, by + size[b][1] / 2
        mid = (x1 + x2) / 2
        out.append(
            f'<path d="M {x1:.1f} {y1:.1f} C {mid:.1f} {y1:.1f}, {mid:.1f} {y2:.1f}, {x2:.1f} {y2:.1f}" '
            'fill="none" stroke="#555" stroke-width="1.2" marker-end="url(#arrow)"/>'
        )
    for k in keys:
        node, (nx, ny), (w, h) = by_key[k], pos[k], size[k]
        out.append(f'<g class="node" id="{escape(k, {chr(34): "&quot;"})}">')
        out.append(
            f'<rect x="{nx:.1f}" y="{ny:.1f}" width="{w:.1f}" height="{h:.1f}" rx="6" '
            f'fill="{escape(node.fill)}" stroke="#333"/>'
        )
        for i, line in enumerate(node.lines):
            weight = ' font-weight="bold"' if i == 0 else ''
            ty = ny + _PAD + (i + 1) * _LINE_H - 4
            out.append(f'<text x="{nx + _PAD:.1f}" y="{ty:.1f}"{weight}>{escape(line)}</text>')
        out.append('</g>')
    out.append('</svg>')
    return '\n'.join(out) + '\n'
