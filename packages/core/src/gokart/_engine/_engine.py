"""The local engine: discovery, then a ready-queue loop that runs tasks inline or in forked children."""

from __future__ import annotations

import contextlib
import logging
import time
from typing import TYPE_CHECKING

from luigi.task_register import load_task

from gokart._codec import heap_frozen
from gokart._engine import _notify
from gokart._engine._graph import Discovery, is_external
from gokart._engine._runner import run_task
from gokart._engine._scheduler import LockRetries, ReadyQueue
from gokart._engine._state import DONE, FAILED, LOCKED, PENDING, Graph
from gokart._engine._summary import RunRecord, make_result
from gokart._engine._worker_log import INTERFACE, WorkerLog
from gokart._lazy import LazyModule

if TYPE_CHECKING:
    from collections.abc import Iterable
    from multiprocessing.managers import SyncManager

    from luigi.execution_summary import LuigiRunResult
    from luigi.task import Task

    from gokart._engine import _pool
    from gokart._engine._graph import CompletionCache
    from gokart._engine._options import EngineOptions
    from gokart._engine._runner import RunResult
    from gokart._engine._state import Node
else:
    # forked workers only (several workers, a worker_timeout): a one-worker build imports no multiprocessing pool
    _pool = LazyModule('gokart._engine._pool', globals(), '_pool')

__all__ = ['Engine']


class Engine:
    def __init__(self, options: EngineOptions, workers: int = 1) -> None:
        self.options: EngineOptions = options
        self.workers: int = max(1, int(workers))
        self.record: RunRecord = RunRecord(options.worker_id, self.workers)
        self._queue: ReadyQueue = ReadyQueue()
        self.graph: Graph = Graph(self._queue.push)
        self._lock_retries: LockRetries = LockRetries(self._queue.push)
        self.record._nodes = self.graph.nodes
        self._cache: CompletionCache | None = None
        self._manager: SyncManager | None = None
        if options.cache_task_completion:
            if self.workers > 1:
                self._manager = _pool.start_cache_manager()
                self._cache = self._manager.dict()
            else:
                self._cache = {}
        self._log: WorkerLog = WorkerLog(options.logger_name, self.record._id)
        self._discovery = Discovery(self.graph, self.record, options, self._cache, self._log)
        self._unfulfilled_counts: dict[str, int] = {}
        self._logger: logging.Logger = self._log.logger
        self.run_succeeded: bool = True

    def add(self, task: Task) -> bool:
        return self._discovery.add(task)

    def run(self) -> bool:
        self._logger.info('Running Worker with %d processes', self.workers)
        self.run_succeeded = True
        self._queue.inherit_priorities(self.graph.nodes.values())
        if self.workers > 1 or self.options.force_multiprocessing:
            self._run_forked()
        else:
            self._run_inline()
        return self.run_succeeded

    def build(self, tasks: Iterable[Task]) -> LuigiRunResult:
        """Add every task, run, and return luigi's LuigiRunResult for it.

        With several workers, a SIGTERM stops and reaps the children (and the cache's manager) before
        it ends the process.
        """
        sigterm = _pool.terminate_children_on_sigterm() if self.workers > 1 else contextlib.nullcontext()
        with sigterm, contextlib.ExitStack() as frozen:
            try:
                success = True
                for task in tasks:
                    success &= self.add(task)
                INTERFACE.info('Done scheduling tasks')
                # the graph stays alive until the summary: no full collection traverses it (gokart_fastio._gcpause)
                frozen.enter_context(heap_frozen())
                success &= self.run()
            finally:
                self._log.stopped()  # luigi's worker context ends, even on an exception
                self.close()
            result = make_result(self.record, success)
        INTERFACE.info(result.summary_text)
        return result

    def close(self) -> None:
        """Stop the manager process of the completion cache, if any."""
        if self._manager is not None:
            self._manager.shutdown()
            self._manager = None

    def _deps_to_check(self, node: Node) -> list[Node]:
        if not self.options.check_unfulfilled_deps or is_external(node.task):
            return []
        return [dep for dep in node.static_deps if not dep.verified]

    def _run_inline(self) -> None:
        queue, graph, retries, log = self._queue, self.graph, self._lock_retries, self._log
        while True:
            retries.push_due()
            node = queue.pop()
            log.get_work(node, graph.nodes)
            if node is None:
                wait = retries.seconds_to_next()
                if wait is None:
                    return
                time.sleep(wait)  # only tasks locked by other processes are left
                continue
            graph.start(node)
            to_check = self._deps_to_check(node)
            if node.task.worker_timeout is not None:
                result = self._run_with_timeout(node, to_check)
            else:
                result = run_task(
                    node.task,
                    [dep.task for dep in to_check],
                    self.options,
                    self.record._id,
                    self._cache,
                    outputs_needed=bool(node.dependents),
                )
            log.waiting(1)
            queue.release(node)
            self._handle(node, result)

    def _run_with_timeout(self, node: Node, to_check: list[Node]) -> RunResult:
        """luigi runs a task with a worker_timeout in a child process it can terminate: so do we."""
        pool = _pool.ForkPool(1, self.graph, self.options, self.record._id, self._cache)
        try:
            pool.submit(node, to_check)
            while True:
                for _, result in pool.wait():
                    if result.new_deps:
                        result = result._replace(new_deps=[load_task(m, f, p) for m, f, p in result.new_deps])
                    return result
        finally:
            pool.close()

    def _run_forked(self) -> None:
        queue, graph, retries, log = self._queue, self.graph, self._lock_retries, self._log
        pool = _pool.ForkPool(self.workers, graph, self.options, self.record._id, self._cache)
        try:
            while True:
                retries.push_due()
                while pool.has_room:
                    node = queue.pop()
                    log.get_work(node, graph.nodes, pool.running_nodes)
                    if node is None:
                        break
                    graph.start(node)
                    pool.submit(node, self._deps_to_check(node))
                if not pool.running:
                    wait = retries.seconds_to_next()
                    if wait is None:
                        return
                    time.sleep(wait)  # only tasks locked by other processes are left
                    continue
                if not pool.has_room:
                    log.waiting(pool.running)
                for node, result in pool.wait(timeout=retries.seconds_to_next()):
                    queue.release(node)
                    if result.new_deps:
                        result = result._replace(new_deps=[load_task(m, f, p) for m, f, p in result.new_deps])
                    self._handle(node, result)
        finally:
            pool.close()

    def _handle(self, node: Node, result: RunResult) -> None:
        """Luigi's Worker._handle_next_task for one finished task."""
        task = node.task
        status = result.status
        if status == LOCKED:  # its run lock is held by another process: run other tasks, come back later
            for task_id in result.verified:
                self.graph.nodes[task_id].verified = True
            self.graph.postpone(node)
            delay = self._lock_retries.postpone(node)
            self._logger.debug('%s is locked by another process; retrying in %.2f s', task, delay)
            return
        if status == FAILED and not (is_external(task) and self.options.retry_external_tasks):
            _notify.email_task_failure(task, result.expl, self.options.send_failure_email)
        for task_id in result.verified:
            self.graph.nodes[task_id].verified = True
        new_nodes = []
        for dep in result.new_deps:
            self.add(dep)
            new_nodes.append(self.graph.node(dep))
        if status == FAILED:
            self._log.failed(task)
            self.record.failure_explanations[task.task_id] = result.expl
        self._log.informed(task.task_id, status)
        self.record._add_task_history.append((task, status, None))
        if new_nodes:
            self.graph.add_dynamic_deps(node, new_nodes)
        node.queued = False
        self.graph.finish(node, status if status in (DONE, FAILED, PENDING) else FAILED)
        if status == DONE and self.options.check_complete_on_run:
            node.verified = True  # else the first dependent to run checks it (luigi's check_unfulfilled_deps)
        if result.missing:
            reschedule = True
            for key in result.missing:  # luigi counts per missing-dependency text, not per task
                self._unfulfilled_counts[key] = self._unfulfilled_counts.get(key, 0) + 1
                if self._unfulfilled_counts[key] > self.options.max_reschedules:
                    reschedule = False
            if reschedule:
                self.add(task)
        self.run_succeeded &= status == DONE or bool(new_nodes)
