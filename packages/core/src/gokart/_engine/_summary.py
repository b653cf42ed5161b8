"""luigi's execution summary and status code, built by luigi's own text builder from the engine's record.

luigi computes the "upstream_*" and "not_run" categories with a recursive walk that calls requires()
again; here the same categories come from the post-order walk (gokart._kart.walk) over the recorded edges.
"""

from __future__ import annotations

import getpass
import os
import random
import socket
from typing import TYPE_CHECKING, Any

from luigi import execution_summary as es

from gokart._kart.walk import post_order

if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import TypeAlias

    from luigi.task import Task

    from gokart._engine._state import Node

    # luigi's summary categories ('completed', 'ever_failed', 'upstream_failure', ...) -> their tasks
    SummarySets: TypeAlias = dict[str, set[Task]]

__all__ = ['RunRecord', 'make_result', 'summary_dict']


class RunRecord:
    """What luigi's execution_summary reads from a Worker, filled in by the engine."""

    def __init__(self, worker_id: str, worker_processes: int) -> None:
        self.worker_processes: int = worker_processes
        self._id: str = worker_id or self._generate_id(worker_processes)
        # (task, status, runnable): runnable is None for the record of a finished run
        self._add_task_history: list[tuple[Task, str, bool | None]] = []
        self._scheduled_tasks: dict[str, Task] = {}
        self._get_work_response_history: list[Any] = []  # only remote schedulers report other workers
        self._first_task: str | None = None
        self._nodes: dict[str, Node] = {}
        # task id -> what on_failure() returned (a traceback text by default): read by gokart.build's error
        self.failure_explanations: dict[str, Any] = {}

    @staticmethod
    def _generate_id(worker_processes: int) -> str:
        info = [('salt', f'{random.randrange(0, 10_000_000_000):09d}'), ('workers', worker_processes)]
        for key, getter in (('host', socket.gethostname), ('username', getpass.getuser), ('pid', os.getpid)):
            try:
                info.append((key, getter()))
            except Exception:
                pass
        return 'Worker({})'.format(', '.join(f'{k}={v}' for k, v in info))


def _populate_unknown_statuses(set_tasks: SummarySets, nodes: Mapping[str, Node]) -> None:
    """Same result as luigi's recursive _depth_first_search, without recursion or requires() calls."""
    pending = set_tasks['still_pending_not_ext']
    ever_failed = set_tasks['ever_failed']
    ext = set_tasks['still_pending_ext']
    scheduling_error = set_tasks['scheduling_error']
    other_worker = set_tasks['run_by_other_worker']
    up_fail = set_tasks['upstream_failure']
    up_missing = set_tasks['upstream_missing_dependency']
    up_other = set_tasks['upstream_run_by_other_worker']
    up_sched = set_tasks['upstream_scheduling_error']
    not_run = set_tasks['not_run']

    def children(task: Task) -> list[Task]:
        node = nodes.get(task.task_id)
        return [dep.task for dep in node.static_deps] if node is not None and task in pending else []

    def visit(current: Task) -> None:
        if current not in pending:
            return
        flags = [False, False, False, False]
        for dep in children(current):
            if dep in ever_failed or dep in up_fail:
                up_fail.add(current)
                flags[0] = True
            if dep in ext or dep in up_missing:
                up_missing.add(current)
                flags[1] = True
            if dep in other_worker or dep in up_other:
                up_other.add(current)
                flags[2] = True
            if dep in scheduling_error:
                up_sched.add(current)
                flags[3] = True
        if not any(flags) and current not in other_worker:
            not_run.add(current)

    post_order(pending, children, visit, key=lambda task: task)


def summary_dict(record: RunRecord) -> SummarySets:
    """The equivalent of luigi.execution_summary._summary_dict(worker) for an engine run."""
    set_tasks = es._partition_tasks(record)
    set_tasks['run_by_other_worker'] = es._get_run_by_other_worker(record)
    _populate_unknown_statuses(set_tasks, record._nodes)
    return set_tasks


def make_result(record: RunRecord, scheduling_succeeded: bool) -> es.LuigiRunResult:
    """A LuigiRunResult whose text, status and one-line summary are those luigi would print."""
    set_tasks = summary_dict(record)
    result = es.LuigiRunResult.__new__(es.LuigiRunResult)
    result.worker = record
    result.summary_text = es._summary_wrap(es._summary_format(set_tasks, record))
    result.status = es._tasks_status(set_tasks)
    result.one_line_summary = es._create_one_line_summary(result.status)
    result.scheduling_succeeded = scheduling_succeeded
    result.summary_sets = set_tasks  # type: ignore[attr-defined]  # the engine's addition, read by gokart.run
    return result
