"""gokart's parameter classes (public module of gokart 1.12.2)."""

from __future__ import annotations

import bz2
import datetime
import json
import warnings
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

import luigi
from luigi import task_register
from typing_extensions import Self, TypedDict, Unpack

if TYPE_CHECKING:
    from gokart.task import TaskOnKart

__all__ = [
    'ExplicitBoolParameter',
    'ListTaskInstanceParameter',
    'ParameterKwargs',
    'Serializable',
    'SerializableParameter',
    'TASK_ON_KART_TYPE',
    'TaskInstanceParameter',
    'ZonedDateSecondParameter',
]

TASK_ON_KART_TYPE = TypeVar('TASK_ON_KART_TYPE', bound='TaskOnKart')  # type: ignore[misc]
_NO_VALUE = luigi.parameter._no_value


class ParameterKwargs(TypedDict, total=False):
    """The keywords of luigi.Parameter that gokart's task-valued parameters pass on (typing only)."""

    significant: bool
    description: str | None
    config_path: luigi.parameter.ConfigPath | None
    positional: bool
    always_in_help: bool
    batch_method: Callable[[Iterable[Any]], Any] | None
    visibility: luigi.parameter.ParameterVisibility


def _task_on_kart_class() -> type:
    from gokart.task import TaskOnKart

    return TaskOnKart


def serialize_task_instance(task: Any) -> str:
    """The string gokart hashes for a task-valued parameter: family plus bz2-hex of the child's params."""
    params = task.to_str_params(only_significant=True)
    packed = bz2.compress(json.dumps(params).encode()).hex()
    return json.dumps({'type': task.get_task_family(), 'params': packed})


def _instantiate(family: str, str_params: dict[str, Any]) -> Any:
    cls = task_register.Register.get_task_cls(family)
    known = dict(cls.get_params())
    kwargs = {}
    for name, value in str_params.items():
        param = known.get(name)
        if param is None:
            continue
        kwargs[name] = param._parse_list(value) if isinstance(value, list) else param.parse(value)
    return cls(**kwargs)


def parse_task_instance(value: Any) -> Any:
    """Inverse of serialize_task_instance; also takes {'type': family, 'params': {name: str}}."""
    if isinstance(value, dict):
        return _instantiate(value['type'], value['params'])
    decoded = json.loads(value)
    params = decoded['params']
    if isinstance(params, str):
        params = json.loads(bz2.decompress(bytes.fromhex(params)).decode())
    return _instantiate(decoded['type'], params)


class _TaskInstanceEncoder(json.JSONEncoder):
    """JSON encoder writing each luigi task as its TaskInstanceParameter string."""

    def default(self, o: Any) -> Any:
        if isinstance(o, luigi.Task):
            return serialize_task_instance(o)
        return super().default(o)


class TaskInstanceParameter(luigi.Parameter, Generic[TASK_ON_KART_TYPE]):
    """A parameter whose value is a task instance; its id feeds the owner's unique id."""

    if TYPE_CHECKING:
        # What type checkers see, as in gokart 1.12.2: the task type comes from expected_type and types default.
        def __init__(
            self,
            expected_type: type[TASK_ON_KART_TYPE] | None = None,
            default: TASK_ON_KART_TYPE | luigi.parameter._NoValueType = _NO_VALUE,
            **kwargs: Unpack[ParameterKwargs],
        ) -> None: ...

    def __init__(self, expected_type: type | None = None, *args: Any, **kwargs: Any) -> None:  # type: ignore[no-redef]
        if expected_type is None:
            self.expected_type: type = _task_on_kart_class()
        elif isinstance(expected_type, type):
            self.expected_type = expected_type
        else:
            raise TypeError(f'expected_type must be a type, not {type(expected_type)}')
        super().__init__(*args, **kwargs)

    def parse(self, s: Any) -> Any:
        return parse_task_instance(s)

    def serialize(self, x: Any) -> str:
        return serialize_task_instance(x)

    def _warn_on_wrong_param_type(self, param_name: str, param_value: Any) -> None:
        if not isinstance(param_value, self.expected_type):
            raise TypeError(f'{param_value} is not an instance of {self.expected_type}')


class ListTaskInstanceParameter(luigi.Parameter, Generic[TASK_ON_KART_TYPE]):
    """A parameter whose value is a sequence of task instances, stored as a tuple."""

    if TYPE_CHECKING:
        # What type checkers see, as in gokart 1.12.2: the task type comes from expected_elements_type.
        def __init__(
            self,
            expected_elements_type: type[TASK_ON_KART_TYPE] | None = None,
            default: list[TASK_ON_KART_TYPE] | luigi.parameter._NoValueType = _NO_VALUE,
            **kwargs: Unpack[ParameterKwargs],
        ) -> None: ...

    def __init__(self, expected_elements_type: type | None = None, *args: Any, **kwargs: Any) -> None:  # type: ignore[no-redef]
        if expected_elements_type is None:
            self.expected_elements_type: type = _task_on_kart_class()
        elif isinstance(expected_elements_type, type):
            self.expected_elements_type = expected_elements_type
        else:
            raise TypeError(f'expected_elements_type must be a type, not {type(expected_elements_type)}')
        super().__init__(*args, **kwargs)

    def normalize(self, x: Any) -> Any:
        return tuple(x) if isinstance(x, list) else x

    def parse(self, s: Any) -> Any:
        items = json.loads(s) if isinstance(s, str) else s
        return tuple(parse_task_instance(item) for item in items)

    def serialize(self, x: Any) -> str:
        return json.dumps([serialize_task_instance(task) for task in x])

    def _warn_on_wrong_param_type(self, param_name: str, param_value: Any) -> None:
        for element in param_value:
            if not isinstance(element, self.expected_elements_type):
                raise TypeError(f'{element} is not an instance of {self.expected_elements_type}')


class ExplicitBoolParameter(luigi.BoolParameter):
    """A bool parameter whose command-line flag needs a value (`--flag true`); it has no implicit default."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        luigi.Parameter.__init__(self, *args, **kwargs)

    @classmethod
    def _parser_kwargs(cls, param_name: Any, task_name: Any = None) -> Any:
        # luigi.BoolParameter's flag takes no value; a plain Parameter's does.
        return luigi.Parameter._parser_kwargs(param_name, task_name)


class Serializable(Protocol):
    def gokart_serialize(self) -> str: ...

    @classmethod
    def gokart_deserialize(cls, s: str) -> Self: ...


S = TypeVar('S', bound=Serializable)


class SerializableParameter(luigi.Parameter, Generic[S]):
    """A parameter for objects that define gokart_serialize() and the classmethod gokart_deserialize()."""

    def __init__(self, object_type: type[S], *args: Any, **kwargs: Any) -> None:
        self._object_type = object_type
        super().__init__(*args, **kwargs)

    def parse(self, s: str) -> S:
        return self._object_type.gokart_deserialize(s)

    def serialize(self, x: S) -> str:
        return x.gokart_serialize()


class ZonedDateSecondParameter(luigi.Parameter[datetime.datetime]):
    """A timezone-aware datetime at second precision, serialized as ISO 8601."""

    def parse(self, s: str) -> datetime.datetime:
        # fromisoformat of Python 3.10 does not read a trailing Z.
        value = datetime.datetime.fromisoformat(s[:-1] + '+00:00' if s.endswith('Z') else s)
        if value.tzinfo is None:
            warnings.warn(
                'The input does not have timezone information. Please consider using luigi.DateSecondParameter instead.',
                stacklevel=2,
            )
        return value

    def serialize(self, dt: datetime.datetime) -> str:
        return dt.isoformat()

    def normalize(self, dt: Any) -> Any:
        if isinstance(dt, datetime.datetime):
            return dt.replace(microsecond=0)
        return dt
