"""The TaskOnKart metaclass and the per-class parameter table.

luigi rescans dir(cls) for every get_params() call; on pipelines of 10^4-10^5 tasks that dominates.
Here the parameter list and what luigi needs to know about each parameter are computed once per class,
and rebuilt only when a Parameter is set on or deleted from a task class.
"""

from __future__ import annotations

from typing import Any

import luigi

from gokart._kart.redefine import forget_redefined
from gokart._kart.state import KartState
from gokart.parameter import ListTaskInstanceParameter, TaskInstanceParameter

__all__ = ['ClassParams', 'KartRegister', 'class_params', 'init_params', 'is_kart', 'is_kart_type', 'plain_luigi_init']

# Bumped whenever a Parameter is set on or deleted from any task class, so cached tables are rebuilt.
_generation = [0]
# gokart._kart.resolve.remembered_values, installed by that module (it sits above this one)
_values_memo: Any = None


def set_values_memo(memo: Any) -> None:
    global _values_memo
    _values_memo = memo


class KartRegister(luigi.task_register.Register):
    """luigi's task metaclass, plus a per-instance KartState and invalidation of the class tables.

    Construction resolves the parameter values once: luigi's metaclass resolves them for its instance-cache
    key and Task.__init__ resolves them again; here __init__ receives them through the new KartState.
    """

    # The first class made by this metaclass: TaskOnKart itself (set when gokart.task defines it).
    root: Any = None

    def __init__(cls, name: str, bases: tuple[type, ...], namespace: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(name, bases, namespace, **kwargs)
        if KartRegister.root is None:
            KartRegister.root = cls
        forget_redefined(cls)

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        cache = cls._Register__instance_cache  # type: ignore[attr-defined]  # luigi's (name-mangled) instance cache
        # requires() asks for the same tasks again and again: values resolved once per keyword arguments
        remembered = None if cache is None or args or _values_memo is None else _values_memo(cls, kwargs, cache)
        param_values: Any = None
        if remembered is not None:  # the hit of requires(): the remembered tuple is the key, no list of values
            key: tuple[Any, ...] | None = (cls, remembered)
        else:
            param_values = cls.get_param_values(cls.get_params(), args, kwargs)  # type: ignore[attr-defined]
            if cache is None:
                return _instantiate(cls, param_values, args, kwargs)
            key = (cls, tuple(param_values))
        try:
            found = cache.get(key)
        except TypeError:  # unhashable parameter values: no instance cache, as in luigi
            found, key = None, None
        if found is None:
            found = _instantiate(cls, param_values if remembered is None else list(remembered), args, kwargs)
            if key is not None:
                cache[key] = found
        return found

    def __setattr__(cls, name: str, value: Any) -> None:
        super().__setattr__(name, value)
        if isinstance(value, luigi.Parameter):
            _generation[0] += 1

    def __delattr__(cls, name: str) -> None:
        super().__delattr__(name)
        _generation[0] += 1


def _instantiate(cls: Any, param_values: list[tuple[str, Any]], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    task = cls.__new__(cls)  # object.__new__ via the class, as luigi
    task.__dict__['_kart'] = KartState(param_values)
    if isinstance(task, cls):
        task.__init__(*args, **kwargs)
    return task


def is_kart_type(cls: type) -> bool:
    """Is `cls` a TaskOnKart subclass? Asked of the metaclass: no import of gokart.task, no ABC machinery."""
    return isinstance(cls, KartRegister)


def is_kart(value: object) -> bool:
    return isinstance(type(value), KartRegister)


class ClassParams:
    """Per-class table: the ordered parameter list and what luigi needs to know about each parameter.

    `serializers`/`id_params` are filled by gokart._kart.identity on first use; the resolved defaults
    by gokart._kart.resolve.
    """

    __slots__ = (
        'generation',
        'params',
        'by_name',
        'has_config_path',
        'task_params',
        'task_list_params',
        'serializers',
        'id_params',
        'id_params_public',
        'defaults',
        'defaults_key',
        'final_defaults',
        'unset_defaults',
        'memo',
        'memo_token',
        'memo_able',
        'warned',
        'plain_set',
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
        self.task_params = [name for name, p in params if isinstance(p, TaskInstanceParameter)]
        self.task_list_params = [name for name, p in params if isinstance(p, ListTaskInstanceParameter)]
        self.serializers: dict[str, Any] | None = None
        self.id_params: list[tuple[str, Any, Any]] | None = None
        # every id parameter public: to_str_params(True, True) is to_str_params(True, False) (identity)
        self.id_params_public: bool | None = None
        self.defaults: dict[str, Any] | None = None
        self.defaults_key: tuple[Any, ...] | None = None
        # defaults as get_param_values returns them, and the names that have none (or failed to parse)
        self.final_defaults: dict[str, Any] = {}
        self.unset_defaults: frozenset[str] = frozenset()
        # gokart._kart.resolve.remembered_values: keyword arguments -> resolved values, valid under memo_token
        self.memo: dict[Any, tuple[tuple[str, Any], ...]] = {}
        self.memo_token: tuple[Any, ...] | None = None
        self.memo_able: bool | None = None
        # gokart._kart.resolve.warn_wrong_param_types: the parameters whose type check can warn
        self.warned: frozenset[str] | None = None
        # init_params: True when setattr() of every parameter only stores the value under its name
        self.plain_set: bool | None = None

    def __reduce__(self) -> tuple[Any, tuple[()]]:
        # A class pickled by value (cloudpickle: __main__ and notebook classes sent to Dask workers) carries
        # its __dict__: the table travels as an empty one, rebuilt where it is used. Pickled whole, its memo
        # token would take luigi's instance cache along, every task in it rebuilt before the class is whole.
        return (_stale_table, ())


class _StaleTable:
    """What an unpickled ClassParams becomes: class_params() sees another generation and builds the table."""

    __slots__ = ()
    generation = -1


def _stale_table() -> Any:
    return _StaleTable()


def class_params(cls: type) -> ClassParams:
    cache = cls.__dict__.get('_kart_class_params')
    if cache is None or cache.generation != _generation[0]:
        cache = ClassParams(cls)
        type.__setattr__(cls, '_kart_class_params', cache)
    return cache


_plain_init_by_class: dict[type, bool] = {}


def plain_luigi_init(cls: type) -> bool:
    """True when nothing between TaskOnKart and luigi.Task in the MRO defines its own __init__."""
    found = _plain_init_by_class.get(cls)
    if found is None:
        mro = cls.__mro__
        between = mro[mro.index(KartRegister.root) + 1 : mro.index(luigi.Task)]
        found = _plain_init_by_class[cls] = not any('__init__' in klass.__dict__ for klass in between)
    return found


# luigi's classes whose __get__/__set__ are Parameter's (OptionalParameterMixin's only call super())
_PLAIN_DESCRIPTOR_CLASSES = (luigi.Parameter, luigi.parameter.OptionalParameterMixin)


def _stores_plainly(name: str, param: Any) -> bool:
    """Is setattr(task, name, value) exactly task.__dict__[name] = value? (luigi's own descriptor methods)"""
    for klass in type(param).__mro__:
        if ('__set__' in klass.__dict__ or '__get__' in klass.__dict__) and klass not in _PLAIN_DESCRIPTOR_CLASSES:
            return False
    return param._attribute_name == name


def init_params(task: Any, args: tuple[Any, ...], kwargs: dict[str, Any], param_values: Any = None) -> None:
    """luigi.Task.__init__ minus the eager task_id and hash; `param_values` if the metaclass resolved them."""
    if param_values is None:
        param_values = task.get_param_values(task.get_params(), args, kwargs)
    values = dict(param_values)
    table = class_params(type(task))
    if table.plain_set is None:
        table.plain_set = all(_stores_plainly(name, param) for name, param in table.params)
    if table.plain_set and type(task).__setattr__ is object.__setattr__ and values.keys() <= table.by_name.keys():
        # what the setattr() loop below does (luigi's Parameter.__set__ stores into the instance dict),
        # without a Python-level descriptor call per parameter; same keys, same order
        task.__dict__.update(values)
    else:
        for key, value in param_values:
            setattr(task, key, value)
    task.param_kwargs = values
    task._warn_on_wrong_param_types()
    task.set_tracking_url = None
    task.set_status_message = None
    task.set_progress_percentage = None


def rebuild(cls: type, param_kwargs: dict[str, Any]) -> Any:
    """A task unpickled: constructed again from its parameter values (TaskOnKart.__reduce__)."""
    return cls(**param_kwargs)


def task_valued_children(task: Any) -> list[Any]:
    """Task instances held by TaskInstanceParameter / ListTaskInstanceParameter values of `task`."""
    if not is_kart(task):
        return []
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
