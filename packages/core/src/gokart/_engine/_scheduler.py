"""The ready queue: tasks whose dependencies are all DONE, picked in luigi's order and within its resources.

luigi's scheduler picks the runnable task of highest priority, then the one it heard of first. A heap on
(-priority, discovery order) gives the same order at O(log n) per task; for 100,000 tasks that is about
17 tuple comparisons each, far below the cost of a single complete() call.
"""

from __future__ import annotations

import collections
import heapq
import random
import time
from typing import TYPE_CHECKING

import luigi.configuration

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    from gokart._engine._state import Node

__all__ = ['LockRetries', 'ReadyQueue']


class ReadyQueue:
    def __init__(self) -> None:
        self._heap: list[tuple[int, int, Node]] = []  # (-priority, discovery order, node)
        self._blocked: list[Node] = []  # ready, but waiting for resources held by running tasks
        self._limits: dict[str, int] = luigi.configuration.get_config().getintdict('resources')
        self._used: collections.Counter[str] = collections.Counter()
        self._priority: dict[str, int] = {}

    def push(self, node: Node) -> None:
        heapq.heappush(self._heap, (-self._priority.get(node.task_id, node.task.priority or 0), node.seq, node))

    def inherit_priorities(self, nodes: Iterable[Node]) -> None:
        """luigi's scheduler raises a dependency's priority to that of its most urgent dependent.

        One pass in topological order (dependents first), only when some task sets a priority.
        """
        nodes = list(nodes)
        if not any(node.task.priority for node in nodes):
            return
        pending = {node.task_id: len(node.dependents) for node in nodes}
        order = [node for node in nodes if not node.dependents]
        priority = self._priority
        for node in order:  # grows while iterating: Kahn's algorithm
            mine = max(priority.get(node.task_id, 0), node.task.priority or 0)
            priority[node.task_id] = mine
            for dep in node.deps or ():
                priority[dep.task_id] = max(priority.get(dep.task_id, 0), mine)
                pending[dep.task_id] -= 1
                if pending[dep.task_id] == 0:
                    order.append(dep)
        self._heap = [(-priority.get(n.task_id, 0), seq, n) for _, seq, n in self._heap]
        heapq.heapify(self._heap)

    def __len__(self) -> int:
        return len(self._heap) + len(self._blocked)

    def pop(self) -> Node | None:
        """The next node allowed to run now, or None (nothing ready, or all ready ones wait for resources)."""
        while self._heap:
            _, _, node = heapq.heappop(self._heap)
            resources = node.task.process_resources()
            if not resources or self._fits(resources):
                self._take(resources)
                return node
            if self._fits(resources, used=collections.Counter()):
                self._blocked.append(node)
            # else: can never fit; luigi's scheduler never grants it either, so it stays PENDING
        return None

    def release(self, node: Node) -> None:
        """A running node finished: give its resources back and retry the nodes that waited for them."""
        resources = node.task.process_resources()
        if not resources:
            return
        self._used.subtract(resources)
        for blocked in self._blocked:
            self.push(blocked)
        self._blocked.clear()

    def _fits(self, resources: Mapping[str, int], used: collections.Counter[str] | None = None) -> bool:
        used = self._used if used is None else used
        return all(amount + used[name] <= self._limits.get(name, 1) for name, amount in resources.items())

    def _take(self, resources: Mapping[str, int] | None) -> None:
        if resources:
            self._used.update(resources)


class LockRetries:
    """Tasks whose redis run lock another process holds, each pushed back to the ready queue after a
    capped exponential backoff with jitter. Meanwhile the engine runs other ready tasks.

    A retry either finds the task complete (the holder finished: the at-run check skips it), takes the
    lock (the holder's lock expired after `redis_timeout`, as in gokart 1.12.2) or backs off again.
    """

    FIRST_DELAY = 0.05
    MAX_DELAY = 2.0

    def __init__(self, push: Callable[[Node], None]) -> None:
        self._push = push
        self._heap: list[tuple[float, int, Node]] = []  # (monotonic time due, discovery order, node)
        self._attempts: dict[str, int] = {}
        self._random = random.Random()  # tasks reseed the global generator; the backoff must not follow it

    def __len__(self) -> int:
        return len(self._heap)

    def postpone(self, node: Node) -> float:
        """Schedule another try of `node`; returns the delay in seconds."""
        attempt = self._attempts.get(node.task_id, 0)
        self._attempts[node.task_id] = attempt + 1
        delay = min(self.MAX_DELAY, self.FIRST_DELAY * 2**attempt) * self._random.uniform(0.5, 1.0)
        heapq.heappush(self._heap, (time.monotonic() + delay, node.seq, node))
        return delay

    def push_due(self) -> None:
        now = time.monotonic()
        while self._heap and self._heap[0][0] <= now:
            self._push(heapq.heappop(self._heap)[2])

    def seconds_to_next(self) -> float | None:
        """None when nothing waits, else how long until the next retry is due (0 if it is)."""
        if not self._heap:
            return None
        return max(0.0, self._heap[0][0] - time.monotonic())
