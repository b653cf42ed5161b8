"""The log records luigi's worker and local scheduler emit during a build, emitted by the engine.

Same logger names, levels and message text as gokart 1.12.2 (gokart's worker over luigi 3.8's scheduler),
at the same points of the run: users filter and configure `luigi-interface`, `gokart.worker` (or
`luigi-interface` under luigi's worker semantics) and `luigi.scheduler`. Records whose text needs work (the
scheduler's pending count) are built only when their level is enabled; the others pass lazy %-arguments.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

import luigi.scheduler

from gokart._engine._state import DISABLED, FAILED, PENDING

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from luigi.task import Task

    from gokart._engine._state import Node

__all__ = ['INTERFACE', 'WorkerLog']

INTERFACE = logging.getLogger('luigi-interface')  # luigi's interface, check_complete and keep-alive thread
_SCHEDULER = logging.getLogger('luigi.scheduler')
_DEBUG = logging.DEBUG


class _Failures:
    """luigi's per-task failure window (scheduler.Failures), for its has_excessive_failures() records."""

    __slots__ = ('first', 'times')

    def __init__(self) -> None:
        self.first: float | None = None
        self.times: list[float] = []


class WorkerLog:
    def __init__(self, logger_name: str, worker_id: str) -> None:
        self.logger: logging.Logger = logging.getLogger(logger_name)
        self.worker_id: str = worker_id
        self._failures: dict[str, _Failures] = {}
        self._disabled: set[str] = set()  # failed too often: DISABLED in luigi's scheduler

    # --- luigi.interface._schedule_and_run and the worker's context manager ---

    def stopped(self) -> None:
        INTERFACE.info('Worker %s was stopped. Shutting down Keep-Alive thread', self.worker_id)

    # --- Worker.add ---

    def informed(self, task_id: str, status: str) -> None:
        self.logger.info('Informed scheduler that task   %s   has status   %s', task_id, status)

    # --- Worker.run ---

    def waiting(self, running: int) -> None:
        self.logger.debug('%d running tasks, waiting for next task to finish', running)

    def get_work(
        self, node: Node | None, nodes: Mapping[str, Node], running: Callable[[], list[Node]] | None = None
    ) -> None:
        """Worker._get_work (and Scheduler.get_work) for the next task `node` (None: nothing runnable now).

        Call it before the node is started: luigi counts the pending tasks before marking it RUNNING.
        `running` lists the tasks running in other processes. At DEBUG, the pending count walks the graph
        once per call, as luigi's scheduler does.
        """
        logger = self.logger
        worker_debug = logger.isEnabledFor(_DEBUG)
        if worker_debug:
            logger.debug('Asking scheduler for work...')
        if _SCHEDULER.isEnabledFor(_DEBUG):
            _SCHEDULER.debug('Starting pruning of task graph')
            _SCHEDULER.debug('Done pruning task graph')
        if not worker_debug:
            return
        if node is not None:
            logger.debug('Pending tasks: %s', self._count_pending(nodes))
            return
        logger.debug('Done')
        logger.debug('There are no more tasks to run at this time')
        others = running() if running is not None else []
        if others:
            for other in others:
                logger.debug('%s is currently run by worker %s', other.task_id, self.worker_id)
            return
        pending = self._count_pending(nodes)
        if pending:
            # one worker: every pending task is unique to it and was last scheduled by it
            logger.debug('There are %s pending tasks possibly being run by other workers', pending)
            logger.debug('There are %i pending tasks unique to this worker', pending)
            logger.debug('There are %i pending tasks last scheduled by this worker', pending)

    def failed(self, task: Task) -> None:
        """Scheduler.set_status(FAILED): the failure count and, past the task's retry policy, DISABLED."""
        task_id = task.task_id
        if task_id in self._disabled:
            return
        # Scheduler._generate_retry_policy: the [scheduler] section, overridden by the task's own values
        policy = luigi.scheduler.scheduler()._get_retry_policy()._asdict()
        for name in ('retry_count', 'disable_hard_timeout', 'disable_window'):
            value = getattr(task, name)
            if value is not None:
                policy[name] = value
        retry_count, hard_timeout, window = (
            policy['retry_count'],
            policy['disable_hard_timeout'],
            policy['disable_window'],
        )
        now = time.time()
        failures = self._failures.setdefault(task_id, _Failures())
        if failures.first is None:
            failures.first = now
        failures.times.append(now)
        if now >= failures.first + hard_timeout:
            self._disabled.add(task_id)
            return
        failures.times = [t for t in failures.times if t >= now - window]
        _SCHEDULER.debug('%s task num failures is %s and limit is %s', task_id, len(failures.times), retry_count)
        if len(failures.times) >= retry_count:
            _SCHEDULER.debug('%s task num failures limit(%s) is exceeded', task_id, retry_count)
            self._disabled.add(task_id)

    # --- Scheduler.count_pending ---

    def _count_pending(self, nodes: Mapping[str, Node]) -> int:
        """This worker's PENDING and FAILED tasks, except those with a DISABLED task upstream."""
        disabled = self._disabled
        any_disabled = bool(disabled) or any(node.status == DISABLED for node in nodes.values())
        memo: dict[str, bool] = {}
        count = 0
        for node in nodes.values():
            if not node.can_run or node.status not in (PENDING, FAILED) or node.task_id in disabled:
                continue
            if any_disabled and node.status == PENDING and self._upstream_disabled(node, memo):
                continue
            count += 1
        return count

    def _is_disabled(self, node: Node) -> bool:
        return node.status == DISABLED or (node.status == FAILED and node.task_id in self._disabled)

    def _upstream_disabled(self, root: Node, memo: dict[str, bool]) -> bool:
        """luigi's _upstream_status(...) == UPSTREAM_DISABLED: a DISABLED task reached through PENDING ones."""
        stack: list[tuple[Node, bool]] = [(root, False)]
        while stack:
            node, expanded = stack.pop()
            if expanded:
                memo[node.task_id] = any(memo.get(dep.task_id, False) for dep in node.deps or ())
                continue
            if node.task_id in memo:
                continue
            if self._is_disabled(node):
                memo[node.task_id] = True
            elif node.status == PENDING and node.deps:
                memo[node.task_id] = False  # until its dependencies are known; guards against cycles
                stack.append((node, True))
                stack.extend((dep, False) for dep in node.deps if dep.task_id not in memo)
            else:
                memo[node.task_id] = False  # DONE, RUNNING, FAILED, UNKNOWN: not disabled
        return memo[root.task_id]
