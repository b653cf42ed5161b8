"""``TaskInfo`` trees and their text/table renderings.

Everything here is iterative: pipelines can be chains of thousands of tasks, deeper than Python's recursion limit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

from gokart._kart.session import outputs_of, requires_of
from gokart._kart.walk import post_order
from gokart.task import TaskOnKart
from gokart.utils import FlattenableItems, flatten, map_flattenable_items

__all__ = ['RequiredTask', 'TaskInfo', 'make_task_info_tree', 'make_tree_info', 'make_tree_info_table_list']


class RequiredTask(NamedTuple):
    name: str
    unique_id: str


@dataclass
class TaskInfo:
    name: str
    unique_id: str
    output_paths: list[str]
    params: dict[str, Any]
    processing_time: str
    is_complete: str
    task_log: dict[str, Any]
    requires: FlattenableItems[RequiredTask]
    children_task_infos: list[TaskInfo]

    def get_task_id(self) -> str:
        return f'{self.name}_{self.unique_id}'

    def get_task_title(self) -> str:
        return f'({self.is_complete}) {self.name}[{self.unique_id}]'

    def get_task_detail(self) -> str:
        return f'(parameter={self.params}, output={self.output_paths}, time={self.processing_time}, task_log={self.task_log})'

    def task_info_dict(self) -> dict[str, Any]:
        return {
            'name': self.name,
            'unique_id': self.unique_id,
            'output_paths': self.output_paths,
            'params': self.params,
            'processing_time': self.processing_time,
            'is_complete': self.is_complete,
            'task_log': self.task_log,
            'requires': self.requires,
        }


def _check_is_task_on_kart(task: Any) -> TaskOnKart[Any]:
    if not isinstance(task, TaskOnKart):
        raise TypeError(
            f'`requires` has unexpected type {type(task)}. Must be `TaskOnKart`, `Iterarble[TaskOnKart]`, or `Dict[str, TaskOnKart]`'
        )
    return task


def _path(target: Any) -> str:
    # plain luigi targets expose `path` as an attribute, gokart targets as a method
    path = target.path
    return path() if callable(path) else path


def _required_task(task: Any) -> RequiredTask:
    return RequiredTask(name=type(task).__name__, unique_id=task.make_unique_id())


def _make_requires_info(requires: Any) -> Any:
    """``requires()``'s structure with a ``RequiredTask`` for each task: dicts stay dicts, other iterables become lists."""
    if isinstance(requires, TaskOnKart):
        return _required_task(requires)
    if isinstance(requires, dict):
        return {key: _make_requires_info(item) for key, item in requires.items()}
    if isinstance(requires, Iterable):
        return [_make_requires_info(item) for item in requires]
    _check_is_task_on_kart(requires)  # raises the TypeError naming the type


def _build_info(task: TaskOnKart[Any], requires: Any, children: list[TaskInfo], is_complete: bool) -> TaskInfo:
    processing_time = task.get_processing_time()
    return TaskInfo(
        name=type(task).__name__,
        unique_id=task.make_unique_id(),
        output_paths=[_path(target) for target in flatten(outputs_of(task))],
        params=task.get_info(only_significant=True),
        processing_time=f'{processing_time}s' if processing_time != 'unknown' else processing_time,
        is_complete='COMPLETE' if is_complete else 'PENDING',
        task_log=task.get_task_log(),
        requires=map_flattenable_items(_required_task, requires),
        children_task_infos=children,
    )


def make_task_info_tree(
    task: TaskOnKart[Any], ignore_task_names: list[str] | None = None, cache: dict[str, TaskInfo] | None = None
) -> TaskInfo:
    """The ``TaskInfo`` tree of ``task``; children named in ``ignore_task_names`` are left out (the root never is).

    ``cache`` maps ``<name>_<unique id>_<complete>`` to finished nodes and may be shared between calls.
    """
    ignored = set(ignore_task_names or ())
    cache = {} if cache is None else cache
    # Children first: ids are computed once the dependencies' ids are cached, so a long chain never
    # recurses through make_unique_id.
    done: dict[int, TaskInfo] = {}
    expanded: dict[int, tuple[Any, list[Any]]] = {}

    def children(current: Any) -> list[Any]:
        requires = requires_of(current)
        kept = [_check_is_task_on_kart(child) for child in flatten(requires)]
        kept = [child for child in kept if type(child).__name__ not in ignored]
        expanded[id(current)] = (requires, kept)
        return kept

    def visit(current: Any) -> None:
        requires, kept = expanded.pop(id(current))
        is_complete = current.complete()
        cache_key = f'{type(current).__name__}_{current.make_unique_id()}_{is_complete}'
        if cache_key not in cache:
            cache[cache_key] = _build_info(current, requires, [done[id(child)] for child in kept], is_complete)
        done[id(current)] = cache[cache_key]

    def describe_cycle(current: Any, child: Any) -> str:
        return f'{type(current).__name__}: requires() forms a cycle through {type(child).__name__}'

    post_order([_check_is_task_on_kart(task)], children, visit, describe_cycle=describe_cycle)
    return done[id(task)]


def make_tree_info(
    task_info: TaskInfo, indent: str, last: bool, details: bool, abbr: bool, visited_tasks: set[str]
) -> str:
    """Text tree: one line per node; with ``abbr`` a node seen before is shown once more and not expanded."""
    lines = []
    stack = [(task_info, indent, last)]
    while stack:
        info, node_indent, is_last = stack.pop()
        line = '\n' + node_indent + ('└─-' if is_last else '|--') + info.get_task_title()
        child_indent = node_indent + ('   ' if is_last else '|  ')
        task_id = info.get_task_id()
        if abbr and task_id in visited_tasks:
            lines.append(line + '\n' + child_indent + '└─- ...')
            continue
        visited_tasks.add(task_id)
        lines.append(line + info.get_task_detail() if details else line)
        children = info.children_task_infos
        stack.extend((child, child_indent, i == len(children) - 1) for i, child in reversed(list(enumerate(children))))
    return ''.join(lines)


def make_tree_info_table_list(task_info: TaskInfo, visited_tasks: set[str]) -> list[dict[str, Any]]:
    """One row per distinct task, depth first."""
    rows = []
    stack = [task_info]
    while stack:
        info = stack.pop()
        task_id = info.get_task_id()
        if task_id in visited_tasks:
            continue
        visited_tasks.add(task_id)
        rows.append(info.task_info_dict())
        stack.extend(reversed(info.children_task_infos))
    return rows
