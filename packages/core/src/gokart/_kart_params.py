"""Fast parameter bookkeeping for TaskOnKart: luigi's semantics, computed once per class or instance.

luigi rescans dir(cls) for every get_params() call and resolves every default through the command line
and config on every construction; on pipelines of 10^4-10^5 tasks that dominates. Here the parameter list
is cached per class, and the resolved defaults are cached per class while the config and command line that
could override them are unchanged.
"""

from __future__ import annotations

import warnings
from typing import Any

import luigi
from luigi.parameter import MissingParameterException, ParameterVisibility, UnknownParameterException

_NO_VALUE = luigi.parameter._no_value
_PRIVATE = ParameterVisibility.PRIVATE
_PUBLIC = ParameterVisibility.PUBLIC

# Bumped whenever a Parameter is set on or deleted from any task class, so cached lists are rebuilt.
_generation = [0]


class KartRegister(luigi.task_register.Register):
    """luigi's task metaclass, plus invalidation of the per-class parameter caches on class mutation.

    Construction resolves the parameter values once: luigi's metaclass resolves them for its instance-cache
    key and Task.__init__ resolves them again; here __init__ receives them.
    """

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        def instantiate(param_values: list[tuple[str, Any]]) -> Any:
            task = cls.__new__(cls)
            task.__dict__['_kart_param_values'] = param_values
            if isinstance(task, cls):
                task.__init__(*args, **kwargs)
            return task

        cache = cls._Register__instance_cache  # luigi's instance cache (its name-mangled class attribute)
        param_values = cls.get_param_values(cls.get_params(), args, kwargs)
        if cache is None:
            return instantiate(param_values)
        key = (cls, tuple(param_values))
        try:
            found = cache.get(key)
        except TypeError:  # unhashable parameter values: no instance cache, as in luigi
            return instantiate(param_values)
        if found is None:
            found = cache[key] = instantiate(param_values)
        return found

    def __setattr__(cls, name: str, value: Any) -> None:
        super().__setattr__(name, value)
        if isinstance(value, luigi.Parameter):
            _generation[0] += 1

    def __delattr__(cls, name: str) -> None:
        super().__delattr__(name)
        _generation[0] += 1


class ClassParams:
    """Per-class cache: the ordered parameter list and what luigi needs to know about each parameter."""

    __slots__ = (
        'generation',
        'params',
        'by_name',
        'has_config_path',
        'defaults',
        'defaults_key',
        'task_params',
        'task_list_params',
        'serializers',
        'id_params',
        'final_defaults',
        'unset_defaults',
    )

    def __init__(self, cls: type) -> None:
        params = []
        for name in dir(cls):
            value = getattr(cls, name)
            if isinstance(value, luigi.Parameter):
                params.append((name, value))
        params.sort(key=lambda item: item[1]._counter)
        self.generation = _generation[0]
        self.params = params
        self.by_name = dict(params)
        self.has_config_path = any(p._config_path for _, p in params)
        from gokart.parameter import ListTaskInstanceParameter, TaskInstanceParameter

        self.task_params = [name for name, p in params if isinstance(p, TaskInstanceParameter)]
        self.task_list_params = [name for name, p in params if isinstance(p, ListTaskInstanceParameter)]
        self.serializers = {name: _fast_serializer(p) for name, p in params}
        self.id_params = [
            (name, p, self.serializers[name]) for name, p in params if p.significant and p.visibility != _PRIVATE
        ]
        self.defaults: dict[str, Any] | None = None
        # defaults as get_param_values returns them, and the names that have none (or failed to parse)
        self.final_defaults: dict[str, Any] = {}
        self.unset_defaults: frozenset[str] = frozenset()
        self.defaults_key: tuple[Any, ...] | None = None


def _fast_serializer(param: Any) -> Any:
    """An equivalent of param.serialize that skips luigi's per-call overhead, for luigi's own classes."""
    from gokart._unique_id import serialize_json

    method = type(param).serialize
    if method is luigi.Parameter.serialize:
        return str
    if method in (luigi.ListParameter.serialize, luigi.DictParameter.serialize):
        return serialize_json
    return param.serialize


def class_params(cls: type) -> ClassParams:
    cache = cls.__dict__.get('_kart_class_params')
    if cache is None or cache.generation != _generation[0]:
        cache = ClassParams(cls)
        type.__setattr__(cls, '_kart_class_params', cache)
    return cache


def _defaults_key(family: str) -> tuple[Any, ...] | None:
    """A key under which the resolved defaults of `family` stay valid, or None when they must be recomputed.

    Defaults can only be overridden by the active command line (fixed for the life of its parser instance)
    or by a config section named after the family; when no such section exists they are the plain defaults.
    """
    conf = luigi.configuration.get_config()
    sections = getattr(conf, '_sections', None)
    if sections is None or getattr(conf, '_defaults', None) or family in sections:
        return None
    return (conf, luigi.cmdline_parser.CmdlineParser.get_instance())


# Marks a default whose resolution failed: the error is raised (afresh) only by a construction that needs
# that default, as luigi resolves defaults only for parameters not given explicitly.
_FAILED = object()


def _resolve_defaults(cls: Any, cache: ClassParams, family: str) -> dict[str, Any]:
    resolved: dict[str, Any] = {}
    for name, param in cache.params:
        try:
            value = param._get_value(family, name)
            resolved[name] = _NO_VALUE if value is _NO_VALUE else param.normalize(value)
        except Exception:
            resolved[name] = _FAILED
    return resolved


def _resolve_failed_default(param: Any, family: str, name: str, exc_desc: str) -> Any:
    """Redo luigi's resolution of a default that failed, so it raises luigi's exception and message."""
    try:
        value = param._get_value(family, name)
    except Exception as exc:
        raise ValueError(f"{exc_desc}: Error when parsing the default value of '{name}'") from exc
    return _NO_VALUE if value is _NO_VALUE else param.normalize(value)


def _list_to_tuple(value: Any) -> Any:
    return tuple(value) if isinstance(value, (list, set)) else value


def get_param_values(
    cls: Any, params: list[tuple[str, Any]], args: tuple[Any, ...], kwargs: dict[str, Any]
) -> list[tuple[str, Any]]:
    """luigi.Task.get_param_values with cached lookups; same results, same exceptions and messages."""
    cache = class_params(cls)
    family = cls.get_task_family()
    key = None if cache.has_config_path else _defaults_key(family)
    if key is None:
        return luigi.Task.get_param_values.__func__(cls, params, args, kwargs)

    params_dict = cache.by_name if params is cache.params else dict(params)
    result: dict[str, Any] = {}
    if args:
        positional = [(n, p) for n, p in params if p.positional]
        for i, arg in enumerate(args):
            if i >= len(positional):
                raise UnknownParameterException(
                    f'{family}[args={args}, kwargs={kwargs}]: takes at most {len(positional)} parameters ({len(args)} given)'
                )
            name, param = positional[i]
            result[name] = param.normalize(arg)
    for name, arg in kwargs.items():
        if name in result:
            raise luigi.parameter.DuplicateParameterException(
                f'{family}[args={args}, kwargs={kwargs}]: parameter {name} was already set as a positional parameter'
            )
        param = params_dict.get(name)
        if param is None:
            raise UnknownParameterException(f'{family}[args={args}, kwargs={kwargs}]: unknown parameter {name}')
        result[name] = param.normalize(arg)

    if len(result) < len(params):
        if (
            cache.defaults is None
            or cache.defaults_key is None
            or cache.defaults_key[0] is not key[0]
            or cache.defaults_key[1] is not key[1]
        ):
            cache.defaults = _resolve_defaults(cls, cache, family)
            cache.defaults_key = key
            cache.final_defaults = {name: _list_to_tuple(value) for name, value in cache.defaults.items()}
            cache.unset_defaults = frozenset(
                name for name, value in cache.defaults.items() if value is _NO_VALUE or value is _FAILED
            )
        if params is cache.params and cache.unset_defaults.issubset(result):
            # The common case (instance-cache lookups in requires()): defaults merged without a Python loop.
            merged = dict(cache.final_defaults)
            for name, value in result.items():
                merged[name] = _list_to_tuple(value)
            return list(merged.items())
        defaults = cache.defaults
        for name, _ in params:
            if name not in result:
                value = defaults.get(name, _NO_VALUE)
                if value is _FAILED:
                    value = _resolve_failed_default(
                        params_dict[name], family, name, f'{family}[args={args}, kwargs={kwargs}]'
                    )
                if value is _NO_VALUE:
                    raise MissingParameterException(
                        f"{family}[args={args}, kwargs={kwargs}]: requires the '{name}' parameter to be set"
                    )
                result[name] = value
    return [(name, _list_to_tuple(result[name])) for name, _ in params]


def _naming_parameter(exc: Exception, message: str) -> Exception:
    """The same exception type with a message that names the task and parameter, when the type allows it."""
    try:
        return type(exc)(message)
    except Exception:
        return exc


class StrParams:
    """Serialized parameter values of one instance, each computed at most once (ids, task_id, repr share them)."""

    __slots__ = ('task', 'values', 'views', 'serializers')

    def __init__(self, task: Any) -> None:
        self.task = task
        self.serializers = class_params(type(task)).serializers
        self.values: dict[str, str] = {}
        self.views: dict[tuple[bool, bool], dict[str, str]] = {}

    def has_task_values(self) -> bool:
        return bool(_task_valued_children(self.task))

    def serialized(self, name: str, param: Any) -> str:
        value = self.values.get(name)
        if value is None:
            raw = self.task.param_kwargs[name]
            serializer = self.serializers.get(name) or param.serialize
            try:
                value = serializer(raw)
            except (TypeError, ValueError) as exc:
                raise _naming_parameter(
                    exc,
                    f'{self.task.get_task_family()}: parameter {name!r} with value {raw!r} cannot be serialized: {exc}',
                ) from exc
            self.values[name] = value
        return value

    def view(self, only_significant: bool, only_public: bool) -> dict[str, str]:
        key = (only_significant, only_public)
        view = self.views.get(key)
        if view is None and self.has_task_values():
            bottom_up(self.task, _has_full_view, _make_full_view)
            view = self.views.get(key)
        if view is None:
            by_name = class_params(type(self.task)).by_name
            view = {}
            for name in self.task.param_kwargs:
                param = by_name[name]
                if only_significant and not param.significant:
                    continue
                visibility = param.visibility
                if visibility == _PRIVATE or (only_public and visibility != _PUBLIC):
                    continue
                view[name] = self.serialized(name, param)
            self.views[key] = view
        return view


def str_params_of(task: Any) -> StrParams:
    cache = task.__dict__.get('_kart_str_params')
    if cache is None:
        cache = task.__dict__['_kart_str_params'] = StrParams(task)
    return cache


def _has_full_view(task: Any) -> bool:
    if not getattr(type(task), '_kart_memoized_params', False):
        return True  # a plain luigi task memoizes nothing, so there is nothing to prepare
    cache = task.__dict__.get('_kart_str_params')
    return cache is not None and (True, False) in cache.views


def _make_full_view(task: Any) -> None:
    # The id-relevant view: every significant non-private parameter, serialized once (a hot path).
    cache = str_params_of(task)
    values = cache.values
    raw_values = task.param_kwargs
    view = {}
    for name, param, serializer in class_params(type(task)).id_params:
        if name not in raw_values:
            continue
        text = values.get(name)
        if text is None:
            try:
                text = values[name] = serializer(raw_values[name])
            except (TypeError, ValueError):
                text = cache.serialized(name, param)  # raises, naming the task and parameter
        view[name] = text
    cache.views[(True, False)] = view


def warn_wrong_param_types(task: Any) -> None:
    by_name = class_params(type(task)).by_name
    for name, value in task.param_kwargs.items():
        by_name[name]._warn_on_wrong_param_type(name, value)


def add_configuration(cls: Any, kwargs: dict[str, Any], section: str, base: type) -> None:
    """Inject [section] keys naming a parameter of `base` or of `cls` itself (not of intermediate bases)."""
    config = luigi.configuration.get_config()
    if section not in config:
        return
    candidates = dict(base.__dict__)
    candidates.update(cls.__dict__)
    for key, value in dict(config[section]).items():
        if key not in kwargs and key in candidates:
            with warnings.catch_warnings():
                warnings.simplefilter('ignore', DeprecationWarning)
                kwargs[key] = candidates[key].parse(value)


def _task_valued_children(task: Any) -> list[Any]:
    """Task instances held by TaskInstanceParameter / ListTaskInstanceParameter values of `task`."""
    cache = class_params(type(task))
    if not cache.task_params and not cache.task_list_params:
        return []
    values = task.param_kwargs
    children = [values[name] for name in cache.task_params if isinstance(values.get(name), luigi.Task)]
    for name in cache.task_list_params:
        value = values.get(name)
        if isinstance(value, tuple):
            children.extend(v for v in value if isinstance(v, luigi.Task))
    return children


def bottom_up(root: Any, is_done: Any, compute: Any) -> None:
    """Run compute(task) on `root` and its task-valued parameters, children first, without recursion.

    Serializing a task parameter needs its child's serialized params, and so on down the chain; doing
    the children first keeps the call depth constant for chains of any length.
    """
    stack = [(root, False)]
    while stack:
        task, expanded = stack.pop()
        if is_done(task):
            continue
        if expanded:
            compute(task)
            continue
        stack.append((task, True))
        for child in _task_valued_children(task):
            if not is_done(child):
                stack.append((child, False))
