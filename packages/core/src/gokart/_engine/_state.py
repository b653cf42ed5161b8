"""The task graph and the status rules of luigi's local scheduler, kept in O(1) per transition.

Each node counts its dependencies that are not DONE (`waiting`); a node becomes ready when that count
reaches zero, so a whole build touches every edge a constant number of times.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from luigi.scheduler import DISABLED, DONE, FAILED, PENDING, RUNNING, UNKNOWN

if TYPE_CHECKING:
    from collections.abc import Callable

    from luigi.task import Task

__all__ = ['DISABLED', 'DONE', 'FAILED', 'LOCKED', 'PENDING', 'RUNNING', 'UNKNOWN', 'Graph', 'Node']

# Engine-only result of a run: another process holds the task's redis run lock. Not a luigi status: the
# task goes back to PENDING and is retried later (`_scheduler.LockRetries`).
LOCKED = 'LOCKED'


class Node:
    __slots__ = (
        'task',
        'task_id',
        'seq',
        'deps',
        'dependents',
        'status',
        'can_run',
        'waiting',
        'queued',
        'verified',
        'static_deps',
    )

    def __init__(self, task: Task, seq: int) -> None:
        self.task: Task = task
        self.task_id: str = task.task_id
        self.seq: int = seq
        self.deps: list[Node] | None = None  # None until the worker has looked at the task
        self.static_deps: list[Node] = []  # requires() only: what luigi's summary walks
        self.dependents: list[Node] = []
        # luigi's scheduler creates a dependency it has not been told about as UNKNOWN
        self.status: str = UNKNOWN
        self.can_run: bool = False
        self.waiting: int = 0
        self.queued: bool = False
        # complete() is known True now: the dependents' "unfulfilled dependency" check can skip it
        self.verified: bool = False

    def __repr__(self) -> str:
        return f'<Node {self.task_id} {self.status}>'


class Graph:
    """Nodes by task id plus the transitions of luigi's Scheduler.add_task that matter to one local worker."""

    def __init__(self, on_ready: Callable[[Node], None]) -> None:
        self.nodes: dict[str, Node] = {}
        self._on_ready: Callable[[Node], None] = on_ready

    def node(self, task: Task) -> Node:
        node = self.nodes.get(task.task_id)
        if node is None:
            node = self.nodes[task.task_id] = Node(task, len(self.nodes))
        return node

    def set_deps(self, node: Node, deps: list[Node]) -> None:
        """Record the dependencies of a node once; later re-adds of the same node keep them."""
        if node.deps is not None:
            return
        unique: dict[str, Node] = {}
        for dep in deps:
            unique.setdefault(dep.task_id, dep)
        node.deps = list(unique.values())
        node.static_deps = node.deps
        node.waiting = 0
        for dep in node.deps:
            dep.dependents.append(node)
            if dep.status != DONE:
                node.waiting += 1

    def add_dynamic_deps(self, node: Node, deps: list[Node]) -> None:
        known = {dep.task_id for dep in node.deps or ()}
        node.deps = list(node.deps or ())
        for dep in deps:
            if dep.task_id in known:
                continue
            known.add(dep.task_id)
            node.deps.append(dep)
            dep.dependents.append(node)
            if dep.status != DONE:
                node.waiting += 1

    def update(self, node: Node, status: str, runnable: bool | None) -> None:
        """Scheduler.add_task as seen from the only worker of a local scheduler."""
        if node.status == RUNNING:
            return  # luigi ignores re-adds of a running task
        # a re-add that claims PENDING right after the task was DONE is ignored (stable_done_cooldown_secs)
        if not (status == PENDING and node.status == DONE):
            self._set_status(node, status)
        if runnable and status != FAILED:
            node.can_run = True
        self._maybe_ready(node)

    def start(self, node: Node) -> None:
        node.status = RUNNING
        node.queued = False

    def postpone(self, node: Node) -> None:
        """Back to PENDING without becoming ready: whoever postponed it pushes it again later."""
        node.status = PENDING
        node.queued = True  # re-adds meanwhile must not queue it a second time

    def finish(self, node: Node, status: str) -> None:
        self._set_status(node, status)
        self._maybe_ready(node)

    def _set_status(self, node: Node, status: str) -> None:
        old = node.status
        if old == status:
            return
        node.status = status
        if status == DONE:
            for parent in node.dependents:
                parent.waiting -= 1
                self._maybe_ready(parent)
        elif old == DONE:  # not reached by a local worker, kept for consistency of the counters
            for parent in node.dependents:
                parent.waiting += 1

    def _maybe_ready(self, node: Node) -> None:
        if node.status == PENDING and node.can_run and node.waiting == 0 and not node.queued:
            node.queued = True
            self._on_ready(node)
