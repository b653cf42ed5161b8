"""The supplementary log files every TaskOnKart writes under <workspace>/log/, and its failure log line.

Registered once on TaskOnKart through luigi's events, so any executor that fires luigi's events
(luigi's worker, gokart's worker, our local engine) writes the same files.
"""

from __future__ import annotations

import importlib
import logging
import os
import sys
from typing import Any

import luigi

from gokart import _codec, _log_writer, _tempfiles
from gokart._kart import numpy_seed, patch_points
from gokart._kart.session import outputs_of
from gokart._kart.state import state_of
from gokart._targets import object_cache
from gokart.object_storage import ObjectStorage
from gokart.utils import flatten

logger = logging.getLogger('gokart.task')

FIX_RANDOM_SEED_VALUE_NONE_MAGIC_NUMBER = -42497368


def log_target(task: Any, kind: str, extension: str = 'pkl') -> Any:
    return task.make_target(f'log/{kind}/{type(task).__name__}.{extension}')


def _writes_directly(task: Any) -> bool:
    return (
        patch_points.log_writes_are_original(type(task))
        and (task.redis_host is None or task.redis_port is None)  # redis locks apply to dumps
        and not ObjectStorage.if_object_storage_path(task.workspace_directory)
    )


# (workspace, kind, class name, extension) -> the path split around where the id goes. Five log files per
# task and the same few classes and workspaces per build: one join and one splitext per key, not per file.
_log_path_parts: dict[tuple[Any, str, str, str], tuple[str, str]] = {}


def _log_path(workspace: Any, kind: str, name: str, extension: str) -> tuple[str, str]:
    key = (workspace, kind, name, extension)
    try:
        return _log_path_parts[key]
    except KeyError:
        parts = _log_path_parts[key] = os.path.splitext(os.path.join(workspace, f'log/{kind}/{name}.{extension}'))
        return parts
    except TypeError:  # an unhashable workspace: joined every time, as before
        return os.path.splitext(os.path.join(workspace, f'log/{kind}/{name}.{extension}'))


def log_file(task: Any, kind: str, obj: Any, extension: str = 'pkl') -> tuple[str, bytes]:
    """The path and bytes task.dump(obj, log_target(...)) would write (for a task that _writes_directly)."""
    key = (task.workspace_directory, kind, type(task).__name__, extension)
    try:  # _log_path's cache, looked up here: five files a task
        base, ext = _log_path_parts[key]
    except (KeyError, TypeError):
        base, ext = _log_path(*key)
    data = _log_bytes(obj, extension)
    return f'{base}_{task.make_unique_id()}{ext}', data


def _log_bytes(obj: Any, extension: str) -> bytes:
    return _codec.pickle_dumps(obj) if extension == 'pkl' else str(obj).encode()


def write_log(task: Any, kind: str, obj: Any, extension: str = 'pkl') -> None:
    """What task.dump(obj, log_target(...)) writes, without target machinery and off the caller's thread.

    During a run with a commit, the file is written by the commit, on the executor's thread (no handoff to
    the writer's threads on the critical path, whose GIL round trips cost more than the write).
    """
    commit = state_of(task).commit
    if commit is not None:  # begun only on the direct path (gokart._kart.commit.begin): no need to ask again
        path, data = log_file(task, kind, obj, extension)
        _tempfiles.draw()  # now, as the write would: seeded code sees the same random state
        commit.defer_log(path, data)
        return
    if not _writes_directly(task):
        with object_cache.not_cached():  # rarely read: no copy in the local read cache (docs/compat.md Q53)
            task.dump(obj, log_target(task, kind, extension))
        return
    path, data = log_file(task, kind, obj, extension)
    _log_writer.submit(path, data, None, task.redis_timeout)


def _written_by_commit(task: Any, kind: str) -> bool:
    """The commit of this run has written this log file already (gokart._kart.commit).

    The event then only makes the draw from `random` that gokart 1.12.2's dump makes here.
    """
    commit = state_of(task).commit
    if commit is None or kind not in commit.logs_written:
        return False
    _tempfiles.draw()
    return True


def random_seed(task: Any) -> int:
    value = task.fix_random_seed_value
    # 0 also means "unset", as in gokart 1.12.2 (seeded results depend on it).
    if value and value != FIX_RANDOM_SEED_VALUE_NONE_MAGIC_NUMBER:
        return value
    return int(task.make_unique_id(), 16) % (2**32 - 1)


def try_set_seed(methods: list[str], seed: int) -> list[str]:
    """Call each dotted seed function that can be imported; return the ones that succeeded."""
    succeeded = []
    for method_name in methods:
        if method_name == 'numpy.random.seed' and numpy_seed.defer(seed):
            succeeded.append(method_name)  # seeded when numpy gets imported (gokart/_kart/numpy_seed.py)
            continue
        try:
            head, *attributes = method_name.split('.')
            # A module already imported is sys.modules' entry, as import_module would return (None there
            # still goes through import_module, which raises ModuleNotFoundError): no import machinery
            # per task for `random` and `numpy`.
            target: Any = sys.modules.get(head) or importlib.import_module(head)
            for attribute in attributes:
                target = getattr(target, attribute)
            target(seed)
            succeeded.append(method_name)
        except (ModuleNotFoundError, AttributeError):
            continue
    return succeeded


def _params_log(task: Any) -> Any:
    return task.to_str_params(only_significant=True)


def _seed_log(task: Any) -> Any:
    """Seeds what fix_random_seed_methods names; the log of it."""
    seed = random_seed(task)
    methods = try_set_seed(list(task.fix_random_seed_methods), seed)
    return {'seed': seed, 'seed_methods': methods}


def _module_versions_log(task: Any) -> Any:
    return ''  # gokart 1.12.2 always writes an empty file here (docs/compat.md, Q1); kept byte-identical


# The three START duties: log kind -> (its contents, extension), in the order on_start runs them.
_START_LOGS = {
    'task_params': (_params_log, 'pkl'),
    'random_seed': (_seed_log, 'pkl'),
    'module_versions': (_module_versions_log, 'txt'),
}


def _write_start_log(task: Any, kind: str) -> None:
    if task.should_dump_supplementary_log_files:
        contents, extension = _START_LOGS[kind]
        write_log(task, kind, contents(task), extension)


def on_start_seed(task: Any) -> None:
    _write_start_log(task, 'random_seed')


def on_start_params(task: Any) -> None:
    _write_start_log(task, 'task_params')


def on_start_module_versions(task: Any) -> None:
    _write_start_log(task, 'module_versions')


def on_processing_time(task: Any, processing_time: float) -> None:
    if not task.should_dump_supplementary_log_files or _written_by_commit(task, 'processing_time'):
        return
    write_log(task, 'processing_time', processing_time)


def on_success(task: Any) -> None:
    if not task.should_dump_supplementary_log_files or _written_by_commit(task, 'task_log'):
        return
    task.task_log['file_path'] = [target.path() for target in flatten(outputs_of(task))]
    write_log(task, 'task_log', task.task_log)


def on_failure(task: Any, exception: BaseException) -> None:
    logger.info(f'FAILURE:\n    task name={type(task).__name__}\n    unique id={task.make_unique_id()}')


def on_start(task: Any) -> None:
    """The three START duties, in the one order that gives seeded run()s gokart's documented draws.

    Each log dump draws once from `random` (luigi's atomic temporary file name). gokart 1.12.2 keeps the
    three as separate handlers in a set, so their order, and with it what a seeded run() sees, varies with
    what a script imports. Here it is fixed: task_params, then seeding (which dumps random_seed), then
    module_versions, so run() starts two draws after the seed, as gokart's docs show (docs/compat.md, Q26).
    Each duty is protected on its own, as luigi protects each handler.
    """
    commit = state_of(task).commit
    if commit is not None:  # the direct path of a staged run: the three files go to the commit
        _on_start_staged(task, commit)
        return
    for duty in (on_start_params, on_start_seed, on_start_module_versions):
        try:
            duty(task)
        except KeyboardInterrupt:
            return
        except BaseException:
            luigi_task_logger.exception('Error in event callback for %r', luigi.Event.START)


def _on_start_staged(task: Any, commit: Any) -> None:
    """on_start's three duties for a run with a commit, in one pass: the same contents (_START_LOGS), bytes,
    draws from `random` (each after its file's bytes, as write_log makes it) and protection per duty, with
    the task's id and log paths looked up once instead of once per file."""
    try:
        if not task.should_dump_supplementary_log_files:
            return
    except KeyboardInterrupt:
        return
    except BaseException:  # each duty would have failed on its own
        for _ in _START_LOGS:
            luigi_task_logger.exception('Error in event callback for %r', luigi.Event.START)
        return
    deferred = commit.deferred_logs
    workspace: Any = None
    name = unique_id = ''
    for kind, (contents, extension) in _START_LOGS.items():
        try:
            data = _log_bytes(contents(task), extension)  # as log_file()
            if not unique_id:  # as log_file() finds them, after the first file's bytes
                workspace, name, unique_id = task.workspace_directory, type(task).__name__, task.make_unique_id()
            key = (workspace, kind, name, extension)
            try:
                base, ext = _log_path_parts[key]
            except (KeyError, TypeError):
                base, ext = _log_path(*key)
            _tempfiles.draw()
            deferred.append((commit.absolute(f'{base}_{unique_id}{ext}'), data))
        except KeyboardInterrupt:
            return
        except BaseException:
            luigi_task_logger.exception('Error in event callback for %r', luigi.Event.START)


luigi_task_logger = logging.getLogger('luigi-interface')


def register(task_class: Any) -> None:
    for event, handler in (
        (luigi.Event.START, on_start),
        (luigi.Event.PROCESSING_TIME, on_processing_time),
        (luigi.Event.SUCCESS, on_success),
        (luigi.Event.FAILURE, on_failure),
    ):
        task_class.event_handler(event)(handler)


def load_log(task: Any, kind: str) -> Any:
    _log_writer.flush()
    target = log_target(task, kind)
    return target.load() if target.exists() else None
