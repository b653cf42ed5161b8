"""Runs mypy with the plugin on small files.

A stub ``gokart`` package (found first through mypy_path) whose TaskOnKart is not a luigi.Task keeps these tests
independent of gokart.task and shows the plugin's own ``__init__``: for real luigi tasks, luigi 3.8's
``dataclass_transform`` replaces it afterwards, in gokart 1.12.2 as here.
"""

import re
import textwrap

import mypy.api
import pytest

STUB = {
    'gokart/__init__.py': """
        from gokart.task import TaskOnKart as TaskOnKart
        from gokart.parameter import (
            ExplicitBoolParameter as ExplicitBoolParameter,
            ListTaskInstanceParameter as ListTaskInstanceParameter,
            TaskInstanceParameter as TaskInstanceParameter,
        )
    """,
    'gokart/task.py': """
        from typing import Generic, TypeVar
        T = TypeVar('T')
        class TaskOnKart(Generic[T]):
            def __init__(self, **kwargs: object) -> None: ...
    """,
    'gokart/parameter.py': """
        from typing import Any
        import luigi
        class TaskInstanceParameter(luigi.Parameter[Any]):
            def __init__(self, expected_type: Any = None, **kwargs: Any) -> None: ...
        class ListTaskInstanceParameter(luigi.Parameter[Any]):
            def __init__(self, expected_elements_type: Any = None, **kwargs: Any) -> None: ...
        class ExplicitBoolParameter(luigi.BoolParameter): ...
    """,
}

TASKS = textwrap.dedent(
    """
    from enum import Enum
    import luigi
    import gokart

    class Color(Enum):
        red = 1

    class Base(gokart.TaskOnKart[int]):
        a = luigi.IntParameter(default=1)
        b: str = luigi.Parameter()

    class MyTask(Base):
        c = luigi.OptionalIntParameter(default=None)
        d = luigi.EnumParameter(enum=Color)
        e = luigi.ChoiceParameter(choices=[1, 2], var_type=int)
        f = gokart.TaskInstanceParameter()
        g = gokart.ListTaskInstanceParameter()
        h = luigi.DateParameter()
        i = luigi.ListParameter()
        j = gokart.ExplicitBoolParameter(default=True)
        k = luigi.EnumListParameter(enum=Color)
        l = luigi.PathParameter()
        m = luigi.DictParameter()
        n = luigi.TimeDeltaParameter()
        if True:
            o = luigi.FloatParameter()
        a = luigi.IntParameter(default=2)
        not_a_parameter = 3

    reveal_type(MyTask.__init__)
    """
)

INIT = (
    'def (self: main.MyTask, *, a: int =, b: str{req}, c: int | None =, d: main.Color{req}, e: int{req}, '
    'f: gokart.task.TaskOnKart[Any]{req}, g: list[gokart.task.TaskOnKart[Any]]{req}, h: datetime.date{req}, '
    'i: tuple[Any, ...]{req}, j: bool =, k: tuple[main.Color, ...]{req}, l: pathlib.Path{req}, '
    'm: dict[Any, Any]{req}, n: datetime.timedelta{req}, o: float{req})'
)


def run_mypy(tmp_path, source, *, stub=True, options=''):
    for name, text in STUB.items() if stub else []:
        path = tmp_path / 'stub' / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    config = tmp_path / 'pyproject.toml'
    mypy_path = f'mypy_path = "{tmp_path / "stub"}"' if stub else ''
    config.write_text(f'[tool.mypy]\nplugins = ["gokart.mypy"]\n{mypy_path}\n{textwrap.dedent(options)}\n')
    main = tmp_path / 'main.py'
    main.write_text(textwrap.dedent(source))
    out, err, _ = mypy.api.run([str(main), '--config-file', str(config), '--cache-dir', str(tmp_path / 'cache')])
    assert not err, err
    return [m.group(1) for m in re.finditer(r'^\S*main\.py:\d+: (.*)$', out, re.MULTILINE)]


def test_init_is_keyword_only_typed_from_parameters(tmp_path):
    lines = run_mypy(tmp_path, TASKS)
    assert lines == [f'note: Revealed type is "{INIT.format(req=" =")}"']


def test_argument_types_are_checked(tmp_path):
    lines = run_mypy(tmp_path, TASKS + "MyTask(a='x', d=1, f=1, i=1, o='x')\nMyTask(1)\n")
    assert lines[1:] == [
        'error: Argument "a" to "MyTask" has incompatible type "str"; expected "int"  [arg-type]',
        'error: Argument "d" to "MyTask" has incompatible type "int"; expected "Color"  [arg-type]',
        'error: Argument "f" to "MyTask" has incompatible type "int"; expected "TaskOnKart[Any]"  [arg-type]',
        'error: Argument "i" to "MyTask" has incompatible type "int"; expected "tuple[Any, ...]"  [arg-type]',
        'error: Argument "o" to "MyTask" has incompatible type "str"; expected "float"  [arg-type]',
        'error: Too many positional arguments for "MyTask"  [call-arg]',
    ]


def test_disallow_missing_parameters(tmp_path):
    lines = run_mypy(
        tmp_path,
        TASKS + 'MyTask(b="x", d=Color.red, e=1, g=[], h=None, i=(), k=(), l=None, m={}, n=None, o=1.0)\n',
        options='[tool.gokart-mypy]\ndisallow_missing_parameters = true',
    )
    assert lines[0] == f'note: Revealed type is "{INIT.format(req="")}"'
    assert lines[1:] == [
        'error: Missing named argument "f" for "MyTask"  [call-arg]',
        'error: Argument "h" to "MyTask" has incompatible type "None"; expected "date"  [arg-type]',
        'error: Argument "l" to "MyTask" has incompatible type "None"; expected "Path"  [arg-type]',
        'error: Argument "n" to "MyTask" has incompatible type "None"; expected "timedelta"  [arg-type]',
    ]


def test_non_boolean_option_is_rejected(tmp_path):
    with pytest.raises(ValueError, match='disallow_missing_parameters must be a boolean value'):
        run_mypy(tmp_path, 'x = 1\n', options='[tool.gokart-mypy]\ndisallow_missing_parameters = 1')


def test_positional_arguments_and_method_overrides_are_reported(tmp_path):
    source = """
        import luigi
        import gokart

        class A(gokart.TaskOnKart[int]):
            x = luigi.Parameter('pos')

        class B(A):
            def x(self) -> None: ...
    """
    lines = run_mypy(tmp_path, source)
    assert lines[0] == (
        'error: Positional arguments are not allowed for parameters when using the mypy plugin. Update your code to '
        "use named arguments, like luigi.Parameter(default='foo') instead of luigi.Parameter('foo')  [misc]"
    )
    assert lines[1] == 'error: TaskOnKart attribute may only be overridden by another attribute  [misc]'


def test_parameter_calls_are_typed_as_their_default_with_real_luigi_tasks(tmp_path):
    source = """
        import luigi

        class L(luigi.Task):
            x: int = luigi.IntParameter()
            y: int = luigi.IntParameter(default=1)
            z: int = luigi.Parameter(default='a')
            untyped = luigi.Parameter()

        L(x='a')
    """
    assert run_mypy(tmp_path, source, stub=False) == [
        'error: Incompatible types in assignment (expression has type "str", variable has type "int")  [assignment]',
        'error: Argument "x" to "L" has incompatible type "str"; expected "int"  [arg-type]',
    ]


def test_subclass_in_another_module_uses_cached_metadata(tmp_path):
    (tmp_path / 'stub').mkdir()
    (tmp_path / 'stub' / 'tasks_mod.py').write_text(TASKS.replace('reveal_type(MyTask.__init__)', ''))
    assert run_mypy(tmp_path, 'import tasks_mod\n') == []
    source = """
        import luigi
        from tasks_mod import MyTask

        class Sub(MyTask):
            z = luigi.IntParameter()

        reveal_type(Sub.__init__)
    """
    revealed = INIT.format(req=' =').replace('main.MyTask', 'main.Sub').replace('main.Color', 'tasks_mod.Color')
    assert run_mypy(tmp_path, source) == [f'note: Revealed type is "{revealed[:-1]}, z: int =)"']
