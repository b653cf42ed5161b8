"""`gokart run`: gokart.run() on the target, with a live display on a terminal and a final summary."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import textwrap
from collections.abc import Iterator
from typing import Any

from ._errors import CliError
from ._tasks import add_configs, luigi_argv, luigi_command_line, make_task, resolve_target, task_class

__all__ = ['run', 'task_help']

# Flags that choose luigi's scheduler; without one, `gokart run` adds --local-scheduler.
_SCHEDULER_FLAGS = frozenset(
    f'--{prefix}{name}'
    for prefix in ('', 'core-')
    for name in ('local-scheduler', 'scheduler-host', 'scheduler-port', 'scheduler-url')
)

# gokart.run()'s retcodes (it sets them on luigi's [retcode] class); 4 is luigi's unhandled_exception.
_CODE_NAMES = {
    0: 'success',
    4: 'unhandled exception',
    10: 'already running',
    20: 'missing external data',
    30: 'not run',
    40: 'a task failed',
    50: 'scheduling error',
}


def _luigi_args(ns: argparse.Namespace, extras: list[str]) -> list[str]:
    args = list(extras)
    for flag, value in (
        ('--workers', ns.workers),
        ('--scheduler-host', ns.scheduler_host),
        ('--scheduler-port', ns.scheduler_port),
        ('--scheduler-url', ns.scheduler_url),
    ):
        if value is not None:
            args.append(f'{flag}={value}')
    if ns.local_scheduler:
        args.append('--local-scheduler')
    if not any(arg.split('=', 1)[0] in _SCHEDULER_FLAGS for arg in args):
        args.append('--local-scheduler')
    if ns.log_level is not None:
        args.append(f'--log-level={ns.log_level}')
    elif not any(arg.split('=', 1)[0] in ('--log-level', '--core-log-level') for arg in args):
        args.append('--log-level=WARNING')  # the display and the summary replace luigi's chatter
    return args


@contextlib.contextmanager
def _executor(ns: argparse.Namespace) -> Iterator[object]:
    """gokart.run()'s `executor`: None (the local engine or luigid), a Dask address, or a local Dask cluster."""
    if ns.dask_local is None:
        yield ns.dask_scheduler
        return
    if ns.dask_local < 1:
        raise CliError(f'--dask-local needs at least one worker process, got {ns.dask_local}')
    try:
        import distributed
    except ImportError:
        raise CliError('--dask-local requires distributed: pip install gokart[dask]') from None
    # one thread per worker process: gokart seeds random per task, process-wide
    with (
        distributed.LocalCluster(
            n_workers=ns.dask_local, threads_per_worker=1, processes=True, host='127.0.0.1', dashboard_address=':0'
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


def run(ns: argparse.Namespace, extras: list[str]) -> int:
    import gokart

    from ._progress import RunMonitor

    family = resolve_target(ns.target, ns.module)
    add_configs(ns.config)
    argv = luigi_argv(family, _luigi_args(ns, extras))
    # Parse once here: gokart.run reports a misspelt task or parameter with a traceback.
    with luigi_command_line(argv) as parser:
        task = make_task(parser)
    root = repr(task)
    if (ns.dask_scheduler or ns.dask_local) and ':' in ns.target and os.path.isfile(ns.target.rpartition(':')[0]):
        # the workers cannot import a module the command loaded from a file: it travels by value
        import cloudpickle

        cloudpickle.register_pickle_by_value(sys.modules[type(task).__module__])
    monitor = RunMonitor(display=False if ns.no_progress else None)
    monitor.expect(task)
    code = 0
    with _executor(ns) as executor, monitor:
        try:
            if executor is None:
                gokart.run(cmdline_args=argv)
            else:
                gokart.run(cmdline_args=argv, executor=executor)
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    for line in monitor.summary(root, code, _CODE_NAMES.get(code, 'error')):
        print(line, file=sys.stderr)
    return code


def _type_name(param: Any) -> str:
    name = type(param).__name__
    return (name[: -len('Parameter')] if name.endswith('Parameter') and name != 'Parameter' else 'str').upper()


def _default(param: Any, family: str, name: str) -> str:
    try:
        if param.has_task_value(family, name):
            return f'default {param.serialize(param.task_value(family, name))}'
    except Exception:
        pass
    return 'required'


def task_help(ns: argparse.Namespace, extras: list[str], sub: argparse.ArgumentParser) -> int:
    """The task's own parameters first, then the ones it inherits from gokart.TaskOnKart, then the command's."""
    import gokart

    family = resolve_target(ns.target, ns.module)
    add_configs(ns.config)
    cls = task_class(family)
    inherited = {name for name, _ in gokart.TaskOnKart.get_params()} if issubclass(cls, gokart.TaskOnKart) else set()
    own = [(name, p) for name, p in cls.get_params() if name not in inherited]
    base = [name for name, _ in cls.get_params() if name in inherited]
    lines = [f'usage: gokart {ns.invoked} {ns.target} [--PARAM=VALUE ...] [options]', '']
    doc = (cls.__doc__ or '').strip()
    if doc and cls.__doc__ != gokart.TaskOnKart.__doc__:
        lines += [doc.split('\n\n', 1)[0], '']
    lines.append(f'parameters of {family} ({cls.__module__}.{cls.__name__}); also --{family}-PARAM=VALUE:')
    if not own:
        lines.append('  (none)')
    width = max((len(name) + len(_type_name(p)) for name, p in own), default=0) + 6
    for name, param in own:
        flag = f'  --{name.replace("_", "-")} {_type_name(param)}'
        text = _default(param, family, name)
        if param.description:
            text += f'; {param.description}'
        if not param.significant:
            text += ' (insignificant: not part of the unique id)'
        lines.append(f'{flag:<{width}} {text}')
    if base:
        inherited_flags = ', '.join(f'--{n.replace("_", "-")}' for n in base)
        lines += ['', textwrap.fill(f'inherited from gokart.TaskOnKart: {inherited_flags}', width=100)]
    lines += ['', f'options of gokart {ns.invoked}:', sub.format_help()]
    print('\n'.join(lines))
    if extras and not all(e.startswith('-') for e in extras):
        raise CliError(f'unrecognized arguments: {" ".join(extras)}')
    return 0
