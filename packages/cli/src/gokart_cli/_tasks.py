"""From `--module M... TASK luigi-args...` to a task instance, turning user mistakes into CliError.

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
from typing import Any

import luigi
import luigi.cmdline_parser
import luigi.parameter
import luigi.task_register
from luigi.task_register import Register

from ._errors import CliError

__all__ = ['add_configs', 'import_modules', 'luigi_command_line', 'make_task']


def import_modules(names: Sequence[str]) -> None:
    """Import the modules that define the tasks, so that their classes register with luigi.

    The working directory is importable, as under `python -m`: a console script's sys.path starts with
    the venv's bin directory instead, and `gokart run -m mypkg.tasks` from the project root must work.
    """
    cwd = os.getcwd()
    if names and cwd not in sys.path and '' not in sys.path:
        sys.path.insert(0, cwd)
    for name in names:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as e:
            if e.name is not None and (name == e.name or name.startswith(e.name + '.')):
                raise CliError(f'module {name!r} not found (is it on PYTHONPATH?)') from None
            raise CliError(f'cannot import module {name!r}: {e}') from None
        except (ImportError, SyntaxError) as e:
            raise CliError(f'cannot import module {name!r}: {type(e).__name__}: {e}') from None


def add_configs(paths: Sequence[str]) -> None:
    import gokart

    for path in paths:
        if not os.path.isfile(path):  # checked here: luigi would only warn, then add_config asserts
            raise CliError(f'config file {path!r} not found')
        try:
            gokart.add_config(path)
        except AssertionError:  # add_config asserts that luigi accepted the file
            raise CliError(f'config file {path!r} not found') from None


def _unknown_task(name: str) -> CliError:
    close = difflib.get_close_matches(name, Register.task_names(), n=3, cutoff=0.75)
    hint = f'; did you mean {", ".join(close)}?' if close else ''
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
        except luigi.task_register.TaskClassNotFoundException:
            raise _unknown_task(task_name) from None
        except luigi.task_register.TaskClassAmbigiousException:
            raise CliError(f'task {task_name!r} is ambiguous: more than one class has that name') from None
        except ImportError as e:  # luigi's own --module flag
            raise CliError(f'cannot import module {getattr(e, "name", None) or ""!r}: {e}') from None
        except SystemExit as e:
            if e.code in (None, 0):  # --help: luigi printed it
                raise
            raise CliError(f'{task_name}: {_argparse_message(captured.getvalue())}') from None
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


def _bad_flag(parser: Any, task_cls: Any) -> tuple[str, str] | None:
    """The command-line flag whose value does not parse, and that value, if any."""
    family = task_cls.get_task_family()
    for name, param in task_cls.get_params():
        for flag, raw in _given_values(parser, family, name):
            try:
                param.parse(raw)
            except Exception:
                return flag, raw
    return None


def make_task(parser: Any) -> Any:
    """The root task of the active command line."""
    task_name = parser.known_args.root_task
    try:
        return parser.get_task_obj()
    except luigi.parameter.ParameterException as e:
        raise CliError(f'{task_name}: {e}') from None
    except (ValueError, TypeError) as e:
        bad = _bad_flag(parser, Register.get_task_cls(task_name))
        if bad is not None:
            raise CliError(f'{task_name}: bad value {bad[1]!r} for parameter {bad[0]}: {e}') from None
        raise CliError(f'cannot create task {task_name}: {type(e).__name__}: {e}') from None
