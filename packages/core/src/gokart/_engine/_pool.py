"""Several workers: long-lived forked children that run tasks by id.

Why processes and not threads: gokart seeds `random`/`numpy.random` per task at START (process-global
state), so threads running tasks side by side would break its reproducibility promise; pickling holds
the GIL; and luigi's multi-worker mode also runs every task in a forked child, so event handlers see the
same process boundaries as before (e.g. gokart.build's raised_exceptions stays empty, docs/compat.md Q7). Measured on a
busy 2-core box, 1,000 trivial TaskOnKart tasks: 2 threads 1.0-1.6 s vs 0.7-1.3 s sequential for the
run+events part (file creation in one directory serialises anyway); luigi's fork-per-task with 2
workers 31.9 s, this pool 5.0 s, one inline worker 5.3 s. A child is forked once and runs many tasks,
so there is no fork (of a possibly large parent) per task.
"""

from __future__ import annotations

import logging
import multiprocessing
import multiprocessing.connection
import time
import traceback
from typing import TYPE_CHECKING, cast

from luigi.event import Event
from luigi.worker import fork_lock

from gokart._engine._runner import RunResult, run_task
from gokart._engine._state import FAILED

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from typing import TypeAlias

    from gokart._engine._graph import CompletionCache
    from gokart._engine._options import EngineOptions
    from gokart._engine._state import Graph, Node

    # parent -> child: (task_id, ids of the dependencies to check, whether a dependent needs its outputs),
    # or None to stop; child -> parent: the result
    _Request: TypeAlias = tuple[str, list[str], bool] | None
    _ParentEnd: TypeAlias = Connection[_Request, RunResult]
    _ChildEnd: TypeAlias = Connection[RunResult, _Request]

__all__ = ['ForkPool']

_CTX = multiprocessing.get_context('fork')


def _child_main(
    conn: _ChildEnd, nodes: dict[str, Node], options: EngineOptions, worker_id: str, cache: CompletionCache | None
) -> None:
    while True:
        try:
            message = conn.recv()
        except EOFError:
            return
        if message is None:
            return
        task_id, dep_ids, outputs_needed = message
        node = nodes[task_id]
        deps = [nodes[dep_id].task for dep_id in dep_ids]
        result = run_task(node.task, deps, options, worker_id, cache, forked=True, outputs_needed=outputs_needed)
        new_deps = [(t.task_module, t.task_family, t.to_str_params()) for t in result.new_deps]
        result = result._replace(new_deps=new_deps)
        try:
            conn.send(result)
        except Exception:  # an expl that does not pickle
            conn.send(result._replace(expl=str(result.expl)))


class _Child:
    def __init__(
        self, graph_nodes: dict[str, Node], options: EngineOptions, worker_id: str, cache: CompletionCache | None
    ) -> None:
        parent_end, child_end = _CTX.Pipe()
        self.conn: _ParentEnd = parent_end
        self.known = len(graph_nodes)  # nodes created later do not exist in the child's copy
        with fork_lock:
            self.process = _CTX.Process(
                target=_child_main, args=(child_end, graph_nodes, options, worker_id, cache), daemon=True
            )
            self.process.start()
        child_end.close()
        self.node: Node | None = None  # the task it runs or ran last
        self.deadline: float | None = None

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.terminate()
        self.conn.close()


class ForkPool:
    def __init__(
        self, size: int, graph: Graph, options: EngineOptions, worker_id: str, cache: CompletionCache | None
    ) -> None:
        self._size = size
        self._graph = graph
        self._options = options
        self._worker_id = worker_id
        self._cache = cache
        self._idle: list[_Child] = []
        self._busy: dict[_ParentEnd, _Child] = {}  # conn -> _Child

    @property
    def has_room(self) -> bool:
        return len(self._busy) < self._size

    @property
    def running(self) -> int:
        return len(self._busy)

    def running_nodes(self) -> list[Node]:
        """The nodes running now, in the order they were submitted."""
        return [child.node for child in self._busy.values() if child.node is not None]

    def submit(self, node: Node, deps_to_check: list[Node]) -> None:
        newest = max([node.seq, *(dep.seq for dep in deps_to_check)])
        child = None
        while self._idle:
            candidate = self._idle.pop()
            if newest < candidate.known:
                child = candidate
                break
            candidate.stop()  # forked before this task existed
        if child is None:
            child = _Child(self._graph.nodes, self._options, self._worker_id, self._cache)
        child.node = node
        timeout = node.task.worker_timeout  # luigi: a task's own worker_timeout overrides [worker] timeout
        child.deadline = time.time() + timeout if timeout else None
        child.conn.send((node.task_id, [dep.task_id for dep in deps_to_check], bool(node.dependents)))
        self._busy[child.conn] = child

    def wait(self, timeout: float | None = None) -> list[tuple[Node, RunResult]]:
        """Block until a child reports or times out, or for at most `timeout` seconds; returns
        [(node, RunResult)] (possibly empty)."""
        done = self._expire()
        deadlines = [c.deadline for c in self._busy.values() if c.deadline is not None]
        if deadlines:
            until_deadline = max(0.0, min(deadlines) - time.time())
            timeout = until_deadline if timeout is None else min(timeout, until_deadline)
        # wait() returns items of the list it is given, here only the parent ends of the pipes
        for conn in cast('list[_ParentEnd]', multiprocessing.connection.wait(list(self._busy), timeout=timeout)):
            child = self._busy.pop(conn)
            node = child.node
            assert node is not None  # set by submit() before the child is busy
            try:
                result = conn.recv()
            except (EOFError, OSError):
                child.process.join(timeout=5)
                message = f'Task {node.task_id} died unexpectedly with exit code {child.process.exitcode}'
                node.task.trigger_event(Event.PROCESS_FAILURE, node.task, message)
                logging.getLogger(self._options.logger_name).info(message)
                result = RunResult(FAILED, message, [], [], [])
                child.conn.close()
            except Exception:
                result = RunResult(FAILED, traceback.format_exc(), [], [], [])
                self._idle.append(child)
            else:
                self._idle.append(child)
            done.append((node, result))
        return done + self._expire()

    def _expire(self) -> list[tuple[Node, RunResult]]:
        """Terminate children whose task ran past its worker_timeout, as luigi's worker does."""
        done = []
        now = time.time()
        for conn, child in list(self._busy.items()):
            if child.deadline is None or now <= child.deadline:
                continue
            del self._busy[conn]
            assert child.node is not None  # set by submit() before the child is busy
            child.process.terminate()
            child.process.join(timeout=5)
            child.conn.close()
            task = child.node.task
            message = f'Task {child.node.task_id} timed out after {task.worker_timeout} seconds and was terminated.'
            task.trigger_event(Event.TIMEOUT, task, message)
            logging.getLogger(self._options.logger_name).info(message)
            done.append((child.node, RunResult(FAILED, message, [], [], [])))
        return done

    def close(self) -> None:
        for child in self._idle:
            child.stop()
        for child in self._busy.values():
            child.process.terminate()
            child.process.join(timeout=5)
        self._idle.clear()
        self._busy.clear()
