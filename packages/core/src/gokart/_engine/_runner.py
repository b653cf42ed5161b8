"""Running one task with the checks, events and hooks of luigi's TaskProcess (and gokart's variant of it).

The same function runs in the engine's process (one worker) or in a forked child (several workers).
"""

from __future__ import annotations

import collections.abc
import logging
import os
import random
import time
from typing import TYPE_CHECKING, Any, NamedTuple

from luigi.event import Event
from luigi.task import DynamicRequirements, flatten
from luigi.worker import TaskException

from gokart._engine._graph import is_external
from gokart._engine._state import DONE, FAILED, LOCKED, PENDING
from gokart._kart import commit
from gokart._kart.outputs import check_outputs_written, complete_at_run, complete_is_exists, mark_checked_at_run
from gokart._kart.session import outputs_of
from gokart.conflict_prevention_lock.task_lock import TaskLockException

if TYPE_CHECKING:
    from collections.abc import Iterable

    from luigi.task import Task

    from gokart._engine._graph import CompletionCache
    from gokart._engine._options import EngineOptions

__all__ = ['RunResult', 'run_task']


class RunResult(NamedTuple):
    status: str
    expl: Any  # what on_success()/on_failure() returned (usually a str or None), or the engine's message
    missing: list[str]  # "Unfulfilled dependency at run time" texts
    # dynamic dependencies: tasks, or (task_module, task_family, str params) triples on the way back from a child
    new_deps: list[Any]
    verified: list[str]  # ids of dependencies whose complete() was True at run time


_FORWARDED = (
    'set_tracking_url',
    'set_status_message',
    'set_progress_percentage',
    'decrease_running_resources',
    'scheduler_messages',
)


def _ignore(*args: object, **kwargs: object) -> None:
    """Status reports go to a scheduler; a local build has nobody to read them."""


def _forward_attributes(task: Task) -> None:
    """What luigi's TaskProcess sets on the task for its run() (undone by _unforward_attributes)."""
    for name in _FORWARDED:
        setattr(task, name, None if name == 'scheduler_messages' else _ignore)


def _unforward_attributes(task: Task) -> None:
    for name in _FORWARDED:
        setattr(task, name, None)


def _complete(task: Task, cache: CompletionCache | None) -> bool:
    if cache is not None and cache.get(task.task_id):
        return True
    value = task.complete()
    if cache is not None and value:
        cache[task.task_id] = value
    return value


def _unfulfilled(deps: Iterable[Task], cache: CompletionCache | None) -> tuple[list[str], list[str]]:
    """Dependencies whose complete() is False now (luigi's "Unfulfilled dependency at run time")."""
    missing: list[str]
    verified: list[str]
    missing, verified = [], []
    for dep in deps:
        if _complete(dep, cache):
            verified.append(dep.task_id)
            continue
        nonexistent = [output for output in flatten(outputs_of(dep)) if not output.exists()]
        missing.append(f'{dep.task_id} ({", ".join(map(str, nonexistent))})' if nonexistent else dep.task_id)
    return missing, verified


def _run_get_new_deps(
    task: Task, options: EngineOptions, cache: CompletionCache | None, logger: logging.Logger
) -> list[Task] | None:
    if options.task_completion_check_at_run:
        if complete_at_run(task, lambda t: _complete(t, cache)):
            logger.warning(f'{task} is skipped because the task is already completed.')
            return None
        mark_checked_at_run(task)
    task_gen = task.run()
    if not isinstance(task_gen, collections.abc.Generator):
        return None
    next_send = None
    while True:
        try:
            requires = next(task_gen) if next_send is None else task_gen.send(next_send)
        except StopIteration:
            return None
        if not isinstance(requires, DynamicRequirements):
            requires = DynamicRequirements(requires)
        if not requires.complete(lambda t: _complete(t, cache)):
            return list(requires.flat_requirements)
        next_send = requires.paths


_loggers: dict[str, logging.Logger] = {}


def _logger(name: str) -> logging.Logger:
    """logging.getLogger(name), without its lock while logging's registry still holds the same logger."""
    logger = _loggers.get(name)
    if logger is None or logging.Logger.manager.loggerDict.get(name) is not logger:
        logger = _loggers[name] = logging.getLogger(name)
    return logger


def run_task(
    task: Task,
    deps_to_check: Iterable[Task],
    options: EngineOptions,
    worker_id: str,
    cache: CompletionCache | None = None,
    forked: bool = False,
    outputs_needed: bool = True,
) -> RunResult:
    """Run `task`; `deps_to_check` are its dependencies not yet known to be complete.

    `outputs_needed`: a task of this run depends on `task`, so its run() must write every output.
    """
    logger = _logger(options.logger_name)
    logger.info('[pid %s] Worker %s running   %s', os.getpid(), worker_id, task)
    if forked:
        random.seed(os.getpid() * time.time())  # luigi reseeds forked task processes
    status: str | None
    expl: Any
    missing: list[str]
    new_deps: list[Task] | None
    verified: list[str]
    status, expl, missing, new_deps, verified = FAILED, '', [], None, []
    try:
        external = is_external(task)
        if options.check_unfulfilled_deps and not external:
            missing, verified = _unfulfilled(deps_to_check, cache)
            if missing:
                word = 'dependency' if len(missing) == 1 else 'dependencies'
                raise RuntimeError('Unfulfilled {} at run time: {}'.format(word, ', '.join(missing)))
        if not external:
            commit.begin(task)  # its files are staged until finish() (gokart/_kart/commit.py)
        task.trigger_event(Event.START, task)
        t0 = time.time()
        status = None
        if is_external(task):
            if _complete(task, cache):
                status = DONE
            else:
                status = FAILED
                expl = 'Task is an external data dependency and data does not exist (yet?).'
        else:
            _forward_attributes(task)  # not a context manager: its generator and calls cost ~10 µs a task
            try:
                new_deps = _run_get_new_deps(task, options, cache, logger)
            finally:
                _unforward_attributes(task)
            outputs_checked = False
            if not new_deps and options.check_outputs_after_run:
                outputs_checked = check_outputs_written(task, outputs_needed)
            if not new_deps:
                commit.finish(task, time.time() - t0)  # the log files, then the outputs: a failure fails the task
            if new_deps:
                status = PENDING
            elif not options.check_complete_on_run or _complete(task, cache):
                status = DONE
                if outputs_checked and complete_is_exists(task):
                    verified.append(task.task_id)  # its outputs exist: that is its complete()
            else:
                raise TaskException('Task finished running, but complete() is still returning false.')
        if new_deps:
            logger.info('[pid %s] Worker %s new requirements      %s', os.getpid(), worker_id, task)
        elif status == DONE:
            task.trigger_event(Event.PROCESSING_TIME, task, time.time() - t0)
            expl = task.on_success()
            logger.info('[pid %s] Worker %s done      %s', os.getpid(), worker_id, task)
            task.trigger_event(Event.SUCCESS, task)
    except KeyboardInterrupt:
        raise
    except BaseException as ex:
        if isinstance(ex, TaskLockException) and getattr(task, 'should_lock_run', False):
            # another process holds its run lock: not a failure, the engine retries it later
            logger.info('[pid %s] Worker %s found locked %s', os.getpid(), worker_id, task)
            return RunResult(LOCKED, '', missing, [], verified)
        status = FAILED
        commit.end(task)  # discards what run() staged; what the failure handlers write is not staged
        logger.exception('[pid %s] Worker %s failed    %s', os.getpid(), worker_id, task)
        task.trigger_event(Event.FAILURE, task, ex)
        expl = task.on_failure(ex)
    finally:
        commit.end(task)
    return RunResult(status, expl, missing, new_deps or [], verified)
