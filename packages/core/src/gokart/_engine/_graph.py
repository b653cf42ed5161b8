"""Iterative dependency discovery with the checks, events and history of luigi's `Worker.add`.

An explicit LIFO stack replaces recursion, so 10,000-deep `requires()` chains are fine. `requires()` is
called once per task and build: a task met again (another root, a reschedule) reuses the recorded edges.
"""

from __future__ import annotations

import abc
import logging
import traceback
from typing import TYPE_CHECKING

from luigi.event import Event
from luigi.target import Target
from luigi.task import Task
from luigi.worker import AsyncCompletionException, TaskException, TracebackWrapper

from gokart._codec import gc_paused
from gokart._engine import _notify
from gokart._engine._state import DISABLED, DONE, PENDING, UNKNOWN
from gokart._engine._worker_log import INTERFACE

if TYPE_CHECKING:
    from collections.abc import Iterator, MutableMapping
    from typing import Any, TypeAlias

    from gokart._engine._options import EngineOptions
    from gokart._engine._state import Graph
    from gokart._engine._summary import RunRecord
    from gokart._engine._worker_log import WorkerLog

    # task_id -> truthy complete() value; a plain dict, or a manager's DictProxy shared with forked workers
    CompletionCache: TypeAlias = MutableMapping[str, Any]

__all__ = ['Discovery', 'check_complete', 'is_external']


def is_external(task: Task) -> bool:
    return task.run is None or task.run == NotImplemented


def check_complete(task: Task, cache: CompletionCache | None) -> object:
    """complete() through the optional completion cache; an exception becomes a TracebackWrapper."""
    INTERFACE.debug('Checking if %s is complete', task)  # luigi.worker.check_complete's record
    try:
        if cache is not None and cache.get(task.task_id):
            return True
        value = task.complete()
        if cache is not None and value:
            cache[task.task_id] = value
        return value
    except Exception:
        return TracebackWrapper(traceback.format_exc())


def validate_task(task: object) -> None:
    if not isinstance(task, Task):
        raise TaskException(f'Can not schedule non-task {task}')
    if not task.initialized():
        raise TaskException(
            f'Task of class {task.__class__.__name__} not initialized. Did you override __init__ and forget to call super(...).__init__?'
        )


def validate_dependency(dependency: object) -> None:
    if isinstance(dependency, Target):
        raise Exception('requires() can not return Target objects. Wrap it in an ExternalTask class')
    if not isinstance(dependency, Task):
        raise Exception(f'requires() must return Task objects but {dependency} is a {type(dependency)}')


# Types whose instances passed validate_dependency, with the ABC cache token of the time: Target is an ABC,
# so the answer for a type holds until some ABC gains a registration (as the ABCs' own caches assume).
_valid_dependency_types: dict[type, object] = {}


def _validate_dependency_cached(dependency: object) -> None:
    kind = type(dependency)
    token = abc.get_cache_token()
    if _valid_dependency_types.get(kind) == token and dependency.__class__ is kind:
        return
    validate_dependency(dependency)
    if dependency.__class__ is kind:
        _valid_dependency_types[kind] = token


class Discovery:
    def __init__(
        self,
        graph: Graph,
        record: RunRecord,
        options: EngineOptions,
        completion_cache: CompletionCache | None,
        log: WorkerLog,
    ) -> None:
        self._graph: Graph = graph
        self._log: WorkerLog = log
        self._record: RunRecord = record
        self._options: EngineOptions = options
        self._cache: CompletionCache | None = completion_cache
        self._logger = logging.getLogger(options.logger_name)

    def add(self, root: Task) -> bool:
        """Discover `root` and everything it needs; True when nothing failed to schedule."""
        # Discovery builds the whole graph of tasks, ids and targets and frees little: full collections
        # would traverse the growing heap again and again for nothing (young ones stay on).
        with gc_paused():
            return self._discover(root)

    def _discover(self, root: Task) -> bool:
        record = self._record
        if record._first_task is None and hasattr(root, 'task_id'):
            record._first_task = root.task_id
        self._succeeded = True
        validate_task(root)
        stack = [(root, check_complete(root, self._cache))]
        seen = {root.task_id}
        try:
            while stack:
                task, is_complete = stack.pop()
                for dep in self._add(task, is_complete):
                    if dep.task_id not in seen:
                        validate_task(dep)
                        seen.add(dep.task_id)
                        stack.append((dep, check_complete(dep, self._cache)))
        except (KeyboardInterrupt, TaskException):
            raise
        except Exception as ex:
            self._succeeded = False
            formatted_traceback = traceback.format_exc()
            self._logger.exception('Luigi unexpected framework error while scheduling %s', root)
            root.trigger_event(Event.BROKEN_TASK, root, ex)
            _notify.email_unexpected_error(root, formatted_traceback)
            raise
        return self._succeeded

    def _complete_value_error(self, is_complete: object) -> str | None:
        try:
            if isinstance(is_complete, TracebackWrapper):
                raise AsyncCompletionException(is_complete.trace)
            if self._options.strict_complete_value:
                if not isinstance(is_complete, bool):
                    raise Exception(f'Return value of Task.complete() must be boolean (was {is_complete!r})')
            elif is_complete not in (True, False):
                raise Exception(f'Return value of Task.complete() must be boolean (was {is_complete!r})')
        except KeyboardInterrupt:
            raise
        except AsyncCompletionException as ex:
            return ex.trace
        except BaseException:
            return traceback.format_exc()
        return None

    def _add(self, task: Task, is_complete: object) -> Iterator[Task]:
        """One step of luigi's Worker._add: yields the dependencies to visit, then records the task."""
        graph, options, logger = self._graph, self._options, self._logger
        node = graph.node(task)
        deps: list[Task] | None = None
        runnable = False
        if options.task_limit is not None and len(self._record._scheduled_tasks) >= options.task_limit:
            logger.warning(
                'Will not run %s or any dependencies due to exceeded task-limit of %d', task, options.task_limit
            )
            status = UNKNOWN
        else:
            formatted_traceback = self._complete_value_error(is_complete)
            if formatted_traceback is not None:
                self._succeeded = False
                logger.warning(
                    f'Will not run {task} or any dependencies due to error in complete() method:\n{formatted_traceback}'
                )
                task.trigger_event(Event.DEPENDENCY_MISSING, task)
                _notify.email_complete_error(task, formatted_traceback, options.send_failure_email)
                status = UNKNOWN
            elif is_complete:
                status = DONE
                node.verified = True
                task.trigger_event(Event.DEPENDENCY_PRESENT, task)
            elif is_external(task):
                status = PENDING
                runnable = options.retry_external_tasks
                task.trigger_event(Event.DEPENDENCY_MISSING, task)
                logger.warning(
                    'Data for %s does not exist (yet?). The task is an external data dependency, so it cannot be run from this luigi process.',
                    task,
                )
            else:
                try:
                    deps = [dep.task for dep in node.static_deps] if node.deps is not None else task.deps()
                except Exception as ex:
                    formatted_traceback = traceback.format_exc()
                    self._succeeded = False
                    logger.warning(
                        f'Will not run {task} or any dependencies due to error in deps() method:\n{formatted_traceback}'
                    )
                    task.trigger_event(Event.BROKEN_TASK, task, ex)
                    _notify.email_dependency_error(task, formatted_traceback, options.send_failure_email)
                    deps = None
                    status = UNKNOWN
                else:
                    status = PENDING
                    runnable = True
            if task.disabled:
                status = DISABLED
            if deps:
                valid_types = _valid_dependency_types
                for dep in deps:
                    # _validate_dependency_cached inlined: a type already valid under the current ABC token
                    kind = type(dep)
                    if valid_types.get(kind) != abc.get_cache_token() or dep.__class__ is not kind:
                        _validate_dependency_cached(dep)
                    task.trigger_event(Event.DEPENDENCY_DISCOVERED, task, dep)
                    yield dep
        self._record._scheduled_tasks[task.task_id] = task
        self._record._add_task_history.append((task, status, runnable))
        node.task = task
        if deps is not None:
            graph.set_deps(node, [graph.node(dep) for dep in deps])
        graph.update(node, status, runnable)
        self._log.informed(task.task_id, status)
