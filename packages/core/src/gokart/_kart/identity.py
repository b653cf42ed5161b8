"""Identity of a TaskOnKart: its serialized parameters, luigi's task_id and hash, and gokart's unique id.

All of them are computed on first use, once per task, children first (gokart._kart.walk), so chains of
any depth work:
- serialized parameters feed all three; a task-valued parameter serializes as its child's family plus
  the bz2 of the child's serialized parameters;
- luigi computes task_id in Task.__init__, which for a task-valued parameter means compressing the whole
  chain below it: deep chains would construct in quadratic time. Here task_id is a lazy attribute, and
  the hash luigi's instance cache needs at construction comes from cheap, already hashed parts.
  Contract: equal task_ids (same class, equal serialized significant public params) give equal hashes,
  since a task-valued parameter hashes as its child's hash;
- the unique id is md5 over what gokart 1.12.2 hashes: the significant dependencies' ids, the str params
  of plain-luigi dependencies, the task's own significant str params, its class name and optionally its
  own source.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import luigi
import luigi.task as _luigi_task
from luigi.parameter import ParameterVisibility

from gokart._codec import hash_entries, serialize_json
from gokart._kart.register import KartRegister, class_params, is_kart, task_valued_children
from gokart._kart.session import flat_requires_of
from gokart._kart.state import state_of
from gokart._kart.walk import post_order
from gokart.parameter import ListTaskInstanceParameter, TaskInstanceParameter, serialize_task_instance

__all__ = ['LazyTaskId', 'compute_unique_id', 'serialized', 'task_hash', 'view']

_PRIVATE = ParameterVisibility.PRIVATE
_PUBLIC = ParameterVisibility.PUBLIC


# ---- serialized parameters ----


def serialize_instance(task: Any) -> str:
    """serialize_task_instance, once per TaskOnKart: a child shared by many parents is compressed once."""
    if not is_kart(task):
        return serialize_task_instance(task)
    state = state_of(task)
    found = state.serialized_instance
    if found is None:
        found = state.serialized_instance = serialize_task_instance(task)
    return found


def _serialize_instances(tasks: Any) -> str:
    return json.dumps([serialize_instance(task) for task in tasks])


def _fast_serializer(param: Any) -> Any:
    """An equivalent of param.serialize that skips luigi's per-call overhead, for classes we know."""
    method = type(param).serialize
    if method is luigi.Parameter.serialize:
        return str
    if method in (luigi.ListParameter.serialize, luigi.DictParameter.serialize):
        return serialize_json
    if method is TaskInstanceParameter.serialize:
        return serialize_instance
    if method is ListTaskInstanceParameter.serialize:
        return _serialize_instances
    return param.serialize


def _serializers(cls: type) -> dict[str, Any]:
    table = class_params(cls)
    if table.serializers is None:
        table.serializers = {name: _fast_serializer(p) for name, p in table.params}
        table.id_params = [
            (name, p, table.serializers[name]) for name, p in table.params if p.significant and p.visibility != _PRIVATE
        ]
        table.id_params_public = all(p.visibility == _PUBLIC for _, p, _ in table.id_params)
    return table.serializers


def _naming_parameter(exc: Exception, message: str) -> Exception:
    """The same exception type with a message that names the task and parameter, when the type allows it."""
    try:
        return type(exc)(message)
    except Exception:
        return exc


def serialized(task: Any, name: str) -> str:
    """The serialized value of one parameter, computed at most once."""
    values = (task.__dict__.get('_kart') or state_of(task)).str_values  # state_of inlined (a hot path)
    value = values.get(name)
    if value is None:
        raw = task.param_kwargs[name]
        try:
            value = _serializers(type(task))[name](raw)
        except (TypeError, ValueError) as exc:
            message = f'{task.get_task_family()}: parameter {name!r} with value {raw!r} cannot be serialized: {exc}'
            raise _naming_parameter(exc, message) from exc
        values[name] = value
    return value


def _has_full_view(task: Any) -> bool:
    # A plain luigi task memoizes nothing, so there is nothing to prepare.
    return not is_kart(task) or (True, False) in state_of(task).views


def _make_full_view(task: Any) -> None:
    # The id-relevant view: every significant non-private parameter, serialized once (a hot path).
    _serializers(type(task))
    state = state_of(task)
    values = state.str_values
    raw_values = task.param_kwargs
    view = {}
    for name, _, serializer in class_params(type(task)).id_params or ():
        if name not in raw_values:
            continue
        text = values.get(name)
        if text is None:
            try:
                text = values[name] = serializer(raw_values[name])
            except (TypeError, ValueError):
                text = serialized(task, name)  # raises, naming the task and parameter
        view[name] = text
    state.views[(True, False)] = view


def view(task: Any, only_significant: bool, only_public: bool) -> dict[str, str]:
    """to_str_params(only_significant, only_public), memoized; callers must not mutate it."""
    key = (only_significant, only_public)
    views = (task.__dict__.get('_kart') or state_of(task)).views  # state_of inlined (a KartState is truthy)
    found = views.get(key)
    if found is None and task_valued_children(task):
        # Serializing a task parameter needs its child's params, and so on down the chain: children first.
        post_order([task], task_valued_children, _make_full_view, is_done=_has_full_view)
        found = views.get(key)
    if found is None:
        by_name = class_params(type(task)).by_name
        found = {}
        for name in task.param_kwargs:
            param = by_name[name]
            if only_significant and not param.significant:
                continue
            visibility = param.visibility
            if visibility == _PRIVATE or (only_public and visibility != _PUBLIC):
                continue
            found[name] = serialized(task, name)
        views[key] = found
    return found


# ---- luigi's task_id and hash ----


# luigi.task.task_id_str's canonical JSON: json.dumps builds a JSONEncoder for these options on every call
_ID_ENCODER = json.JSONEncoder(separators=(',', ':'), sort_keys=True)


def _flat_encoder() -> Any:
    """The encoder's C core for a flat dict of str (no nesting, so no cycle check), checked against the
    encoder itself; None where the interpreter has no C core or it takes other arguments."""
    make = getattr(json.encoder, 'c_make_encoder', None)
    if make is None:
        return None
    enc = _ID_ENCODER
    try:
        core = make(
            None, enc.default, json.encoder.encode_basestring_ascii, None, ':', ',', True, enc.skipkeys, enc.allow_nan
        )
        written = ''.join(core({'b': 'é"\\', 'a': '1'}, 0))
        return core if written == '{"a":"1","b":"\\u00e9\\"\\\\"}' else None  # what json.dumps writes
    except Exception:
        return None


_FLAT_ENCODER = _flat_encoder()

try:  # the interpreter's own md5 (the same digest): OpenSSL's costs a context setup per call
    from _md5 import md5 as _md5
except ImportError:  # an interpreter built without it
    _md5 = hashlib.md5


def _canonical_json(params: dict[str, str]) -> str:
    """json.dumps(params, separators=(',', ':'), sort_keys=True), as luigi's task_id_str writes it."""
    core = _FLAT_ENCODER
    if core is not None:
        for name, value in params.items():
            if type(name) is not str or type(value) is not str:
                break
        else:
            return ''.join(core(params, 0))
    return _ID_ENCODER.encode(params)  # nested or other values (an overridden to_str_params): the encoder


def task_id_str(task_family: str, params: dict[str, str]) -> str:
    """luigi.task.task_id_str, byte for byte (its constants read from luigi at each call, as luigi does),
    without the per-call encoder, generators and OpenSSL context: asked once per task of a build."""
    param_hash = _md5(_canonical_json(params).encode('utf-8'), usedforsecurity=False).hexdigest()
    cut = _luigi_task.TASK_ID_TRUNCATE_PARAMS
    summary = '_'.join([params[name][:cut] for name in sorted(params)[: _luigi_task.TASK_ID_INCLUDE_PARAMS]])
    summary = _luigi_task.TASK_ID_INVALID_CHAR_REGEX.sub('_', summary)
    return f'{task_family}_{summary}_{param_hash[: _luigi_task.TASK_ID_TRUNCATE_HASH]}'


def _public_view(task: Any) -> dict[str, str]:
    """view(task, True, True); the id view already made stands for it when every id parameter is public."""
    views = (task.__dict__.get('_kart') or state_of(task)).views
    found = views.get((True, True))
    if found is None:
        table = class_params(type(task))
        full = views.get((True, False))
        # keys outside the table make view() raise, as luigi's to_str_params does: left to it
        if full is not None and table.id_params_public and task.param_kwargs.keys() <= table.by_name.keys():
            return full
        found = view(task, True, True)
    return found


class LazyTaskId:
    """Non-data descriptor: computes task_id once and stores it in the instance dict (luigi may also set it)."""

    def __get__(self, task: Any, owner: type | None = None) -> Any:
        if task is None:
            return self
        if type(task).to_str_params is KartRegister.root.to_str_params:
            params = _public_view(task)  # a memoized view itself: task_id_str only reads it
        else:
            params = task.to_str_params(only_significant=True, only_public=True)
        value = task_id_str(task.get_task_family(), params)
        task.__dict__['task_id'] = value
        return value


def _hash_part(task: Any, name: str, param: Any, value: Any) -> Any:
    kind = type(param)
    if kind.serialize is TaskInstanceParameter.serialize and isinstance(param, TaskInstanceParameter):
        return hash(value)
    if kind.serialize is ListTaskInstanceParameter.serialize and isinstance(param, ListTaskInstanceParameter):
        return tuple(hash(v) for v in value)
    return serialized(task, name)


def _compute_hash(task: Any) -> None:
    by_name = class_params(type(task)).by_name
    parts: list[Any] = [task.get_task_family()]
    for name, value in task.param_kwargs.items():
        param = by_name[name]
        if param.significant and param.visibility == _PUBLIC:
            parts.append((name, _hash_part(task, name, param, value)))
    state_of(task).hash = hash(tuple(parts))


def _has_hash(task: Any) -> bool:
    return not is_kart(task) or state_of(task).hash is not None


def task_hash(task: Any) -> int:
    # __hash__ of every TaskOnKart, asked ~9 times per task of a build (the engine's dicts and sets): the
    # state read inline (a KartState is truthy), state_of() only for an instance that has none yet.
    found = (task.__dict__.get('_kart') or state_of(task)).hash
    if found is None:
        table = class_params(type(task))
        if table.task_params or table.task_list_params:
            post_order([task], task_valued_children, _compute_hash, is_done=_has_hash)
        else:  # no task-valued parameter: no child hash to compute first, and no walk to set up
            _compute_hash(task)
        found = state_of(task).hash
    assert found is not None
    return found


# ---- gokart's unique id ----


def _dependencies(task: Any) -> list[Any]:
    deps = flat_requires_of(task)
    for dep in deps:
        # a TaskOnKart is a luigi.Task: asked of the metaclass first, without the ABC's instance check
        if not isinstance(type(dep), KartRegister) and not isinstance(dep, luigi.Task):
            raise ValueError(f'Task.requires method returns {type(dep)}. You should return luigi.Task.')
    return deps


def _entries(task: Any, deps: list[Any], ids: dict[int, str]) -> list[Any]:
    entries: list[Any] = []
    for dep in deps:
        if is_kart(dep):
            if dep.significant:
                entries.append(str(ids.get(id(dep)) or dep.task_unique_id))
        else:
            entries.append(dep.to_str_params(only_significant=True))
    # The memoized view itself (read-only here), unless to_str_params is overridden.
    if type(task).to_str_params is KartRegister.root.to_str_params:
        entries.append(view(task, True, False))
    else:
        entries.append(task.to_str_params(only_significant=True))
    entries.append(type(task).__name__)
    if task.serialized_task_definition_check:
        entries.append(task.get_own_code())
    return entries


def _describe_cycle(task: Any, dep: Any) -> str:
    return f'{task.get_task_family()}: requires() forms a cycle through {dep.get_task_family()}'


def compute_unique_id(root: Any) -> str:
    """The id of `root`, computing (and caching, where allowed) the ids of the dependencies it needs."""
    ids: dict[int, str] = {}
    deps_of: dict[int, list[Any]] = {}

    def children(task: Any) -> list[Any]:
        deps = deps_of[id(task)] = _dependencies(task)
        return [dep for dep in deps if is_kart(dep) and dep.significant]

    def known(task: Any) -> bool:
        return task is not root and task.task_unique_id is not None

    def visit(task: Any) -> None:
        uid = ids[id(task)] = hash_entries(_entries(task, deps_of.pop(id(task)), ids))
        if task is not root and task.cache_unique_id:
            task.task_unique_id = uid

    post_order([root], children, visit, is_done=known, describe_cycle=_describe_cycle)
    return ids[id(root)]
