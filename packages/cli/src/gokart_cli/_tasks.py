"""From a TARGET and luigi flags to a task instance, turning user mistakes into CliError.

A TARGET is `path/to/file.py:Task`, `package.module:Task`, or a task name (luigi's namespaced family, or a
class name) of a module given with `-m`. A file is imported as the module named after its stem, with its
folder first on sys.path, so its outputs go to `resources/<stem>/` (under `python file.py` they go to
`resources/__main__/`).

Parsing goes through luigi's own CmdlineParser so that every luigi/gokart flag, config file and
`--Task-param` form means exactly what it means under `gokart.run`.
"""

from __future__ import annotations

import contextlib
import difflib
import importlib
import io
import os
import sys
from collections.abc import Iterator, Sequence
from types import ModuleType
from typing import Any

import luigi
import luigi.cmdline_parser
import luigi.parameter
import luigi.task_register
from luigi.task_register import Register

from ._errors import CliError

__all__ = [
    'add_configs',
    'import_modules',
    'luigi_argv',
    'luigi_command_line',
    'make_task',
    'resolve_target',
    'task_class',
]


def _looks_like_file(name: str) -> bool:
    return name.endswith('.py') or '/' in name or os.sep in name


def _import_file(path: str) -> ModuleType:
    """Import `dir/stem.py` as the module `stem`, with `dir` first on sys.path (as `python dir/stem.py` has)."""
    if not os.path.isfile(path):
        raise CliError(f'file {path!r} not found')
    if not path.endswith('.py'):
        raise CliError(f'{path!r} is not a Python file (*.py)')
    folder, filename = os.path.split(os.path.abspath(path))
    stem = filename[:-3]
    if not stem.isidentifier():
        raise CliError(f'{path!r}: {stem!r} is not a valid module name (rename the file)')
    loaded = sys.modules.get(stem)
    if loaded is not None:
        existing = getattr(loaded, '__file__', None)
        if existing is None or os.path.abspath(existing) != os.path.join(folder, filename):
            raise CliError(f'{path!r}: a different module named {stem!r} is already imported ({existing})')
        return loaded
    if folder not in sys.path:
        sys.path.insert(0, folder)
    return _import(stem, shown=path)


def _import(name: str, shown: str | None = None) -> ModuleType:
    shown = shown or name
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as e:
        if e.name is not None and (name == e.name or name.startswith(e.name + '.')):
            raise CliError(f'module {shown!r} not found (is it on PYTHONPATH?)') from e
        raise CliError(f'cannot import module {shown!r}: {e}') from e
    except (ImportError, SyntaxError) as e:
        raise CliError(f'cannot import module {shown!r}: {type(e).__name__}: {e}') from e
    except Exception as e:  # the module's own code raised
        raise CliError(f'cannot import module {shown!r}: {type(e).__name__}: {e}') from e


def _cwd_importable() -> None:
    # As under `python -m`: a console script's sys.path starts with the venv's bin directory instead, and
    # `gokart run -m mypkg.tasks` from the project root must work.
    cwd = os.getcwd()
    if cwd not in sys.path and '' not in sys.path:
        sys.path.insert(0, cwd)


def import_modules(names: Sequence[str]) -> list[ModuleType]:
    """Import the modules (or files) that define the tasks, so that their classes register with luigi."""
    if names:
        _cwd_importable()
    modules = []
    for name in names:
        if _looks_like_file(name):
            if not os.path.isfile(name) and name.endswith('.py') and '/' not in name:
                raise CliError(f'module {name!r} not found: no such file; a module is named without .py')
            modules.append(_import_file(name))
        else:
            modules.append(_import(name))
    return modules


def _family_in(modules: Sequence[ModuleType], name: str) -> str:
    """luigi's task family for `name`: a registered family, or a task class of one of the modules."""
    if name in Register.task_names():
        return name
    for module in modules:
        cls = getattr(module, name, None)
        if isinstance(cls, type) and issubclass(cls, luigi.Task):
            return str(cls.get_task_family())
    return name


def resolve_target(target: str, modules: Sequence[str]) -> str:
    """Import what `target` and `-m` name; return luigi's task family of the target."""
    imported = import_modules(modules)
    where, colon, name = target.rpartition(':')
    if colon:
        if not name:
            raise CliError(f'{target!r}: no task after the colon (write {where}:TaskName)')
        _cwd_importable()
        module = _import_file(where) if _looks_like_file(where) or os.path.isfile(where) else _import(where)
        family = _family_in([module], name)
        if family not in Register.task_names():
            raise _unknown_task(name, where)
        return family
    if _looks_like_file(target):
        raise CliError(f'{target!r}: name the task too, as {target}:TaskName')
    return _family_in(imported, target)


def add_configs(paths: Sequence[str]) -> None:
    import gokart

    for path in paths:
        if not os.path.isfile(path):  # checked here: luigi would only warn, then add_config asserts
            raise CliError(f'config file {path!r} not found')
        try:
            gokart.add_config(path)
        except AssertionError:  # add_config asserts that luigi accepted the file
            raise CliError(f'config file {path!r} not found') from None


def _unknown_task(name: str, where: str | None = None) -> CliError:
    close = difflib.get_close_matches(name, Register.task_names(), n=3, cutoff=0.75)
    hint = f'; did you mean {", ".join(close)}?' if close else ''
    if where is not None:
        return CliError(f'unknown task {name!r} in {where!r}{hint}')
    return CliError(f'unknown task {name!r}{hint} (pass the module that defines it with --module)')


def _argparse_message(captured: str) -> str:
    # luigi's argparse prints usage lines then "<prog>: error: <message>"; keep the message only.
    lines = [line for line in captured.splitlines() if line.strip()]
    last = lines[-1] if lines else 'invalid arguments'
    return last.split('error: ', 1)[-1]


@contextlib.contextmanager
def luigi_command_line(argv: list[str]) -> Iterator[Any]:
    """luigi's global command line for `argv` (task parameters and config classes read it while it is active)."""
    task_name = argv[0]
    captured = io.StringIO()
    with contextlib.ExitStack() as stack:
        try:
            with contextlib.redirect_stderr(captured):
                parser = stack.enter_context(luigi.cmdline_parser.CmdlineParser.global_instance(argv))
        except luigi.task_register.TaskClassNotFoundException as e:
            raise _unknown_task(task_name) from e
        except luigi.task_register.TaskClassAmbigiousException as e:
            raise CliError(f'task {task_name!r} is ambiguous: more than one class has that name') from e
        except ImportError as e:  # luigi's own --module flag
            raise CliError(f'cannot import module {getattr(e, "name", None) or ""!r}: {e}') from e
        except SystemExit as e:
            if e.code in (None, 0):  # --help: luigi printed it
                raise
            raise CliError(f'{task_name}: {_argparse_message(captured.getvalue())}') from e
        finally:
            if not captured.getvalue().startswith('usage:'):
                sys.stderr.write(captured.getvalue())  # warnings luigi emitted while parsing
        yield parser


def _given_values(parser: Any, family: str, name: str) -> Iterator[tuple[str, Any]]:
    """(flag, raw value) for each form of the parameter on the command line: --name and --Family-name."""
    known = parser.known_args
    for dest, flag in ((name, name), (f'{family}_{name}', f'{family}_{name}')):
        raw = getattr(known, dest, None)
        if isinstance(raw, str) and raw:
            yield '--' + flag.replace('_', '-'), raw


def _bad_flag(parser: Any, task_cls: Any) -> tuple[str, str, str] | None:
    """The command-line flag whose value does not parse, that value, and why, if any."""
    family = task_cls.get_task_family()
    for name, param in task_cls.get_params():
        for flag, raw in _given_values(parser, family, name):
            try:
                param.parse(raw)
            except Exception as e:
                return flag, raw, f'{type(param).__name__}: {e}'
    return None


def task_class(family: str) -> Any:
    try:
        return Register.get_task_cls(family)
    except luigi.task_register.TaskClassNotFoundException as e:
        raise _unknown_task(family) from e
    except luigi.task_register.TaskClassAmbigiousException as e:
        raise CliError(f'task {family!r} is ambiguous: more than one class has that name') from e


def luigi_argv(family: str, args: Sequence[str]) -> list[str]:
    """luigi's command line for the task: `--param=value` of the task's own parameters given as `--param value`.

    luigi's first parsing pass, which only looks for the task name, knows luigi's flags but not the task's,
    and argparse reads `--n=4` there as an abbreviation of `--no-lock`; `--n 4` means the same and is read right.
    """
    try:
        names = {name for name, _ in task_class(family).get_params()}
    except CliError:
        return [family, *args]
    out = [family]
    for arg in args:
        flag, eq, value = arg.partition('=')
        if eq and flag.startswith('--') and flag[2:].replace('-', '_') in names and not value.startswith('-'):
            out += [flag, value]
        else:
            out.append(arg)
    return out


def make_task(parser: Any) -> Any:
    """The root task of the active command line."""
    task_name = parser.known_args.root_task
    try:
        return parser.get_task_obj()
    except luigi.parameter.ParameterException as e:
        raise CliError(f'{task_name}: {e}') from e
    except (ValueError, TypeError) as e:
        bad = _bad_flag(parser, Register.get_task_cls(task_name))
        if bad is not None:
            raise CliError(f'{task_name}: bad value {bad[1]!r} for parameter {bad[0]}: {bad[2]}') from e
        raise CliError(f'cannot create task {task_name}: {type(e).__name__}: {e}') from e
