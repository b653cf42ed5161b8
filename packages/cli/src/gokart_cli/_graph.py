"""The task graph under a root, as `tree`, `why`, `ls` and `clean` see it: one node per distinct task.

Statuses say what `gokart run` would do, luigi's way: a complete task is `done` and its dependencies are
not looked at by a run (`not needed` when incomplete); an incomplete task reached through incomplete tasks
`will run`, unless it is external (no `run()`): then its input is `missing`, and the tasks that need it,
directly or not, are `blocked` (the run ends with exit code 20, missing external data).
"""

from __future__ import annotations

import dataclasses
import os
from typing import Any

import luigi
import luigi.task

__all__ = ['BLOCKED', 'DONE', 'ERROR', 'MISSING', 'NOT_NEEDED', 'WILL_RUN', 'Graph', 'Node', 'Output', 'build_graph']

DONE = 'done'
WILL_RUN = 'will run'
MISSING = 'missing'  # an external task whose output does not exist
NOT_NEEDED = 'not needed'  # incomplete, but only needed by tasks that are done
BLOCKED = 'blocked'  # would run, but an external input it needs (maybe indirectly) is missing
ERROR = 'error'  # complete() or requires() raised


@dataclasses.dataclass
class Output:
    path: str
    exists: bool
    target: Any = dataclasses.field(repr=False, compare=False)


@dataclasses.dataclass
class Node:
    task: Any = dataclasses.field(repr=False)
    task_id: str
    name: str
    unique_id: str | None
    external: bool
    outputs: list[Output]
    params: dict[str, str]
    complete: bool
    children: list[str] = dataclasses.field(default_factory=list)  # task ids, in requires() order
    status: str = NOT_NEEDED
    error: str | None = None


@dataclasses.dataclass
class Graph:
    root: str
    nodes: dict[str, Node]  # by luigi task id, dependencies after the first task that requires them

    def walk(self) -> list[tuple[Node, int, bool]]:
        """(node, depth, first time seen) in depth-first order from the root, shared nodes repeated."""
        out: list[tuple[Node, int, bool]] = []
        seen: set[str] = set()
        stack = [(self.root, 0)]
        while stack:
            task_id, depth = stack.pop()
            node = self.nodes[task_id]
            first = task_id not in seen
            seen.add(task_id)
            out.append((node, depth, first))
            if first:
                stack.extend((child, depth + 1) for child in reversed(node.children))
        return out


def _path(target: Any) -> str:
    path = getattr(target, 'path', None)  # gokart targets: a method; luigi targets: an attribute
    path = path() if callable(path) else path
    return str(path) if path is not None else repr(target)


def _exists(target: Any) -> bool:
    try:
        return bool(target.exists())
    except Exception:
        return False


def is_external(task: Any) -> bool:
    """luigi's rule: a task without a run() (luigi.ExternalTask, luigi.task.externalize) is not run."""
    return getattr(task, 'run', None) is None


def _node(task: Any) -> Node:
    import gokart

    kart = isinstance(task, gokart.TaskOnKart)
    outputs = [Output(_path(t), _exists(t), t) for t in luigi.task.flatten(task.output())]
    error = None
    try:
        complete = bool(task.complete())
    except Exception as e:
        complete, error = False, f'complete() raised {type(e).__name__}: {e}'
    try:
        params = dict(task.to_str_params(only_significant=True))
    except Exception:
        params = {}
    return Node(
        task=task,
        task_id=task.task_id,
        name=task.get_task_family(),
        unique_id=task.make_unique_id() if kart else None,
        external=is_external(task),
        outputs=outputs,
        params=params,
        complete=complete,
        error=error,
    )


def build_graph(root: Any) -> Graph:
    """Every task under `root` (iterative, so deep chains work), with the status a run would give it."""
    nodes: dict[str, Node] = {}
    stack = [root]
    while stack:
        task = stack.pop()
        if task.task_id in nodes:
            continue
        node = nodes[task.task_id] = _node(task)
        try:
            children = [t for t in luigi.task.flatten(task.requires()) if isinstance(t, luigi.Task)]
        except Exception as e:
            node.error = f'requires() raised {type(e).__name__}: {e}'
            children = []
        node.children = list(dict.fromkeys(child.task_id for child in children))
        stack.extend(reversed(children))
    graph = Graph(root.task_id, nodes)
    _set_statuses(graph)
    return graph


def _set_statuses(graph: Graph) -> None:
    reached: set[str] = set()
    stack = [graph.root]
    while stack:
        task_id = stack.pop()
        if task_id in reached:
            continue
        reached.add(task_id)
        node = graph.nodes[task_id]
        if node.complete:
            continue
        stack.extend(node.children)
    for task_id, node in graph.nodes.items():
        if node.error is not None:
            node.status = ERROR
        elif node.complete:
            node.status = DONE
        elif task_id not in reached:
            node.status = NOT_NEEDED
        else:
            node.status = MISSING if node.external else WILL_RUN
    # A task waiting on a missing external input, directly or not, is blocked: spread up to a fixed point.
    changed = True
    while changed:
        changed = False
        for node in graph.nodes.values():
            if node.status == WILL_RUN and any(graph.nodes[c].status in (MISSING, BLOCKED) for c in node.children):
                node.status = BLOCKED
                changed = True


def local_size_mtime(path: str) -> tuple[int, float] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_size, stat.st_mtime
