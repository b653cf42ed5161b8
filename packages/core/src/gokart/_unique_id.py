"""Unique ids, the only place where core talks to gokart_fastio.

The id of a task is md5 over the text gokart 1.12.2 hashes: its significant dependencies'
ids, the str params of its plain-luigi dependencies, its own significant str params, its class name and
optionally its own source. Dependencies are walked iteratively in post-order, so chains of any depth work
and every task's id is computed once (cached on the task when cache_unique_id is set).
"""

from __future__ import annotations

from typing import Any

import luigi

import gokart_fastio
from gokart._kart_params import str_params_of
from gokart.utils import flatten

__all__ = ['compute_unique_id', 'hash_entries', 'serialize_json']

serialize_json = gokart_fastio.serialize_json


def hash_entries(entries: list[Any]) -> str:
    return gokart_fastio.legacy_id(entries)


def _dependencies(task: Any) -> list[Any]:
    deps = flatten(task.requires())
    for dep in deps:
        if not isinstance(dep, luigi.Task):
            raise ValueError(f'Task.requires method returns {type(dep)}. You should return luigi.Task.')
    return deps


def _entries(task: Any, deps: list[Any], ids: dict[int, str]) -> list[Any]:
    from gokart.task import TaskOnKart

    entries: list[Any] = []
    for dep in deps:
        if isinstance(dep, TaskOnKart):
            if dep.significant:
                entries.append(str(ids[id(dep)]))
        else:
            entries.append(dep.to_str_params(only_significant=True))
    # The memoized view itself (read-only here), not the copy to_str_params hands to callers.
    own_params = type(task).to_str_params is TaskOnKart.to_str_params
    entries.append(str_params_of(task).view(True, False) if own_params else task.to_str_params(only_significant=True))
    entries.append(type(task).__name__)
    if task.serialized_task_definition_check:
        entries.append(task.get_own_code())
    return entries


def compute_unique_id(root: Any) -> str:
    """The id of `root`, computing (and caching, where allowed) the ids of the dependencies it needs."""
    from gokart.task import TaskOnKart

    ids: dict[int, str] = {}
    pending_deps: dict[int, list[Any]] = {}
    on_stack: set[int] = set()
    stack: list[Any] = [root]
    while stack:
        task = stack[-1]
        key = id(task)
        if key in ids:
            stack.pop()
            continue
        cached = task.task_unique_id if task is not root else None
        if cached is not None:
            ids[key] = cached
            stack.pop()
            continue
        deps = pending_deps.get(key)
        if deps is None:
            if key in on_stack:
                raise RecursionError(f'{task!r}: its requires() forms a cycle')
            on_stack.add(key)
            deps = _dependencies(task)
            pending_deps[key] = deps
            missing = [d for d in deps if isinstance(d, TaskOnKart) and d.significant and id(d) not in ids]
            if missing:
                for dep in reversed(missing):
                    if id(dep) in on_stack:
                        raise RecursionError(
                            f'{task.get_task_family()}: requires() forms a cycle through {dep.get_task_family()}'
                        )
                    stack.append(dep)
                continue
        uid = hash_entries(_entries(task, deps, ids))
        ids[key] = uid
        if task is not root and task.cache_unique_id:
            task.task_unique_id = uid
        on_stack.discard(key)
        del pending_deps[key]
        stack.pop()
    return ids[id(root)]
