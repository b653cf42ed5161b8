"""`gokart.visualize(task)`: the dependency graph under a task, each node coloured by its status, as SVG.

Statuses: `cached` (complete), `to run` (a build would run it), `failed` (not complete, and the last
build of this process that ran it failed it, or its complete()/requires() raises), `external` (no run():
luigi.ExternalTask; `missing` noted when its output does not exist), `not needed` (incomplete, but only
needed by complete tasks, so a build would not run it).
"""

from __future__ import annotations

import os
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

import luigi
import luigi.task

from gokart._notebook._outcomes import last_failure

__all__ = ['CACHED', 'EXTERNAL', 'FAILED', 'NOT_NEEDED', 'STATUSES', 'TO_RUN', 'Visualization', 'visualize']

CACHED, TO_RUN, FAILED, EXTERNAL, NOT_NEEDED = 'cached', 'to run', 'failed', 'external', 'not needed'
STATUSES = {CACHED: '#d4edda', TO_RUN: '#fff3cd', FAILED: '#f5b7b1', EXTERNAL: '#d6e4f5', NOT_NEEDED: '#eeeeee'}


@dataclass
class VisualNode:
    task_id: str
    name: str  # the task family
    unique_id: str | None  # None for plain luigi tasks
    status: str
    complete: bool
    reason: str | None = None  # why it failed
    requires: list[str] = field(default_factory=list)  # task ids

    @property
    def short_id(self) -> str:
        return self.unique_id[:8] if self.unique_id is not None else self.task_id.rsplit('_', 1)[-1][:8]


def _complete(task: Any) -> tuple[bool, str | None]:
    try:
        return bool(task.complete()), None
    except Exception as e:
        return False, f'complete() raised {type(e).__name__}: {e}'


def _graph(root: Any) -> tuple[dict[str, VisualNode], dict[str, Any]]:
    nodes: dict[str, VisualNode] = {}
    tasks: dict[str, Any] = {}
    stack = [root]
    while stack:  # iterative: chains of any depth
        task = stack.pop()
        if task.task_id in nodes:
            continue
        complete, reason = _complete(task)
        unique_id = task.make_unique_id() if hasattr(task, 'make_unique_id') else None
        node = nodes[task.task_id] = VisualNode(task.task_id, task.get_task_family(), unique_id, '', complete, reason)
        tasks[task.task_id] = task
        try:
            children = [t for t in luigi.task.flatten(task.requires()) if isinstance(t, luigi.Task)]
        except Exception as e:
            node.reason = node.reason or f'requires() raised {type(e).__name__}: {e}'
            children = []
        node.requires = list(dict.fromkeys(child.task_id for child in children))
        stack.extend(reversed(children))
    return nodes, tasks


def _set_statuses(root_id: str, nodes: dict[str, VisualNode], tasks: dict[str, Any]) -> None:
    needed: set[str] = set()
    stack = [root_id]
    while stack:
        task_id = stack.pop()
        if task_id in needed:
            continue
        needed.add(task_id)
        if not nodes[task_id].complete:
            stack.extend(nodes[task_id].requires)
    for task_id, node in nodes.items():
        if getattr(tasks[task_id], 'run', None) is None:
            node.status = EXTERNAL
        elif node.reason is not None:
            node.status = FAILED
        elif node.complete:
            node.status = CACHED
        elif (failure := last_failure(task_id)) is not None:
            node.status, node.reason = FAILED, failure
        else:
            node.status = TO_RUN if task_id in needed else NOT_NEEDED


class Visualization:
    """The picture of a task's graph: Jupyter shows it inline as SVG; `.save(path)` writes it."""

    def __init__(self, root: Any, hide: Collection[str] = ()) -> None:
        nodes, tasks = _graph(root)
        _set_statuses(root.task_id, nodes, tasks)
        hidden = {
            task_id for task_id, task in tasks.items() if nodes[task_id].name in hide or type(task).__name__ in hide
        }
        self.root_id: str = root.task_id
        self.title: str = root.get_task_family()
        # dependencies first, as a build would run them; hidden tasks and their edges left out
        self.nodes: dict[str, VisualNode] = {k: v for k, v in reversed(nodes.items()) if k not in hidden}
        self._svg: str | None = None

    @property
    def edges(self) -> list[tuple[str, str]]:
        """(dependency, dependent) pairs: data flows along them, left to right in the picture."""
        return [(dep, node.task_id) for node in self.nodes.values() for dep in node.requires if dep in self.nodes]

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(STATUSES, 0)
        for node in self.nodes.values():
            counts[node.status] += 1
        return {status: n for status, n in counts.items() if n}

    def svg(self) -> str:
        """The picture as a standalone SVG document."""
        if self._svg is None:
            from gokart._notebook._svg import SvgNode, render_svg  # drawn on first use: import gokart stays cheap

            svg_nodes = []
            for node in self.nodes.values():
                status = node.status
                if status == EXTERNAL and not node.complete:
                    status = 'external, missing'
                tooltip = f'{node.task_id}\n{node.unique_id or ""}\n{status}' + (
                    f'\n{node.reason}' if node.reason else ''
                )
                svg_nodes.append(
                    SvgNode(
                        node.task_id,
                        [node.name, node.short_id, status],
                        STATUSES[node.status],
                        tooltip=tooltip,
                        dashed=node.status == EXTERNAL,
                    )
                )
            legend = [(status, STATUSES[status]) for status in self.counts()]
            self._svg = render_svg(svg_nodes, self.edges, title=self.title, legend=legend)
        return self._svg

    def _repr_svg_(self) -> str:
        return self.svg()

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {'image/svg+xml': self.svg(), 'text/plain': repr(self)}

    def __repr__(self) -> str:
        counts = ', '.join(f'{n} {status}' for status, n in self.counts().items())
        return f'<gokart.visualize of {self.title}: {len(self.nodes)} tasks ({counts})>'

    def save(self, path: str | os.PathLike[str]) -> str:
        """Write the picture to `path` (`.svg`); returns the path. Other formats raise ValueError."""
        path = os.fspath(path)
        extension = os.path.splitext(path)[1].lower()
        if extension != '.svg':
            raise ValueError(
                f'cannot save the picture as {path!r}: only .svg is supported (gokart draws SVG itself, without '
                'graphviz); convert it with any SVG tool, e.g. `rsvg-convert -o graph.png graph.svg`'
            )
        with open(path, 'w', encoding='utf-8') as f:
            f.write(self.svg())
        return path


def visualize(task: Any, hide: Collection[str] = ()) -> Visualization:
    """The dependency graph under `task`, coloured by status; `hide` leaves out tasks of these names."""
    if isinstance(task, type) and issubclass(task, luigi.Task):
        raise TypeError(
            f'gokart.visualize() takes a task instance, got the class {task.__name__}: pass {task.__name__}()'
        )
    if not isinstance(task, luigi.Task):
        raise TypeError(f'gokart.visualize() takes a task instance, got {type(task).__name__}: {task!r}')
    return Visualization(task, hide)
