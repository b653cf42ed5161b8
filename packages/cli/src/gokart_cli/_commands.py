"""argparse front end of the `gokart` command.

This module imports neither luigi nor gokart: `gokart --version` and `--help` stay fast, and each command
imports what it needs (`_run`, `_inspect`) when it runs.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence
from typing import Any

from ._errors import USAGE_ERROR, CliError
from ._version import version_text

__all__ = ['main']

_TARGET_HELP = 'path/to/file.py:Task, package.module:Task, or a task name (luigi family) with -m MODULE'

_DESCRIPTION = """\
Run and inspect gokart pipelines.

A TARGET names a task: path/to/file.py:Task (the file is imported as the module named after its
stem, with its folder on sys.path), package.module:Task, or Task / namespace.Task with -m MODULE.
Task parameters follow the target, as luigi spells them: --param=v or --Task-param=v."""

_EXAMPLES = {
    None: """\
examples:
  gokart run tasks.py:Total --Total-n=4      run Total and its dependencies, with progress
  gokart why tasks.py:Total --Total-n=4      why each task would run: which parameter changed
  gokart tree tasks.py:Total --format svg > tree.svg
  gokart run tasks.py:Total --help           Total's parameters""",
    'run': """\
examples:
  gokart run tasks.py:Total
  gokart run mypkg.tasks:Total --Total-n=4 --workers 2
  gokart run -m mypkg.tasks Total --scheduler-host localhost --scheduler-port 8082
  gokart run tasks.py:Total --dask-scheduler tcp://10.0.0.5:8786   on a Dask cluster (gokart[dask])
  gokart run tasks.py:Total --dask-local 4   on a local Dask cluster of 4 worker processes
  gokart run tasks.py:Total --help           the task's own parameters first

exit codes are gokart.run()'s: 0 success, 10 already running, 20 missing external data,
30 not run, 40 a task failed, 50 scheduling error, 4 unhandled exception; 2 for a usage error.""",
    'tree': """\
examples:
  gokart tree tasks.py:Total --details
  gokart tree tasks.py:Total --format json | jq '.tasks[] | select(.status == "will run") | .name'
  gokart tree tasks.py:Total --format dot | dot -Tpng > tree.png
  gokart tree tasks.py:Total --format svg > tree.svg""",
    'why': """\
examples:
  gokart why tasks.py:Total --Total-n=4
  gokart why tasks.py:Total --format json""",
    'ls': """\
examples:
  gokart ls tasks.py:Total
  gokart ls tasks.py:Total --format json""",
    'show': """\
examples:
  gokart show tasks.py:Total                 the root task's output
  gokart show tasks.py:Total --task Load     the output of the Load task of the tree""",
    'clean': """\
examples:
  gokart clean tasks.py:Total                list what would be deleted, with sizes (dry run)
  gokart clean tasks.py:Total --yes          delete it""",
    'unique-id': """\
examples:
  gokart unique-id tasks.py:Total --Total-n=4""",
    'list': """\
examples:
  gokart list tasks.py
  gokart list mypkg.tasks""",
}


class _Parser(argparse.ArgumentParser):
    """Usage errors are one line (CliError), like every other mistake."""

    def error(self, message: str) -> Any:
        raise CliError(message)


class _VersionAction(argparse.Action):
    """Like argparse's 'version' action, but the text (metadata lookups) is only built when asked for."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS, **kwargs: Any) -> None:
        super().__init__(option_strings, dest=dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, namespace: Any, values: Any, option_string: Any = None) -> None:
        print(version_text())
        parser.exit()


def _subcommand(subparsers: Any, name: str, help: str, aliases: Sequence[str] = (), task: bool = True) -> Any:
    sub = subparsers.add_parser(
        name,
        aliases=list(aliases),
        help=help,
        description=help,
        epilog=_EXAMPLES.get(name),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        add_help=False,
        allow_abbrev=False,
    )
    sub.add_argument('-h', '--help', action='store_true', help='show this help (after a TARGET: the task parameters)')
    sub.add_argument('--debug', action='store_true', help='show the traceback of an error')
    sub.add_argument(
        '-m', '--module', action='append', default=[], metavar='MODULE', help='import MODULE first (repeatable)'
    )
    if task:
        sub.add_argument(
            '-c', '--config', action='append', default=[], metavar='FILE', help='gokart.add_config(FILE) (repeatable)'
        )
        sub.add_argument('target', metavar='TARGET', help=_TARGET_HELP)
    sub.set_defaults(command=name)
    return sub


def _parser() -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    parser = _Parser(
        prog='gokart',
        description=_DESCRIPTION,
        epilog=_EXAMPLES[None],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False,
    )
    parser.add_argument('--version', action=_VersionAction, help='print versions and the fastio twin in use')
    parser.add_argument('--debug', dest='debug_first', action='store_true', help='show the traceback of an error')
    subparsers = parser.add_subparsers(dest='invoked', metavar='COMMAND', parser_class=_Parser)

    run = _subcommand(subparsers, 'run', 'run the task and what it needs, as gokart.run() does, with progress')
    run.add_argument('--workers', type=int, metavar='N', help='worker processes (luigi --workers)')
    run.add_argument('--local-scheduler', action='store_true', help='the default unless a scheduler is named')
    run.add_argument('--scheduler-host', metavar='HOST', help="luigi's central scheduler")
    run.add_argument('--scheduler-port', type=int, metavar='PORT')
    run.add_argument('--scheduler-url', metavar='URL')
    dask = run.add_mutually_exclusive_group()
    dask.add_argument('--dask-scheduler', metavar='ADDRESS', help='run on the Dask cluster of this scheduler')
    dask.add_argument('--dask-local', type=int, metavar='N', help='run on a local Dask cluster of N worker processes')
    run.add_argument('--log-level', metavar='LEVEL', help='DEBUG, INFO, WARNING (default), ERROR or CRITICAL')
    run.add_argument('--no-progress', action='store_true', help='no live display even on a terminal')

    tree = _subcommand(subparsers, 'tree', 'show the task tree: status, unique id and outputs of each task')
    tree.add_argument('--details', action='store_true', help='add the significant parameters of each task')
    tree.add_argument('--format', choices=('text', 'json', 'dot', 'svg'), default='text')
    tree.add_argument('--abbr', action='store_true', help='abbreviate unique ids (8 characters) and long values')
    tree.add_argument(
        '--ignore-task-names', nargs='+', action='extend', default=[], metavar='NAME', help='leave out these tasks'
    )

    why = _subcommand(subparsers, 'why', 'explain why each task that would run misses its cache')
    why.add_argument('--format', choices=('text', 'json'), default='text')

    ls = _subcommand(subparsers, 'ls', 'list every output of the tree: path, size, modification time, existence')
    ls.add_argument('--format', choices=('text', 'json'), default='text')

    show = _subcommand(subparsers, 'show', 'load one output of the tree and preview it')
    show.add_argument('--task', metavar='NAME', help='a task of the tree: name or unique id prefix (default: root)')
    show.add_argument('--rows', type=int, default=10, metavar='N', help='rows of a DataFrame shown (default 10)')

    clean = _subcommand(
        subparsers,
        'clean',
        'list workspace files the tree no longer needs (dry run); --yes deletes them',
        aliases=['delete-unnecessary'],
    )
    clean.add_argument('--yes', action='store_true', help='delete the files')

    _subcommand(subparsers, 'unique-id', "print the task's unique id and its output paths")

    listing = _subcommand(subparsers, 'list', 'list the gokart tasks that modules or files define', task=False)
    listing.add_argument('sources', nargs='*', metavar='MODULE_OR_FILE', help='e.g. tasks.py or mypkg.tasks')
    return parser, dict(subparsers.choices)


def _exit_code(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)  # sys.exit('message') semantics
    return 1


_PIPE_CLOSED = 141  # 128 + SIGPIPE, what a shell reports for a writer killed by a closed pipe


def _quiet_closed_pipe() -> int:
    # Point stdout at /dev/null so that the interpreter's own flush at exit does not fail again.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
    return _PIPE_CLOSED


def _dispatch(ns: argparse.Namespace, extras: list[str], sub: argparse.ArgumentParser) -> int:
    if ns.command == 'list':
        if ns.help:
            sub.print_help()
            return 0
        if extras:
            raise CliError(f'unrecognized arguments: {" ".join(extras)}')
        from ._inspect import list_tasks

        return list_tasks(ns)
    if ns.command == 'run':
        from ._run import run, task_help

        if ns.help:
            return task_help(ns, extras, sub)
        return run(ns, extras)
    if ns.help:
        from ._run import task_help

        return task_help(ns, extras, sub)
    from . import _inspect

    handler = {
        'tree': _inspect.tree,
        'why': _inspect.why,
        'ls': _inspect.ls,
        'show': _inspect.show,
        'clean': _inspect.clean,
        'delete-unnecessary': _inspect.clean,
        'unique-id': _inspect.unique_id,
    }[ns.command]
    return handler(ns, extras)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `gokart` command; returns the process exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    parser, subs = _parser()
    command = 'gokart'
    debug = '--debug' in args
    try:
        name = next((a for a in args if not a.startswith('-')), None)
        if name in subs:
            command = f'gokart {name}'
            rest = args[args.index(name) + 1 :]
            positional = [a for a in rest if not a.startswith('-')]
            if any(a in ('-h', '--help') for a in rest) and (not positional or name == 'list'):
                subs[name].print_help()  # `gokart run --help`: no TARGET needed
                return 0
        ns, extras = parser.parse_known_args(args)
        if ns.invoked is None:
            parser.print_help(sys.stderr)
            return USAGE_ERROR
        command = f'gokart {ns.invoked}'
        debug = ns.debug or ns.debug_first
        code = _dispatch(ns, extras, subs[ns.invoked])
        sys.stdout.flush()
        return code
    except CliError as e:
        if debug:
            traceback.print_exc()
        print(f'{command}: error: {e}', file=sys.stderr)
        return USAGE_ERROR
    except BrokenPipeError:
        return _quiet_closed_pipe()
    except KeyboardInterrupt:
        print(f'{command}: interrupted', file=sys.stderr)
        return 130
    except SystemExit as e:  # --version
        return _exit_code(e.code)
