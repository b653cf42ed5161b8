"""argparse front end: each subcommand is a few calls into gokart's public API."""

from __future__ import annotations

import argparse
import contextlib
import logging
import sys
from collections.abc import Iterator, Sequence
from typing import Any

from ._errors import USAGE_ERROR, CliError
from ._tasks import add_configs, import_modules, luigi_command_line, make_task
from ._version import version_text

__all__ = ['main']

# Flags that choose luigi's scheduler; without one, `gokart run` adds --local-scheduler.
_SCHEDULER_FLAGS = frozenset(
    f'--{prefix}{name}'
    for prefix in ('', 'core-')
    for name in ('local-scheduler', 'scheduler-host', 'scheduler-port', 'scheduler-url')
)


class _VersionAction(argparse.Action):
    """Like argparse's 'version' action, but the text (metadata lookups) is only built when asked for."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS, **kwargs: Any) -> None:
        super().__init__(option_strings, dest=dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, namespace: Any, values: Any, option_string: Any = None) -> None:
        print(version_text())
        parser.exit()


def _task_command(subparsers: Any, name: str, help: str) -> argparse.ArgumentParser:
    sub = subparsers.add_parser(name, help=help, description=help)
    sub.add_argument(
        '-m', '--module', action='append', default=[], metavar='M', help='import M before parsing (repeatable)'
    )
    sub.add_argument(
        '-c', '--config', action='append', default=[], metavar='FILE', help='gokart.add_config(FILE) (repeatable)'
    )
    sub.add_argument('task', metavar='TASK', help='task family, e.g. MyTask or my_namespace.MyTask')
    sub.add_argument(
        'args', nargs=argparse.REMAINDER, metavar='...', help='luigi/gokart flags, e.g. --param=v --Other-param=v'
    )
    return sub


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog='gokart', description='Run and inspect gokart pipelines.')
    parser.add_argument('--version', action=_VersionAction, help='print versions and the fastio twin in use')
    subparsers = parser.add_subparsers(dest='command', metavar='COMMAND')
    run = _task_command(
        subparsers, 'run', 'gokart.run() the task; --local-scheduler is added unless a scheduler is named'
    )
    run.set_defaults(handler=_run)
    tree = _task_command(subparsers, 'tree', "print the task's dependency tree (gokart.make_tree_info)")
    tree.set_defaults(handler=_tree)
    uid = _task_command(subparsers, 'unique-id', "print the task's unique id and its output paths")
    uid.set_defaults(handler=_unique_id)
    delete = _task_command(
        subparsers, 'delete-unnecessary', "delete workspace files that the task's tree does not output"
    )
    delete.set_defaults(handler=_delete_unnecessary)
    listing = subparsers.add_parser('list', help='list the TaskOnKart tasks that the modules define')
    listing.add_argument('-m', '--module', action='append', default=[], metavar='M', help='import M (repeatable)')
    listing.set_defaults(handler=_list)
    return parser


def _exit_code(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)  # sys.exit('message') semantics
    return 1


def _prepare(ns: argparse.Namespace) -> list[str]:
    import_modules(ns.module)
    add_configs(ns.config)
    return [ns.task, *ns.args]


def _run(ns: argparse.Namespace) -> int:
    import gokart

    argv = _prepare(ns)
    if not any(arg.split('=', 1)[0] in _SCHEDULER_FLAGS for arg in ns.args):
        argv.append('--local-scheduler')
    # Parse once here: gokart.run reports a misspelt task or parameter with a traceback.
    with luigi_command_line(argv) as parser:
        make_task(parser)
    try:
        gokart.run(cmdline_args=argv)
    except SystemExit as e:
        return _exit_code(e.code)
    return 0


def _pop_flag(args: list[str], flag: str) -> bool:
    found = flag in args
    args[:] = [a for a in args if a != flag]
    return found


def _tree(ns: argparse.Namespace) -> int:
    import gokart

    details = _pop_flag(ns.args, '--details')
    with luigi_command_line(_prepare(ns)) as parser:
        text = gokart.make_tree_info(make_task(parser), details=details)
    print(text.lstrip('\n'))  # make_tree_info starts every node, the first included, with a newline
    return 0


def _kart_task(parser: Any) -> Any:
    import gokart

    task = make_task(parser)
    if not isinstance(task, gokart.TaskOnKart):
        raise CliError(f'{type(task).__name__} is not a gokart.TaskOnKart')
    return task


def _output_paths(task: Any) -> list[str]:
    import luigi.task

    paths = []
    for target in luigi.task.flatten(task.output()):
        path = getattr(target, 'path', None)  # gokart targets: a method; luigi targets: an attribute
        path = path() if callable(path) else path
        if path:
            paths.append(str(path))
    return paths


def _unique_id(ns: argparse.Namespace) -> int:
    with luigi_command_line(_prepare(ns)) as parser:
        task = _kart_task(parser)
        lines = [task.make_unique_id(), *_output_paths(task)]
    print('\n'.join(lines))
    return 0


@contextlib.contextmanager
def _info_to_stdout(logger_name: str) -> Iterator[None]:
    """Show gokart's INFO report (which files went) without touching the root logger."""
    logger = logging.getLogger(logger_name)
    handler = logging.StreamHandler(sys.stdout)
    saved = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(saved)


def _delete_unnecessary(ns: argparse.Namespace) -> int:
    import gokart
    from gokart.object_storage import ObjectStorage

    with luigi_command_line(_prepare(ns)) as parser:
        task = _kart_task(parser)
        if ObjectStorage.if_object_storage_path(task.workspace_directory):
            raise CliError(f'{task.workspace_directory}: only local workspaces are supported')
        with _info_to_stdout('gokart'):
            gokart.delete_local_unnecessary_outputs(task)
    return 0


def _list(ns: argparse.Namespace) -> int:
    from luigi.task_register import Register, TaskClassException

    import gokart

    import_modules(ns.module)
    wanted = tuple(ns.module)
    for name in Register.task_names():
        try:
            cls = Register.get_task_cls(name)
        except TaskClassException:  # ambiguous names are listed by luigi's own error
            continue
        module = cls.__module__
        if wanted:
            keep = any(module == m or module.startswith(m + '.') for m in wanted)
        else:
            keep = module.split('.', 1)[0] not in ('gokart', 'luigi')
        if keep and issubclass(cls, gokart.TaskOnKart):
            print(name)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `gokart` command; returns the process exit code."""
    parser = _parser()
    try:
        ns = parser.parse_args(argv)
        if ns.command is None:
            parser.print_help()
            return USAGE_ERROR
        return ns.handler(ns)
    except CliError as e:
        print(f'gokart {ns.command}: error: {e}', file=sys.stderr)
        return USAGE_ERROR
    except SystemExit as e:  # argparse usage errors, --help, --version
        return _exit_code(e.code)
