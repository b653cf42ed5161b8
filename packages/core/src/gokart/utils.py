"""Helpers shared by tasks and targets (public module of gokart 1.12.2)."""

from __future__ import annotations

import abc
from collections.abc import Callable, Iterable
from typing import IO, TYPE_CHECKING, Any, Literal, Protocol, TypeVar, Union, get_args, get_origin

import luigi

from gokart._lazy import LazyModule

if TYPE_CHECKING:
    import dill

    from gokart.task import TaskOnKart
else:
    dill = LazyModule('dill', globals(), 'dill')

__all__ = [
    'FileLike',
    'FlattenableItems',
    'add_config',
    'flatten',
    'get_dataframe_type_from_task',
    'load_dill_with_pandas_backward_compatibility',
    'map_flattenable_items',
]

T = TypeVar('T')
K = TypeVar('K')

# One type argument, the leaf type, as user annotations write it (FlattenableItems[TaskOnKart]); the containers
# are those of gokart 1.12.2's alias, so annotations check alike under both.
FlattenableItems = Union[
    T, list['FlattenableItems[T]'], tuple['FlattenableItems[T]', ...], dict[str, 'FlattenableItems[T]']
]


class FileLike(Protocol):
    def read(self, n: int) -> bytes: ...

    def readline(self) -> bytes: ...

    def seek(self, offset: int) -> None: ...

    def seekable(self) -> bool: ...


def add_config(file_path: str) -> None:
    """Add a luigi config file (.cfg/.conf/.ini, or .toml with LUIGI_CONFIG_PARSER=toml)."""
    # The parser is chosen by LUIGI_CONFIG_PARSER, as in gokart 1.12.2; a missing file fails the assert.
    assert luigi.configuration.add_config_path(file_path)


# How flatten() treats an item, by its type: a leaf, a mapping (its values), or another iterable. The Iterable
# check is a Python-level ABCMeta call; here it runs once per type instead of once per task and target. A
# type classifies the same while no ABC gains a registration (abc.get_cache_token(), on which ABCs key
# their own caches), for items whose __class__ is their type (a proxy's may differ: it is asked each time).
_LEAF, _MAPPING, _ITERABLE = 0, 1, 2
_kinds: dict[type, int] = {}
_kinds_token: list[object] = [abc.get_cache_token()]


def _classify(item: Any) -> int:
    if isinstance(item, dict):
        return _MAPPING
    if isinstance(item, str) or not isinstance(item, Iterable):
        return _LEAF
    return _ITERABLE


def _check_kinds_token() -> None:
    token = abc.get_cache_token()
    if token != _kinds_token[0]:
        _kinds.clear()
        _kinds_token[0] = token


def flatten(targets: FlattenableItems[T]) -> list[T]:
    """Leaves of a nested dict/list/tuple structure, in order; dict values in insertion order; str is a leaf."""
    return _flatten_reiterable(targets)[0]


def _flatten_reiterable(targets: FlattenableItems[T]) -> tuple[list[T], bool]:
    """flatten(), and whether flattening again gives the same leaves: only exact list/tuple/dict were walked
    (no generator or other iterable that a second walk could find exhausted or changed)."""
    if targets is None:
        return [], True
    _check_kinds_token()
    kinds = _kinds
    flat: list[Any] = []
    builtin_only = True
    stack: list[Any] = [targets]
    # Iterative depth-first walk: deep structures must not hit the recursion limit.
    while stack:
        item = stack.pop()
        if item is None:
            continue
        # Exact builtin containers first: requires() and output() return them.
        kind = type(item)
        if kind is list or kind is tuple:
            stack.extend(reversed(item))
            continue
        found = kinds.get(kind)
        if found is None or item.__class__ is not kind:
            found = _classify(item)
            if item.__class__ is kind:
                kinds[kind] = found
        if found == _LEAF:
            flat.append(item)
        elif found == _MAPPING:
            builtin_only = builtin_only and kind is dict
            stack.extend(reversed(list(item.values())))
        else:
            builtin_only = False
            stack.extend(reversed(list(item)))
            _check_kinds_token()  # iterating ran user code, which may have registered an ABC
    return flat, builtin_only


def map_flattenable_items(func: Callable[[T], K], items: FlattenableItems[T]) -> FlattenableItems[K]:
    """Apply func to every leaf, keeping the dict/tuple/list structure."""
    if type(items) is list:  # the common case, without the ABC check below (same result)
        mapped: list[FlattenableItems[K]] = []
        for item in items:
            kind = type(item)
            # a classified leaf (a task, a target) mapped here, without a call per item; the token is read
            # before each func() because func may register an ABC (see map_flattenable_items below)
            if _kinds.get(kind) == _LEAF and item.__class__ is kind and abc.get_cache_token() == _kinds_token[0]:
                mapped.append(func(item))  # type: ignore[arg-type]  # a leaf is a T
            else:
                mapped.append(map_flattenable_items(func, item))
        return mapped
    kind = type(items)
    # a leaf of a type flatten() has classified (tasks, targets): the checks below give the same answer
    if _kinds.get(kind) == _LEAF and items.__class__ is kind:
        _check_kinds_token()
        if _kinds.get(kind) == _LEAF:
            return func(items)  # type: ignore[arg-type]  # a leaf is a T
    if isinstance(items, dict):
        return {k: map_flattenable_items(func, v) for k, v in items.items()}
    if isinstance(items, tuple):
        return tuple(map_flattenable_items(func, i) for i in items)
    if isinstance(items, str):
        return func(items)
    if isinstance(items, Iterable):
        return [map_flattenable_items(func, i) for i in items]  # type: ignore[arg-type]  # items: the list case
    return func(items)


def load_dill_with_pandas_backward_compatibility(file: IO[bytes] | FileLike) -> Any:
    """Load a dill/pickle payload; pickles of pandas objects from older pandas need pd.read_pickle."""
    try:
        return dill.load(file)
    except Exception:
        import pandas as pd

        if not file.seekable():
            raise
        file.seek(0)
        return pd.read_pickle(file)


def get_dataframe_type_from_task(
    task: TaskOnKart[Any] | type[TaskOnKart[Any]],
) -> Literal['pandas', 'polars', 'polars-lazy']:
    """'pandas', 'polars' or 'polars-lazy': the DataFrame library named by the task's TaskOnKart[X] annotation."""
    from gokart.task import TaskOnKart

    cls = task if isinstance(task, type) else type(task)
    output_type = _resolve_task_output_type(cls, TaskOnKart)
    if output_type is None:
        return 'pandas'
    module = getattr(output_type, '__module__', '') or ''
    if 'polars' in module:
        return 'polars-lazy' if getattr(output_type, '__name__', '') == 'LazyFrame' else 'polars'
    return 'pandas'


def _resolve_type_var(type_arg: Any, substitutions: dict[TypeVar, Any]) -> Any:
    """Follow TypeVar bindings (T -> U -> pl.DataFrame) to what ``type_arg`` stands for; stops on a cycle."""
    seen: set[Any] = set()
    while isinstance(type_arg, TypeVar) and type_arg in substitutions and type_arg not in seen:
        seen.add(type_arg)
        type_arg = substitutions[type_arg]
    return type_arg


def _resolve_task_output_type(cls: type, base: type) -> Any:
    """Walk the MRO's generic bases to the argument X of TaskOnKart[X], resolving TypeVars bound on the way."""
    bindings: dict[Any, Any] = {}
    for klass in cls.__mro__:
        for orig in getattr(klass, '__orig_bases__', ()):
            origin = get_origin(orig)
            if origin is None:
                continue
            args = tuple(bindings.get(a, a) if isinstance(a, TypeVar) else a for a in get_args(orig))
            if origin is base:
                if args and not isinstance(args[0], TypeVar):
                    return args[0]
                return None
            params = getattr(origin, '__parameters__', ())
            for param, arg in zip(params, args, strict=False):  # a partially bound generic has fewer args
                bindings.setdefault(param, arg)
    return None
