"""mypy plugin (``plugins = ["gokart.mypy"]``): keyword-only ``__init__`` for tasks, typed from their parameters.

Options live in pyproject.toml::

    [tool.gokart-mypy]
    disallow_missing_parameters = true   # parameters without default= become required keywords
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from mypy.nodes import EllipsisExpr, TypeInfo
from mypy.options import Options
from mypy.plugin import ClassDefContext, FunctionContext, Plugin
from mypy.types import AnyType, Type, TypeOfAny

from gokart._mypy.init_synthesis import synthesize_init
from gokart._mypy.parameters import PARAMETER_FULLNAME

__all__ = ['TaskOnKartPlugin', 'plugin']

_OPTION: Final = 'disallow_missing_parameters'
# `gokart.task.luigi.Task` is how mypy names luigi.Task seen through gokart.task when luigi ships no types
_LUIGI_TASK_NAMES: Final = frozenset({'gokart.task.luigi.Task', 'luigi.task.Task'})


@dataclass(frozen=True)
class PluginOptions:
    disallow_missing_parameters: bool = False

    @classmethod
    def from_config_file(cls, path: str | None) -> PluginOptions:
        if path is None:
            return cls()
        if not path.endswith('.toml'):
            warnings.warn('gokart mypy plugin can be configured by pyproject.toml', stacklevel=1)
            return cls()
        section = _load_toml(path).get('tool', {}).get('gokart-mypy', {})
        value = section.get(_OPTION, False)
        if not isinstance(value, bool):
            raise ValueError(f'{_OPTION} must be a boolean value')
        return cls(disallow_missing_parameters=value)


def _load_toml(path: str) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        try:
            import tomli as tomllib
        except ImportError:
            warnings.warn('install tomli to parse pyproject.toml under Python 3.10', stacklevel=1)
            return {}
    with open(path, 'rb') as f:
        return tomllib.load(f)


class TaskOnKartPlugin(Plugin):
    def __init__(self, options: Options) -> None:
        super().__init__(options)
        self._options = PluginOptions.from_config_file(options.config_file)

    def get_base_class_hook(self, fullname: str) -> Callable[[ClassDefContext], None] | None:
        if fullname in _LUIGI_TASK_NAMES or self._is_task_on_kart(fullname):
            return self._transform_task
        return None

    def get_function_hook(self, fullname: str) -> Callable[[FunctionContext], Type] | None:
        if PARAMETER_FULLNAME.match(fullname):
            return _parameter_call_type
        return None

    def _is_task_on_kart(self, fullname: str) -> bool:
        symbol = self.lookup_fully_qualified(fullname)
        return (
            symbol is not None
            and isinstance(symbol.node, TypeInfo)
            and any(base.fullname == 'gokart.task.TaskOnKart' for base in symbol.node.mro)
        )

    def _transform_task(self, ctx: ClassDefContext) -> None:
        synthesize_init(ctx.cls, ctx.api, self._options.disallow_missing_parameters)


def _parameter_call_type(ctx: FunctionContext) -> Type:
    """A parameter call evaluates to its ``default=`` type, so ``foo: int = luigi.IntParameter(default=1)`` checks.

    Without a default the call is ``Any``: the annotation alone then gives the attribute's type.
    """
    if 'default' in ctx.callee_arg_names:
        index = ctx.callee_arg_names.index('default')
        if ctx.args[index] and not isinstance(ctx.args[index][0], EllipsisExpr):
            return ctx.arg_types[index][0]
    return AnyType(TypeOfAny.unannotated)


def plugin(version: str) -> type[Plugin]:
    return TaskOnKartPlugin
