"""Several workers: long-lived forked children that run tasks by id.

Why processes and not threads: gokart seeds `random`/`numpy.random` per task at START (process-global
state), so threads running tasks side by side would break its reproducibility promise; pickling holds
the GIL; and luigi's multi-worker mode also runs every task in a forked child, so event handlers see the
same process boundaries as before (e.g. gokart.build's raised_exceptions stays empty, docs/compat.md Q7). Measured on a
busy 2-core box, 1,000 trivial TaskOnKart tasks: 2 threads 1.0-1.6 s vs 0.7-1.3 s sequential for the
run+events part (file creation in one directory serialises anyway); luigi's fork-per-task with 2
workers 31.9 s, this pool 5.0 s, one inline worker 5.3 s. A child is forked once and runs many tasks,
so there is no fork (of a possibly large parent) per task.

Nothing outlives the engine's process. Every child closes, right after the fork, the parent's ends of
all pipes of the engine (its own and those of earlier children, `_PARENT_ENDS`), so the death of the
parent (SIGKILL included) is an EOF on its pipe; on Linux it also gets SIGTERM when its parent dies
(`prctl(PR_SET_PDEATHSIG)`), and it compares `os.getppid()` with the parent it was forked from before
each task. In the parent, a SIGTERM during a multi-worker run stops and reaps the children first
(`terminate_children_on_sigterm`), then kills the process with SIGTERM as before.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import logging
import multiprocessing
import multiprocessing.connection
import multiprocessing.managers
import os
import signal
import sys
import threading
import time
import traceback
from typing import TYPE_CHECKING, Any, cast

from luigi.event import Event
from luigi.worker import fork_lock

from gokart._engine._runner import RunResult, run_task
from gokart._engine._state import FAILED

if TYPE_CHECKING:
    from collections.abc import Iterator
    from multiprocessing.connection import Connection
    from types import FrameType
    from typing import TypeAlias

    from gokart._engine._graph import CompletionCache
    from gokart._engine._options import EngineOptions
    from gokart._engine._state import Graph, Node

    # parent -> child: (task_id, ids of the dependencies to check, whether a dependent needs its outputs),
    # or None to stop; child -> parent: the result
    _Request: TypeAlias = tuple[str, list[str], bool] | None
    _ParentEnd: TypeAlias = Connection[_Request, RunResult]
    _ChildEnd: TypeAlias = Connection[RunResult, _Request]

__all__ = ['ForkPool', 'start_cache_manager', 'terminate_children_on_sigterm']

_CTX = multiprocessing.get_context('fork')
_PR_SET_PDEATHSIG = 1  # linux/prctl.h

# The parent's ends of the pipes of every live child of this process (all pools, all threads). Changed
# only under luigi's fork_lock, which every fork of the engine holds, so a child never inherits an end
# that is not in the set.
_PARENT_ENDS: set[_ParentEnd] = set()


def _close_parent_ends() -> None:
    """In a forked child: close the inherited parent ends, so that each pipe has one reader left."""
    for conn in list(_PARENT_ENDS):
        with contextlib.suppress(OSError):
            conn.close()
    _PARENT_ENDS.clear()
    if signal.getsignal(signal.SIGTERM) is _on_sigterm:  # the parent's handler is no business of a child
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


os.register_at_fork(after_in_child=_close_parent_ends)


@functools.cache
def _prctl() -> Any:
    if not sys.platform.startswith('linux'):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


def _die_with_parent(parent_pid: int) -> bool:
    """In a child: ask for SIGTERM when the parent dies (Linux); False if it is already gone."""
    prctl = _prctl()
    if prctl is not None:
        zero = ctypes.c_ulong(0)
        prctl(_PR_SET_PDEATHSIG, ctypes.c_ulong(signal.SIGTERM), zero, zero, zero)
    return os.getppid() == parent_pid  # it may have died before prctl: then we are already orphaned


def _manager_init(parent_pid: int) -> None:
    if not _die_with_parent(parent_pid):
        os._exit(0)


def start_cache_manager() -> multiprocessing.managers.SyncManager:
    """The manager process of the completion cache shared by the children; it dies with its parent."""
    manager = multiprocessing.managers.SyncManager(ctx=_CTX)
    with fork_lock:
        manager.start(initializer=_manager_init, initargs=(os.getpid(),))
    return manager


def _child_main(
    conn: _ChildEnd,
    nodes: dict[str, Node],
    options: EngineOptions,
    worker_id: str,
    cache: CompletionCache | None,
    parent_pid: int,
) -> None:
    if not _die_with_parent(parent_pid):
        return
    try:
        _serve(conn, nodes, options, worker_id, cache, parent_pid)
    except KeyboardInterrupt:
        # Ctrl-C reaches the whole process group: the task saw it, the parent stops the build and
        # reports; exit without multiprocessing's traceback of every child.
        sys.exit(128 + signal.SIGINT)


def _serve(
    conn: _ChildEnd,
    nodes: dict[str, Node],
    options: EngineOptions,
    worker_id: str,
    cache: CompletionCache | None,
    parent_pid: int,
) -> None:
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):  # the parent is gone
            return
        if message is None or os.getppid() != parent_pid:
            return
        task_id, dep_ids, outputs_needed = message
        node = nodes[task_id]
        deps = [nodes[dep_id].task for dep_id in dep_ids]
        result = run_task(node.task, deps, options, worker_id, cache, forked=True, outputs_needed=outputs_needed)
        new_deps = [(t.task_module, t.task_family, t.to_str_params()) for t in result.new_deps]
        result = result._replace(new_deps=new_deps)
        try:
            conn.send(result)
        except OSError:  # the parent is gone
            return
        except Exception:  # an expl that does not pickle
            conn.send(result._replace(expl=str(result.expl)))


class _Child:
    def __init__(
        self, graph_nodes: dict[str, Node], options: EngineOptions, worker_id: str, cache: CompletionCache | None
    ) -> None:
        self.known = len(graph_nodes)  # nodes created later do not exist in the child's copy
        with fork_lock:
            parent_end, child_end = _CTX.Pipe()
            self.conn: _ParentEnd = parent_end
            _PARENT_ENDS.add(parent_end)
            self.process = _CTX.Process(
                target=_child_main,
                args=(child_end, graph_nodes, options, worker_id, cache, os.getpid()),
                daemon=True,
            )
            try:
                self.process.start()
            except BaseException:
                _PARENT_ENDS.discard(parent_end)
                parent_end.close()
                raise
            finally:
                child_end.close()
        self.node: Node | None = None  # the task it runs or ran last
        self.deadline: float | None = None

    def close_conn(self) -> None:
        with fork_lock:
            _PARENT_ENDS.discard(self.conn)
            self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(timeout=5)
        self.close_conn()

    def kill(self) -> None:
        self.process.terminate()
        self.process.join(timeout=5)
        self.close_conn()


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
        if _sigterm_received.is_set():  # the _Terminated of the handler was swallowed (luigi's event dispatch)
            raise _Terminated()
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
                child.close_conn()
                message = f'Task {node.task_id} died unexpectedly with exit code {child.process.exitcode}'
                node.task.trigger_event(Event.PROCESS_FAILURE, node.task, message)
                logging.getLogger(self._options.logger_name).info(message)
                result = RunResult(FAILED, message, [], [], [])
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
            child.kill()
            task = child.node.task
            message = f'Task {child.node.task_id} timed out after {task.worker_timeout} seconds and was terminated.'
            task.trigger_event(Event.TIMEOUT, task, message)
            logging.getLogger(self._options.logger_name).info(message)
            done.append((child.node, RunResult(FAILED, message, [], [], [])))
        return done

    def close(self) -> None:
        while self._busy:
            self._busy.popitem()[1].kill()
        while self._idle:
            self._idle.pop().stop()


class _Terminated(KeyboardInterrupt):
    """Raised by the SIGTERM handler. A KeyboardInterrupt, which the catch-all handlers of luigi and gokart
    re-raise; luigi's event dispatch swallows it, so ForkPool.wait() raises it again."""


_sigterm_received = threading.Event()


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    if _sigterm_received.is_set():
        return  # already stopping
    _sigterm_received.set()
    raise _Terminated()


@contextlib.contextmanager
def terminate_children_on_sigterm() -> Iterator[None]:
    """While this block runs children: a SIGTERM stops them (the blocks inside clean up), then kills us.

    Only in the main thread, and only if SIGTERM has its default action (a handler of the user's is
    left alone; the children still die with the process). The process ends by SIGTERM, as without
    this block, with its children reaped.
    """
    if threading.current_thread() is not threading.main_thread() or signal.getsignal(signal.SIGTERM) != signal.SIG_DFL:
        yield
        return
    _sigterm_received.clear()
    signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        yield
    except _Terminated:
        pass
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        if _sigterm_received.is_set():
            os.kill(os.getpid(), signal.SIGTERM)
