"""luigi identity of a TaskOnKart (task_id, hash) without paying for it at construction.

luigi computes task_id in Task.__init__, which serializes every parameter; for a TaskInstanceParameter
that means bz2-compressing the whole chain below it, so building a deep chain is quadratic before anything
runs. Here construction only resolves parameter values; task_id is computed on first use, and the hash
(needed at construction by luigi's instance cache) is derived from cheap, already-hashed parts.

Hash contract: tasks with equal task_id (same class, equal serialized significant public params) get
equal hashes. A task-valued parameter hashes as its child's hash: equal serialized child strings imply
equal child task_ids, hence equal child hashes.
"""

from __future__ import annotations

from typing import Any

import luigi
from luigi.parameter import ParameterVisibility
from luigi.task import task_id_str

from gokart import _kart_params

_PUBLIC = ParameterVisibility.PUBLIC
_plain_init_by_class: dict[type, bool] = {}


def plain_luigi_init(cls: type) -> bool:
    """True when nothing between TaskOnKart and luigi.Task in the MRO defines its own __init__."""
    found = _plain_init_by_class.get(cls)
    if found is None:
        from gokart.task import TaskOnKart

        mro = cls.__mro__
        between = mro[mro.index(TaskOnKart) + 1 : mro.index(luigi.Task)]
        found = _plain_init_by_class[cls] = not any('__init__' in klass.__dict__ for klass in between)
    return found


def init_params(task: Any, args: tuple[Any, ...], kwargs: dict[str, Any], param_values: Any = None) -> None:
    """luigi.Task.__init__ minus the eager task_id and hash; `param_values` if the metaclass resolved them."""
    if param_values is None:
        param_values = task.get_param_values(task.get_params(), args, kwargs)
    for key, value in param_values:
        setattr(task, key, value)
    task.param_kwargs = dict(param_values)
    task._warn_on_wrong_param_types()
    task.set_tracking_url = None
    task.set_status_message = None
    task.set_progress_percentage = None


class LazyTaskId:
    """Non-data descriptor: computes task_id once and stores it in the instance dict (luigi may also set it)."""

    def __get__(self, task: Any, owner: type | None = None) -> Any:
        if task is None:
            return self
        value = task_id_str(task.get_task_family(), task.to_str_params(only_significant=True, only_public=True))
        task.__dict__['task_id'] = value
        return value


def _hash_part(task: Any, name: str, param: Any, value: Any) -> Any:
    from gokart.parameter import ListTaskInstanceParameter, TaskInstanceParameter

    kind = type(param)
    if isinstance(param, TaskInstanceParameter) and kind.serialize is TaskInstanceParameter.serialize:
        return hash(value)
    if isinstance(param, ListTaskInstanceParameter) and kind.serialize is ListTaskInstanceParameter.serialize:
        return tuple(hash(v) for v in value)
    return task._str_param(name)


def _compute_hash(task: Any) -> None:
    by_name = _kart_params.class_params(type(task)).by_name
    parts = [task.get_task_family()]
    for name, value in task.param_kwargs.items():
        param = by_name[name]
        if param.significant and param.visibility == _PUBLIC:
            parts.append((name, _hash_part(task, name, param, value)))
    task.__dict__['_kart_hash'] = hash(tuple(parts))


def _has_hash(task: Any) -> bool:
    return not getattr(type(task), '_kart_memoized_params', False) or '_kart_hash' in task.__dict__


def task_hash(task: Any) -> int:
    found = task.__dict__.get('_kart_hash')
    if found is None:
        # Children first, so hashing a long chain never recurses.
        _kart_params.bottom_up(task, _has_hash, _compute_hash)
        found = task.__dict__['_kart_hash']
    return found
