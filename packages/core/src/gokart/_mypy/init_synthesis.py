"""mypy plugin helpers: collect a task's parameters (own and inherited) and synthesise its ``__init__``."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Final

from mypy.nodes import (
    ARG_NAMED,
    ARG_NAMED_OPT,
    Argument,
    AssignmentStmt,
    Block,
    CallExpr,
    ClassDef,
    EllipsisExpr,
    IfStmt,
    NameExpr,
    TypeInfo,
    Var,
)
from mypy.plugin import SemanticAnalyzerPluginInterface
from mypy.plugins.common import add_method_to_class, deserialize_and_fixup_type
from mypy.server.trigger import make_wildcard_trigger
from mypy.state import state
from mypy.typeops import map_type_from_supertype
from mypy.types import NoneType, Type

from gokart._mypy.parameters import (
    POSITIONAL_ARGUMENT_MESSAGE,
    has_positional_arguments,
    infer_parameter_type,
    is_parameter_call,
    keyword_arguments,
)

METADATA_KEY: Final = 'task_on_kart'
OVERRIDE_MESSAGE: Final = 'TaskOnKart attribute may only be overridden by another attribute'


@dataclass
class TaskParameter:
    """One keyword of the synthesised ``__init__``; stored in the class metadata for subclasses (and caches)."""

    name: str
    has_default: bool
    line: int
    column: int
    type: Type

    def serialize(self) -> dict[str, Any]:
        return {
            'name': self.name,
            'has_default': self.has_default,
            'line': self.line,
            'column': self.column,
            'type': self.type.serialize(),
        }

    @classmethod
    def deserialize(cls, data: dict[str, Any], api: SemanticAnalyzerPluginInterface) -> TaskParameter:
        fields = dict(data)
        return cls(type=deserialize_and_fixup_type(fields.pop('type'), api), **fields)


def _assignments(block: Block) -> Iterator[AssignmentStmt]:
    """Assignments of a class body, including those inside reachable ``if``/``else`` branches."""
    for stmt in block.body:
        if isinstance(stmt, AssignmentStmt):
            yield stmt
        elif isinstance(stmt, IfStmt):
            branches = [*stmt.body, *([stmt.else_body] if stmt.else_body is not None else [])]
            for branch in branches:
                if not branch.is_unreachable:
                    yield from _assignments(branch)


class TaskInitSynthesizer:
    def __init__(self, cls: ClassDef, api: SemanticAnalyzerPluginInterface, disallow_missing_parameters: bool) -> None:
        self._cls = cls
        self._api = api
        self._required_without_default = disallow_missing_parameters

    def apply(self) -> None:
        info = self._cls.info
        parameters = self._collect()
        if parameters is None:
            return
        init = info.names.get('__init__')
        # a hand-written __init__ (e.g. TaskOnKart's own) is left alone; an empty list means nothing to add
        if parameters and (init is None or init.plugin_generated):
            add_method_to_class(
                self._api, self._cls, '__init__', args=[self._argument(p) for p in parameters], return_type=NoneType()
            )
        info.metadata[METADATA_KEY] = {'attributes': [p.serialize() for p in parameters]}

    def _argument(self, parameter: TaskParameter) -> Argument:
        required = self._required_without_default and not parameter.has_default
        return Argument(
            variable=Var(parameter.name, parameter.type),
            type_annotation=parameter.type,
            initializer=EllipsisExpr() if parameter.has_default else None,  # only read by stubgen
            kind=ARG_NAMED if required else ARG_NAMED_OPT,
        )

    def _collect(self) -> list[TaskParameter] | None:
        """Parents first (in MRO order, so overrides keep the parent's slot); None if a type is not ready yet."""
        info = self._cls.info
        found: dict[str, TaskParameter] = {}
        for base in reversed(info.mro[1:-1]):
            if METADATA_KEY not in base.metadata:
                continue
            self._api.add_plugin_dependency(make_wildcard_trigger(base.fullname))
            for data in base.metadata[METADATA_KEY]['attributes']:
                parameter = TaskParameter.deserialize(data, self._api)
                parameter.type = self._as_seen_from(info, base, parameter.type)
                found[parameter.name] = parameter
                own = info.names.get(parameter.name)
                if own is not None and own.node is not None and not isinstance(own.node, Var):
                    self._api.fail(OVERRIDE_MESSAGE, own.node)

        for stmt in _assignments(self._cls.defs):
            declared = self._own_parameter(info, stmt)
            if declared is not None:
                found[declared.name] = declared
        if any(p.type is None for p in found.values()):
            return None
        return list(found.values())

    def _own_parameter(self, info: TypeInfo, stmt: AssignmentStmt) -> TaskParameter | None:
        target, call = stmt.lvalues[0], stmt.rvalue
        if not is_parameter_call(call) or not isinstance(target, NameExpr):
            return None
        assert isinstance(call, CallExpr)
        symbol = info.names.get(target.name)
        if symbol is None or not isinstance(symbol.node, Var):
            return None  # an earlier semantic error; mypy reports it
        if has_positional_arguments(call):
            self._api.fail(POSITIONAL_ARGUMENT_MESSAGE, call)
        has_default = 'default' in keyword_arguments(call)
        if not has_default:
            # the value is set on the instance by __init__, not by the class body
            symbol.implicit = True
        with state.strict_optional_set(self._api.options.strict_optional):
            value_type = symbol.type
        if value_type is None:
            value_type = infer_parameter_type(call, self._api)
        return TaskParameter(target.name, has_default, stmt.line, stmt.column, value_type)  # type: ignore[arg-type]

    def _as_seen_from(self, sub: TypeInfo, base: TypeInfo, value_type: Type) -> Type:
        """Bind the base's type variables as the subclass binds them (generic task bases)."""
        with state.strict_optional_set(self._api.options.strict_optional):
            return map_type_from_supertype(value_type, sub, base)


def synthesize_init(cls: ClassDef, api: SemanticAnalyzerPluginInterface, disallow_missing_parameters: bool) -> None:
    TaskInitSynthesizer(cls, api, disallow_missing_parameters).apply()
