"""An SVG drawing of a layered graph (no graphviz): rounded boxes, curved edges, an optional legend.

Standard library only. Node groups are `<g class="node">` holding the box and its lines of text (the
first line bold); each edge is one `<path>`, a chain of horizontal-tangent cubic curves through the
layout's virtual points, ending in an arrow at the node it points to.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from gokart._notebook._layout import layout

__all__ = ['SvgNode', 'render_svg']

_CHAR_W = 7.0  # average advance of 12px sans-serif
_LINE_H = 16.0
_PAD = 8.0
_MARGIN = 16.0
_LEGEND_H = 26.0


@dataclass
class SvgNode:
    key: str
    lines: Sequence[str]  # the first one bold
    fill: str = '#ffffff'
    tooltip: str = ''
    dashed: bool = False  # drawn with a dashed border (external inputs)


def _curve(points: list[tuple[float, float]]) -> str:
    (x0, y0), rest = points[0], points[1:]
    parts = [f'M {x0:.1f} {y0:.1f}']
    for x1, y1 in rest:
        mid = (x0 + x1) / 2
        parts.append(f'C {mid:.1f} {y0:.1f}, {mid:.1f} {y1:.1f}, {x1:.1f} {y1:.1f}')
        x0, y0 = x1, y1
    return ' '.join(parts)


def render_svg(
    nodes: Sequence[SvgNode],
    edges: Sequence[tuple[str, str]],
    title: str = '',
    legend: Sequence[tuple[str, str]] = (),
) -> str:
    """A standalone SVG document of `nodes` and the `edges` (from, to) between them, left to right."""
    by_key = {n.key: n for n in nodes}
    edges = list(dict.fromkeys((a, b) for a, b in edges if a in by_key and b in by_key and a != b))
    sizes = {
        n.key: (max((len(line) for line in n.lines), default=0) * _CHAR_W + 2 * _PAD, len(n.lines) * _LINE_H + 2 * _PAD)
        for n in nodes
    }
    top = _LEGEND_H if legend else 0.0
    placed = layout([n.key for n in nodes], edges, sizes, _MARGIN)
    legend_w = sum(len(label) * _CHAR_W + 34 for label, _ in legend) + 2 * _MARGIN
    width, height = max(placed.width, legend_w), placed.height + top
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" font-family="Helvetica, Arial, sans-serif" font-size="12">',
        f'<title>{escape(title)}</title>',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#666"/></marker></defs>',
    ]
    x = _MARGIN
    for label, fill in legend:
        out.append(f'<rect x="{x:.1f}" y="8" width="14" height="12" rx="3" fill="{escape(fill)}" stroke="#333"/>')
        out.append(f'<text x="{x + 19:.1f}" y="18">{escape(label)}</text>')
        x += len(label) * _CHAR_W + 34
    for a, b, via in placed.routes:
        (wa, ha), (_, hb) = sizes[a], sizes[b]
        start = (placed.x[a] + wa, placed.y[a] + ha / 2 + top)
        end = (placed.x[b], placed.y[b] + hb / 2 + top)
        points = [start, *((px, py + top) for px, py in via), end]
        out.append(
            f'<path d="{_curve(points)}" fill="none" stroke="#666" stroke-width="1.2" marker-end="url(#arrow)"/>'
        )
    for node in nodes:
        nx, ny, (w, h) = placed.x[node.key], placed.y[node.key] + top, sizes[node.key]
        out.append(f'<g class="node" id="{escape(node.key)}">')
        if node.tooltip:
            out.append(f'<title>{escape(node.tooltip)}</title>')
        dash = ' stroke-dasharray="4 3"' if node.dashed else ''
        out.append(
            f'<rect x="{nx:.1f}" y="{ny:.1f}" width="{w:.1f}" height="{h:.1f}" rx="6" '
            f'fill="{escape(node.fill)}" stroke="#333"{dash}/>'
        )
        for i, line in enumerate(node.lines):
            weight = ' font-weight="bold"' if i == 0 else ' fill="#333"'
            ty = ny + _PAD + (i + 1) * _LINE_H - 4
            out.append(f'<text x="{nx + _PAD:.1f}" y="{ty:.1f}"{weight}>{escape(line)}</text>')
        out.append('</g>')
    out.append('</svg>')
    return '\n'.join(out) + '\n'
