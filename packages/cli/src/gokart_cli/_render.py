"""`gokart tree` output formats: a text tree, JSON, Graphviz DOT (SVG is core's `gokart.visualize()`)."""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any

from ._graph import BLOCKED, DONE, ERROR, MISSING, NOT_NEEDED, WILL_RUN, Graph, Node
from ._params import display_value

__all__ = ['Style', 'to_dot', 'to_json', 'to_text']

_MARKS = {BLOCKED: '⊘', DONE: '✓', WILL_RUN: '●', MISSING: '✗', NOT_NEEDED: '○', ERROR: '!'}
_COLORS = {BLOCKED: '35', DONE: '32', WILL_RUN: '33', MISSING: '31', NOT_NEEDED: '2', ERROR: '31;1'}
_DOT_FILL = {
    BLOCKED: '#e2d4f0',
    DONE: '#d4edda',
    WILL_RUN: '#fff3cd',
    MISSING: '#f8d7da',
    NOT_NEEDED: '#eeeeee',
    ERROR: '#f5c6cb',
}


class Style:
    def __init__(self, color: bool) -> None:
        self.color = color

    def paint(self, text: str, code: str) -> str:
        return f'\x1b[{code}m{text}\x1b[0m' if self.color else text

    def status(self, status: str) -> str:
        return self.paint(f'{_MARKS[status]} {status}', _COLORS[status])

    def dim(self, text: str) -> str:
        return self.paint(text, '2')


def _ident(node: Node, abbr: bool) -> str:
    ident = node.unique_id if node.unique_id is not None else node.task_id
    if node.unique_id is not None and abbr:
        ident = ident[:8]
    return ident


def _shorten(value: str, limit: int = 40) -> str:
    return value if len(value) <= limit else value[: limit - 1] + '…'


def _hidden(graph: Graph, ignore: Collection[str]) -> set[str]:
    return {
        task_id for task_id, node in graph.nodes.items() if node.name in ignore or type(node.task).__name__ in ignore
    }


def to_text(graph: Graph, style: Style, details: bool = False, abbr: bool = False, ignore: Collection[str] = ()) -> str:
    hidden = _hidden(graph, ignore)
    lines: list[str] = []
    seen: set[str] = set()
    # (task id, prefix for the node's line, prefix for its children's lines)
    stack: list[tuple[str, str, str]] = [(graph.root, '', '')]
    while stack:
        task_id, head, tail = stack.pop()
        node = graph.nodes[task_id]
        label = f'{node.name}[{_ident(node, abbr)}]'
        if task_id in seen:
            lines.append(f'{head}{label} {style.dim("(shown above)")}')
            continue
        seen.add(task_id)
        lines.append(f'{head}{style.paint(label, "1")}  {style.status(node.status)}')
        body = tail + ('│   ' if any(c not in hidden for c in node.children) else '    ')
        if node.error:
            lines.append(f'{body}{style.paint(node.error, "31")}')
        for output in node.outputs:
            mark = '' if output.exists else style.dim('  (not written)')
            lines.append(f'{body}{style.dim("→")} {output.path}{mark}')
        if details and node.params:
            shown = node.params.items()
            values = ((k, display_value(v)) for k, v in shown)
            params = ', '.join(f'{k}={_shorten(v) if abbr else v}' for k, v in values)
            lines.append(f'{body}{style.dim("params:")} {params}')
        children = [c for c in node.children if c not in hidden]
        for i, child in reversed(list(enumerate(children))):
            last = i == len(children) - 1
            stack.append((child, tail + ('└── ' if last else '├── '), tail + ('    ' if last else '│   ')))
    return '\n'.join(lines)


def node_dict(node: Node) -> dict[str, Any]:
    return {
        'task_id': node.task_id,
        'name': node.name,
        'unique_id': node.unique_id,
        'status': node.status,
        'complete': node.complete,
        'external': node.external,
        'outputs': [{'path': o.path, 'exists': o.exists} for o in node.outputs],
        'params': node.params,
        'requires': node.children,
        'error': node.error,
    }


def to_json(graph: Graph, ignore: Collection[str] = ()) -> str:
    hidden = _hidden(graph, ignore)
    tasks = []
    for node, _, first in graph.walk():
        if first and node.task_id not in hidden:
            entry = node_dict(node)
            entry['requires'] = [c for c in node.children if c not in hidden]
            tasks.append(entry)
    return json.dumps({'root': graph.root, 'tasks': tasks}, indent=2, ensure_ascii=False)


def _dot_quote(text: str) -> str:
    return '"' + text.replace('\\', '\\\\').replace('"', '\\"').replace('\n', '\\n') + '"'


def to_dot(graph: Graph, abbr: bool = True, ignore: Collection[str] = ()) -> str:
    """Data flows along the edges: from each dependency to the task that requires it."""
    hidden = _hidden(graph, ignore)
    lines = ['digraph gokart {', '  rankdir=LR;', '  node [shape=box, style="rounded,filled", fontname="Helvetica"];']
    order = [node for node, _, first in graph.walk() if first and node.task_id not in hidden]
    for node in order:
        label = f'{node.name}\n{_ident(node, abbr)}\n{node.status}'
        shape = ', shape=cylinder' if node.external else ''
        lines.append(
            f'  {_dot_quote(node.task_id)} [label={_dot_quote(label)}, fillcolor="{_DOT_FILL[node.status]}"{shape}];'
        )
    for node in order:
        for child in node.children:
            if child not in hidden:
                lines.append(f'  {_dot_quote(child)} -> {_dot_quote(node.task_id)};')
    lines.append('}')
    return '\n'.join(lines)
