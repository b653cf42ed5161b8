"""The names gokart's modules offer and what the private helpers return, importable under either interpreter.

`surface(package_dir)` lists, for every public module of the gokart package at `package_dir`, the functions
and classes it offers (public and single-underscore), with their kind, parameters and whether gokart defines
them.
`behaviour(tmp)` calls the helpers tools import and reports JSON-able results. `exceptions()` reports the
module, qualname and pickling of every exception class gokart 1.12.2 defines.
"""

from __future__ import annotations

import base64
import importlib
import inspect
import json
import os
import pickle
import typing
import warnings
from typing import Any

import luigi

import gokart

SKIPPED_MODULES = {'gokart.mypy'}  # needs mypy, which the upstream environment lacks


def public_modules(package_dir: str) -> list[str]:
    found = []
    for dirpath, dirs, files in os.walk(package_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith(('_', '.')))
        for name in files:
            if not name.endswith('.py'):
                continue
            parts = os.path.relpath(os.path.join(dirpath, name), package_dir)[:-3].split(os.sep)
            if parts[-1] == '__init__':
                parts = parts[:-1]
            if any(part.startswith('_') for part in parts):
                continue
            module = '.'.join(['gokart', *parts])
            if module not in SKIPPED_MODULES:
                found.append(module)
    return sorted(set(found))


def _parameters(func: Any) -> Any:
    try:
        signature = inspect.signature(func)
    except (TypeError, ValueError):
        return None
    return [[p.name, p.kind.name, p.default is not p.empty] for p in signature.parameters.values()]


def surface(package_dir: str) -> dict[str, dict[str, Any]]:
    warnings.simplefilter('ignore')
    report: dict[str, dict[str, Any]] = {}
    for module_name in public_modules(package_dir):
        module = importlib.import_module(module_name)
        names: dict[str, Any] = {}
        for name in dir(module):
            if name.startswith('__'):
                continue
            value = getattr(module, name)
            if not (inspect.isclass(value) or inspect.isfunction(value)):
                continue
            kind = 'class' if inspect.isclass(value) else 'function'
            by_gokart = (getattr(value, '__module__', None) or '').startswith('gokart')
            names[name] = [kind, _parameters(value) if kind == 'function' else None, by_gokart]
        report[module_name] = names
    return report


# --- behaviour of the private helpers -------------------------------------------------------------------


class NamesLeaf(gokart.TaskOnKart[str]):
    task_namespace = 'compat_names'
    n = luigi.IntParameter(default=0)

    def run(self) -> None:
        self.dump(f'leaf {self.n}')


class NamesMid(gokart.TaskOnKart[str]):
    task_namespace = 'compat_names'

    def requires(self) -> Any:
        return {'a': NamesLeaf(n=1), 'b': [NamesLeaf(n=2), NamesLeaf(n=3)]}

    def run(self) -> None:
        self.dump('mid')


class NamesRoot(gokart.TaskOnKart[str]):
    task_namespace = 'compat_names'

    def requires(self) -> Any:
        return [NamesMid(), NamesLeaf(n=1)]

    def run(self) -> None:
        self.dump('root')


class NamesConfig(luigi.Config):
    task_namespace = 'compat_names'
    n = luigi.IntParameter(default=7)
    other = luigi.IntParameter(default=8)


class NamesWithParam(gokart.TaskOnKart[str]):
    task_namespace = 'compat_names'
    n = luigi.IntParameter()
    m = luigi.IntParameter(default=0)


def behaviour(tmp: str) -> dict[str, Any]:
    warnings.simplefilter('ignore')
    import gokart.config_params
    import gokart.parameter
    import gokart.slack.event_aggregator
    import gokart.tree.task_info_formatter as formatter
    import gokart.utils
    import gokart.worker
    import gokart.workspace_management

    os.chdir(tmp)
    out: dict[str, Any] = {}
    root = NamesRoot(workspace_directory='./resources/')

    info = formatter._make_requires_info(NamesMid().requires())
    out['_make_requires_info'] = repr(info)
    out['_make_requires_info(task)'] = repr(formatter._make_requires_info(NamesLeaf()))
    try:
        formatter._make_requires_info(3)
    except TypeError as exc:
        out['_make_requires_info(3)'] = ['TypeError', str(exc)]

    out['_get_all_output_file_paths'] = gokart.workspace_management._get_all_output_file_paths(root)

    T1, T2 = typing.TypeVar('T1'), typing.TypeVar('T2')
    resolve = gokart.utils._resolve_type_var
    out['_resolve_type_var'] = [
        repr(resolve(T1, {T1: T2, T2: int})),
        repr(resolve(T1, {T1: T2, T2: T1})),  # a cycle stops
        repr(resolve(str, {T1: int})),
        repr(resolve(T2, {T1: int})),
    ]

    encoder = gokart.parameter._TaskInstanceEncoder
    out['_TaskInstanceEncoder'] = json.dumps([NamesLeaf(n=5), {'k': NamesLeaf()}], cls=encoder)
    out['_TaskInstanceEncoder is a JSONEncoder'] = issubclass(encoder, json.JSONEncoder)
    try:
        json.dumps(object(), cls=encoder)
    except TypeError:
        out['_TaskInstanceEncoder(object())'] = 'TypeError'

    run_module = importlib.import_module('gokart.run')  # the attribute gokart.run is the function
    run_module._run_tree_info(['compat_names.NamesRoot', '--tree-info-output-path', 'tree.txt'], details=False)
    with open(os.path.join('resources', 'tree.txt')) as f:  # tree_info's target is in the workspace
        out['_run_tree_info'] = f.read()

    out['FailureEvent'] = sorted(typing.get_type_hints(gokart.slack.event_aggregator.FailureEvent))
    aggregator_methods = dir(gokart.slack.EventAggregator)
    out['EventAggregator methods'] = sorted(n for n in aggregator_methods if not n.startswith('__'))

    out['GetWorkResponse'] = list(gokart.worker.GetWorkResponse._fields)
    out['_is_external'] = [gokart.worker._is_external(NamesLeaf()), gokart.worker._is_external(luigi.ExternalTask())]
    out['_get_retry_policy_dict'] = gokart.worker._get_retry_policy_dict(NamesLeaf())

    decorator = gokart.config_params.inherits_config_params(NamesConfig, parameter_alias={'other': 'm'})
    out['inherits_config_params is a class'] = inspect.isclass(gokart.config_params.inherits_config_params)
    decorated = decorator(NamesWithParam)
    out['inherits_config_params'] = [
        [decorated().n, decorated().m],
        [decorated(n=1).n, decorated(n=1).m],
        decorated.__name__,
        decorated.get_task_family(),
    ]
    return out


# --- exception classes ------------------------------------------------------------------------------------


def _exception_classes() -> dict[str, type[BaseException]]:
    from gokart.build import GokartBuildError, HasLockedTaskException
    from gokart.conflict_prevention_lock.task_lock import TaskLockException
    from gokart.pandas_type_config import PandasTypeError
    from gokart.slack.slack_api import ChannelListNotLoadedError, ChannelNotFoundError, FileNotUploadedError
    from gokart.task import EmptyDumpError

    classes = [
        GokartBuildError,
        HasLockedTaskException,
        EmptyDumpError,
        PandasTypeError,
        TaskLockException,
        ChannelListNotLoadedError,
        ChannelNotFoundError,
        FileNotUploadedError,
    ]
    return {cls.__name__: cls for cls in classes}


def _instance(cls: type[BaseException]) -> BaseException:
    if cls.__name__ == 'GokartBuildError':
        return cls('build failed', {'id': [ValueError('boom')]})  # type: ignore[call-arg]
    return cls('message')


def exceptions() -> dict[str, Any]:
    import gokart.errors

    out: dict[str, Any] = {}
    for name, cls in _exception_classes().items():
        entry: dict[str, Any] = {
            'module': cls.__module__,
            'qualname': cls.__qualname__,
            'bases': [f'{b.__module__}.{b.__qualname__}' for b in cls.__mro__[1:] if b.__module__ == 'builtins'],
            'same object in gokart.errors': getattr(gokart.errors, name, None) is cls,
        }
        try:
            entry['pickle'] = base64.b64encode(pickle.dumps(_instance(cls))).decode()
        except Exception as exc:
            entry['pickle'] = f'cannot pickle: {type(exc).__name__}'
        out[name] = entry
    return out


def unpickle(payloads: dict[str, str]) -> dict[str, Any]:
    """Load the other implementation's pickles: class path, message and raised_exceptions, or the error."""
    out: dict[str, Any] = {}
    for name, payload in payloads.items():
        try:
            exc = pickle.loads(base64.b64decode(payload))
        except Exception as error:
            out[name] = f'cannot unpickle: {type(error).__name__}'
            continue
        raised = getattr(exc, 'raised_exceptions', None)
        out[name] = [
            f'{type(exc).__module__}.{type(exc).__qualname__}',
            str(exc),
            None if raised is None else {k: [repr(e) for e in v] for k, v in raised.items()},
        ]
    return out
