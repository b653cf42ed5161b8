"""Parameter values of a new task: luigi's resolution (arguments, command line, config), with cached defaults.

luigi resolves every default through the command line and config on every construction. Here the resolved
defaults are cached per class while the config and command line that could override them are unchanged;
results, exceptions and messages are luigi's.
"""

from __future__ import annotations

import warnings
from typing import Any

import luigi
from luigi.parameter import MissingParameterException, UnknownParameterException

from gokart._kart import register as _register
from gokart._kart import session as _session
from gokart._kart.register import ClassParams, class_params

__all__ = ['add_configuration', 'get_param_values', 'remembered_values', 'warn_wrong_param_types']

_NO_VALUE = luigi.parameter._no_value  # type: ignore[attr-defined]


# (build session, luigi's get_config, the config it returned). luigi's get_config() reads the environment
# (LUIGI_CONFIG_PARSER, a KeyError raised and caught inside os.environ.get when unset) on every call, and
# a build asks for the config ~5 times per task it constructs. Within one build session the same
# get_config is asked once; a get_config patched meanwhile is called afresh, as is every call outside a
# session. (What the config holds is still read on every call: only the object is remembered.)
_session_config: tuple[Any, Any, Any] = (None, None, None)


def _config() -> Any:
    global _session_config
    session = _session.current()
    get_config = luigi.configuration.get_config
    if session is None:
        return get_config()
    memo = _session_config  # one read: builds in other threads replace the tuple whole
    if memo[0] is session and memo[1] is get_config:
        return memo[2]
    config = get_config()
    _session_config = (session, get_config, config)
    return config


def _defaults_key(family: str) -> tuple[Any, ...] | None:
    """A key under which the resolved defaults of `family` stay valid, or None when they must be recomputed.

    Defaults can only be overridden by the active command line (fixed for the life of its parser instance)
    or by a config section named after the family; when no such section exists they are the plain defaults.
    """
    conf = _config()
    if _config_may_override(conf, family):
        return None
    return (conf, luigi.cmdline_parser.CmdlineParser.get_instance())


def _config_may_override(conf: Any, family: str) -> bool:
    """`conf` may hold values for `family`'s parameters: a section of its name, config-wide defaults, or
    a config whose sections cannot be read."""
    sections = getattr(conf, '_sections', None)
    return sections is None or bool(getattr(conf, '_defaults', None)) or family in sections


# Marks a default whose resolution failed: the error is raised (afresh) only by a construction that needs
# that default, as luigi resolves defaults only for parameters not given explicitly.
_FAILED = object()


def _resolve_defaults(cache: ClassParams, family: str) -> dict[str, Any]:
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


def _refresh_defaults(cache: ClassParams, family: str, key: tuple[Any, ...]) -> None:
    if cache.defaults is not None and cache.defaults_key is not None:
        if cache.defaults_key[0] is key[0] and cache.defaults_key[1] is key[1]:
            return
    cache.defaults = _resolve_defaults(cache, family)
    cache.defaults_key = key
    cache.final_defaults = {name: _list_to_tuple(value) for name, value in cache.defaults.items()}
    cache.unset_defaults = frozenset(
        name for name, value in cache.defaults.items() if value is _NO_VALUE or value is _FAILED
    )


def get_param_values(
    cls: Any, params: list[tuple[str, Any]], args: tuple[Any, ...], kwargs: dict[str, Any]
) -> list[tuple[str, Any]]:
    """luigi.Task.get_param_values with cached lookups; same results, same exceptions and messages."""
    cache = class_params(cls)
    family = cls.get_task_family()
    key = None if cache.has_config_path else _defaults_key(family)
    if key is None:
        return luigi.Task.get_param_values.__func__(cls, params, args, kwargs)  # type: ignore[attr-defined]

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
        _refresh_defaults(cache, family, key)
        if params is cache.params and cache.unset_defaults.issubset(result):
            # The common case (instance-cache lookups in requires()): defaults merged without a Python loop.
            merged = dict(cache.final_defaults)
            for name, value in result.items():
                merged[name] = _list_to_tuple(value)
            return list(merged.items())
        defaults = cache.defaults or {}
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


_BASE_WARNING = luigi.Parameter._warn_on_wrong_param_type


def _may_warn(param: Any) -> bool:
    # luigi's base check returns at once for any class but Parameter itself: those are not called
    return (
        type(param)._warn_on_wrong_param_type is not _BASE_WARNING
        or param.__class__ is luigi.Parameter
        or '_warn_on_wrong_param_type' in vars(param)
    )


def warn_wrong_param_types(task: Any) -> None:
    table = class_params(type(task))
    by_name = table.by_name
    warned = table.warned
    if warned is None:
        warned = table.warned = frozenset(name for name, param in table.params if _may_warn(param))
    for name, value in task.param_kwargs.items():
        if name in warned:
            by_name[name]._warn_on_wrong_param_type(name, value)


def add_configuration(cls: Any, kwargs: dict[str, Any], section: str, base: type) -> None:
    """Inject [section] keys naming a parameter of `base` or of `cls` itself (not of intermediate bases)."""
    config = _config()
    if section not in config:
        return
    candidates = dict(base.__dict__)
    candidates.update(cls.__dict__)
    for key, value in dict(config[section]).items():
        if key not in kwargs and key in candidates:
            with warnings.catch_warnings():
                warnings.simplefilter('ignore', DeprecationWarning)
                kwargs[key] = candidates[key].parse(value)


# normalize() of luigi's and gokart's parameter classes: a pure function of the value
_PURE_NORMALIZE_MODULES = frozenset({'luigi.parameter', 'gokart.parameter'})


def _memo_able(cls: Any, table: ClassParams) -> bool:
    if table.memo_able is None:
        table.memo_able = not table.has_config_path and all(
            type(param).normalize.__module__ in _PURE_NORMALIZE_MODULES for _, param in table.params
        )
    return table.memo_able


def remembered_values(cls: Any, kwargs: dict[str, Any], instance_cache: Any) -> tuple[tuple[str, Any], ...] | None:
    """get_param_values(cls, cls.get_params(), (), kwargs) as a tuple, resolved once per keyword arguments
    (their names, types and values) while luigi's instance cache, the config and the command line stay
    the same; None where that cannot be known (user get_param_values or normalize(), config paths,
    unhashable values). luigi's instance cache keeps every task anyway: the memo costs no more.

    Every instance-cache hit of requires() comes through here (~2.5 per task of a DAG), so class_params()
    and _config() are inlined: the same checks, in the same order, with fewer calls."""
    root = _register.KartRegister.root
    if (
        cls.get_param_values.__func__ is not root.get_param_values.__func__
        or cls.get_params.__func__ is not root.get_params.__func__
    ):
        return None
    table = cls.__dict__.get('_kart_class_params')
    if table is None or table.generation != _register._generation[0]:
        table = class_params(cls)
    memo_able = table.memo_able
    if memo_able is None:
        memo_able = _memo_able(cls, table)
    if not memo_able:
        return None
    memo = _session_config  # _config(), inlined for the session's remembered config
    session = _session._local.session
    if session is not None and memo[0] is session and memo[1] is luigi.configuration.get_config:
        conf = memo[2]
    else:
        conf = _config()
    if _config_may_override(conf, cls.get_task_family()):  # _defaults_key(), with the config found above
        return None
    parser = luigi.cmdline_parser.CmdlineParser.get_instance()
    token = table.memo_token
    if token is None or token[0] is not instance_cache or token[1] is not conf or token[2] is not parser:
        table.memo = {}
        table.memo_token = (instance_cache, conf, parser)
    memo = table.memo
    values = kwargs.values()
    try:
        given = tuple(zip(kwargs, map(type, values), values, strict=True))  # (name, type, value) per keyword argument
        found = memo.get(given)
    except TypeError:  # an unhashable value
        return None
    if found is None:
        found = tuple(get_param_values(cls, table.params, (), kwargs))
        try:
            hash(found)
        except TypeError:
            return None
        memo[given] = found
    return found


_register.set_values_memo(remembered_values)
