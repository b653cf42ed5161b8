"""mypy plugin helpers: recognising luigi/gokart parameter calls and the Python type each one holds."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final

from mypy.nodes import CallExpr, Expression, MemberExpr, NameExpr, TypeInfo
from mypy.plugin import SemanticAnalyzerPluginInterface
from mypy.types import AnyType, Instance, NoneType, Type, TypeOfAny, UnionType

PARAMETER_FULLNAME: Final = re.compile(r'^(gokart|luigi)(\.parameter)?\.\w*Parameter$')

POSITIONAL_ARGUMENT_MESSAGE: Final = (
    'Positional arguments are not allowed for parameters when using the mypy plugin. '
    "Update your code to use named arguments, like luigi.Parameter(default='foo') instead of luigi.Parameter('foo')"
)

_TypeBuilder = Callable[[SemanticAnalyzerPluginInterface, dict[str, Expression]], 'Type | None']


def parameter_fullname(expr: Expression) -> str | None:
    """Fully qualified class name of ``expr`` when it is a call like ``luigi.IntParameter(...)``."""
    if not isinstance(expr, CallExpr):
        return None
    callee = expr.callee
    if isinstance(callee, MemberExpr) and callee.node is None and isinstance(callee.expr, NameExpr):
        # the module was not analysed (no stubs): fall back to the dotted text
        return f'{callee.expr.name}.{callee.name}'
    if isinstance(callee, (MemberExpr, NameExpr)) and isinstance(callee.node, TypeInfo):
        return callee.node.fullname
    return None


def is_parameter_call(expr: Expression) -> bool:
    name = parameter_fullname(expr)
    return name is not None and PARAMETER_FULLNAME.match(name) is not None


def keyword_arguments(expr: CallExpr) -> dict[str, Expression]:
    return {name: arg for name, arg in zip(expr.arg_names, expr.args, strict=False) if name is not None}


def has_positional_arguments(expr: CallExpr) -> bool:
    """Positional arguments cannot be mapped to ``default=`` etc. at this stage, so the plugin rejects them."""
    return any(name is None for name in expr.arg_names)


def _any() -> AnyType:
    return AnyType(TypeOfAny.unannotated)


def _named(fullname: str, *args: Callable[[], Type]) -> _TypeBuilder:
    return lambda api, _: api.named_type(fullname, [make() for make in args])


def _task_on_kart() -> Callable[[SemanticAnalyzerPluginInterface], Type]:
    return lambda api: api.named_type('gokart.task.TaskOnKart', [_any()])


def _class_argument(key: str, *, as_tuple: bool = False) -> _TypeBuilder:
    """Type named by a class-valued keyword argument, e.g. ``EnumParameter(enum=Color)``."""

    def build(api: SemanticAnalyzerPluginInterface, kwargs: dict[str, Expression]) -> Type | None:
        arg = kwargs.get(key)
        if not (isinstance(arg, NameExpr) and isinstance(arg.node, TypeInfo)):
            return None
        element = Instance(arg.node, [])
        return api.named_type('builtins.tuple', [element]) if as_tuple else element

    return build


def _builders() -> dict[str, _TypeBuilder]:
    table: dict[str, _TypeBuilder] = {}

    def add(names: str, builder: _TypeBuilder, prefix: str = 'luigi.parameter.') -> None:
        for name in names.split():
            table[prefix + name] = builder

    add('Parameter OptionalParameter', _named('builtins.str'))
    add('IntParameter OptionalIntParameter', _named('builtins.int'))
    add('FloatParameter OptionalFloatParameter', _named('builtins.float'))
    add('BoolParameter OptionalBoolParameter', _named('builtins.bool'))
    add('DateParameter MonthParameter YearParameter', _named('datetime.date'))
    add('DateHourParameter DateMinuteParameter DateSecondParameter', _named('datetime.datetime'))
    add('TimeDeltaParameter', _named('datetime.timedelta'))
    add('DictParameter OptionalDictParameter', _named('builtins.dict', _any, _any))
    add('ListParameter OptionalListParameter TupleParameter OptionalTupleParameter', _named('builtins.tuple', _any))
    add('PathParameter OptionalPathParameter', _named('pathlib.Path'))
    add('NumericalParameter ChoiceParameter', _class_argument('var_type'))
    add('ChoiceListParameter', _class_argument('var_type', as_tuple=True))
    add('EnumParameter', _class_argument('enum'))
    add('EnumListParameter', _class_argument('enum', as_tuple=True))
    add('ExplicitBoolParameter', _named('builtins.bool'), prefix='gokart.parameter.')
    add('TaskInstanceParameter', lambda api, _: _task_on_kart()(api), prefix='gokart.parameter.')
    add(
        'ListTaskInstanceParameter',
        lambda api, _: api.named_type('builtins.list', [_task_on_kart()(api)]),
        prefix='gokart.parameter.',
    )
    return table


_BUILDERS: Final = _builders()


def infer_parameter_type(expr: Expression, api: SemanticAnalyzerPluginInterface) -> Type | None:
    """The value type of an unannotated parameter, or None when the parameter class is unknown."""
    name = parameter_fullname(expr)
    builder = _BUILDERS.get(name) if name else None
    if name is None or builder is None:
        return None
    assert isinstance(expr, CallExpr)
    value_type = builder(api, keyword_arguments(expr))
    if value_type is not None and 'Optional' in name:
        return UnionType([value_type, NoneType()])
    return value_type
