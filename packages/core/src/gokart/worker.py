"""gokart's worker: luigi 3.8.1's worker with a completeness re-check before run and its own config section.

Only the differences are implemented here; scheduling, the run loop, events and the execution summary are
luigi's (`luigi.worker.Worker`, `luigi.worker.TaskProcess`).
"""

from __future__ import annotations

import collections
import logging
import multiprocessing
import multiprocessing.context
import os
import signal
import socket
import time
import traceback
from typing import Any

import luigi
import luigi.scheduler
import luigi.worker
from luigi.event import Event

# what our Worker._get_work returns (luigi's Worker's), importable from here as in gokart 1.12.2
from luigi.worker import GetWorkResponse as GetWorkResponse

from gokart._kart import commit
from gokart._kart.outputs import check_outputs_written, complete_at_run, mark_checked_at_run
from gokart._kart.session import build_session
from gokart.parameter import ExplicitBoolParameter

__all__ = ['ContextManagedTaskProcess', 'TaskProcess', 'Worker', 'gokart_worker']

logger = logging.getLogger(__name__)

# Explicit, so that tasks, queues and pools behave the same whatever the platform's default start method is.
_fork_context = multiprocessing.get_context('fork')


def _is_external(task: luigi.Task) -> bool:
    """True for a task without a run() of its own, which the worker never runs (luigi's convention)."""
    return task.run is None or task.run == NotImplemented


def _get_retry_policy_dict(task: luigi.Task) -> dict[str, Any]:
    """The task's retry settings as the dict the scheduler's add_task takes (luigi's RetryPolicy fields)."""
    return {
        'retry_count': task.retry_count,
        'disable_hard_timeout': task.disable_hard_timeout,
        'disable_window': task.disable_window,
    }


class gokart_worker(luigi.worker.worker):
    """Options of gokart's worker, read from `[gokart_worker]` (luigi's `[worker]` section is not consulted).

    Inheriting luigi's `worker` config keeps the option names, defaults and `[core]` aliases in step with luigi;
    luigi reads values by task family, so the section becomes `gokart_worker`.
    """

    task_completion_check_at_run = ExplicitBoolParameter(
        default=True,
        description='If true, a task that is already complete when its turn comes is not run again.',
    )


class TaskProcess(luigi.worker.TaskProcess):
    """luigi's task process, always forked, which skips `run()` of a task that became complete meanwhile."""

    # multiprocessing.Process starts with the default context; these two attributes pin it to fork.
    _start_method = 'fork'
    _Popen = staticmethod(multiprocessing.context.ForkProcess._Popen)  # type: ignore[assignment]

    def __init__(
        self, *args: Any, task_completion_check_at_run: bool = True, outputs_needed: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.task_completion_check_at_run = task_completion_check_at_run
        # False for the tasks this worker was asked to run: nothing of this run depends on their outputs.
        self.outputs_needed = outputs_needed

    def run(self) -> None:
        # The task's files are staged from before START until its commit in _run_get_new_deps, so a crash
        # cannot leave outputs without their log files (gokart/_kart/commit.py).
        if not luigi.worker._is_external(self.task):
            commit.begin(self.task)
        try:
            super().run()
        finally:
            commit.end(self.task)

    def _run_get_new_deps(self):
        started = time.time()  # luigi's own clock for PROCESSING_TIME starts right before this call
        # Another process may have produced the outputs since scheduling. Returning "no new deps" lets luigi
        # finish the task as DONE, so PROCESSING_TIME and SUCCESS still fire.
        if self.task_completion_check_at_run and complete_at_run(self.task, self.check_complete):
            logger.warning('%s is skipped because the task is already completed.', self.task)
            new_deps = None
        else:
            if self.task_completion_check_at_run:
                mark_checked_at_run(self.task)
            new_deps = super()._run_get_new_deps()
            if not new_deps:
                check_outputs_written(self.task, self.outputs_needed)
        if not new_deps:
            # The log files, then the outputs, before luigi counts the task done: a failure fails the task.
            commit.finish(self.task, time.time() - started)
        return new_deps

    def _handle_run_exception(self, ex: BaseException) -> str:
        commit.end(self.task)  # discards what run() staged; what the failure handlers write is not staged
        # Same steps as luigi, but the traceback goes to gokart's worker logger like the rest of gokart's messages.
        logger.exception('[pid %s] Worker %s failed    %s', os.getpid(), self.worker_id, self.task)
        self.task.trigger_event(Event.FAILURE, self.task, ex)
        return self.task.on_failure(ex)


class ContextManagedTaskProcess(luigi.worker.ContextManagedTaskProcess, TaskProcess):
    """luigi's `task_process_context` support on top of gokart's TaskProcess (MRO: luigi's run, then ours)."""


class Worker(luigi.worker.Worker):
    """luigi's Worker configured by `gokart_worker` and creating gokart task processes."""

    _config: gokart_worker

    def run(self) -> bool:
        with build_session():  # for runs that bypass gokart.build/run, e.g. luigi.build with this worker
            return super().run()

    def __init__(
        self,
        scheduler: luigi.scheduler.Scheduler | None = None,
        worker_id: str | None = None,
        worker_processes: int = 1,
        assistant: bool = False,
        config: gokart_worker | None = None,
    ) -> None:
        # luigi's __init__ hard-wires its own `worker()` config, so the same state is set up here instead.
        self._scheduler = scheduler if scheduler is not None else luigi.scheduler.Scheduler()
        self.worker_processes = int(worker_processes)
        self._worker_info = self._generate_worker_info()
        self._config = config if config is not None else gokart_worker()
        assert self._config.wait_interval >= luigi.worker._WAIT_INTERVAL_EPS, (
            '[gokart_worker] wait_interval must be positive'
        )
        assert self._config.wait_jitter >= 0.0, '[gokart_worker] wait_jitter must be equal or greater than zero'
        self._id = worker_id or self._config.id or self._generate_worker_id(self._worker_info)
        self._assistant = assistant
        self._stop_requesting_work = False
        self.host = socket.gethostname()
        self._scheduled_tasks: dict[str, luigi.Task] = {}
        self._root_task_ids: set[str] = set()
        self._suspended_tasks: dict[str, luigi.Task] = {}
        self._batch_running_tasks: dict[str, Any] = {}
        self._batch_families_sent: set[str] = set()
        self._first_task = None
        self.add_succeeded = True
        self.run_succeeded = True
        self.unfulfilled_counts: collections.defaultdict[str, int] = collections.defaultdict(int)
        if not self._config.no_install_shutdown_handler:
            try:
                signal.signal(signal.SIGUSR1, self.handle_interrupt)
                signal.siginterrupt(signal.SIGUSR1, False)
            except (AttributeError, ValueError):  # no SIGUSR1 on this platform / not the main thread
                pass
        self._task_result_queue = _fork_context.Queue()
        self._running_tasks: dict[str, TaskProcess] = {}
        self._idle_since = None
        self._task_completion_cache = _fork_context.Manager().dict() if self._config.cache_task_completion else None
        self._add_task_history: list[Any] = []
        self._get_work_response_history: list[Any] = []

    def add(self, task: luigi.Task, multiprocess: bool = False, processes: int = 0) -> bool:
        """Schedule `task` and its dependencies (luigi's algorithm; parallel completeness checks are forked)."""
        self._root_task_ids.add(task.task_id)
        if self._first_task is None and hasattr(task, 'task_id'):
            self._first_task = task.task_id
        self.add_succeeded = True
        if multiprocess:
            queue: Any = _fork_context.Manager().Queue()
            pool: Any = _fork_context.Pool(processes=processes if processes > 0 else None)
        else:
            queue = luigi.worker.DequeQueue()
            pool = luigi.worker.SingleProcessPool()
        self._validate_task(task)
        pool.apply_async(luigi.worker.check_complete, [task, queue, self._task_completion_cache])
        pending = 1  # a managed queue has no reliable len()
        try:
            seen = {task.task_id}
            while pending:
                item, is_complete = queue.get()
                pending -= 1
                for dep in self._add(item, is_complete):
                    if dep.task_id not in seen:
                        self._validate_task(dep)
                        seen.add(dep.task_id)
                        pool.apply_async(luigi.worker.check_complete, [dep, queue, self._task_completion_cache])
                        pending += 1
        except (KeyboardInterrupt, luigi.worker.TaskException):
            raise
        except Exception as ex:
            self.add_succeeded = False
            formatted_traceback = traceback.format_exc()
            self._log_unexpected_error(task)
            task.trigger_event(Event.BROKEN_TASK, task, ex)
            self._email_unexpected_error(task, formatted_traceback)
            raise
        finally:
            pool.close()
            pool.join()
        return self.add_succeeded

    def _check_complete_value(self, is_complete: Any) -> None:
        # Stricter than luigi: 1, 0 or numpy booleans are rejected, only a real bool is a valid answer.
        if isinstance(is_complete, luigi.worker.TracebackWrapper):
            raise luigi.worker.AsyncCompletionException(is_complete.trace)
        if not isinstance(is_complete, bool):
            raise Exception(f'Return value of Task.complete() must be boolean (was {is_complete!r})')

    def _create_task_process(self, task: luigi.Task) -> ContextManagedTaskProcess:
        message_queue = _fork_context.Queue() if task.accepts_messages else None
        reporter = luigi.worker.TaskStatusReporter(self._scheduler, task.task_id, self._id, message_queue)
        return ContextManagedTaskProcess(
            self._config.task_process_context,
            task,
            self._id,
            self._task_result_queue,
            reporter,
            use_multiprocessing=self._config.force_multiprocessing or self.worker_processes > 1,
            worker_timeout=self._config.timeout,
            check_unfulfilled_deps=self._config.check_unfulfilled_deps,
            check_complete_on_run=self._config.check_complete_on_run,
            task_completion_cache=self._task_completion_cache,
            task_completion_check_at_run=self._config.task_completion_check_at_run,
            outputs_needed=task.task_id not in self._root_task_ids,
        )
