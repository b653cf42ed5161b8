"""What runs on a Dask worker: one chunk of independent tasks, each through the engine's `run_task`, in a
child process forked for the chunk (docs/compat.md, Q63).

The client sends a chunk as cloudpickle bytes (task classes by reference when importable, by value when
defined in `__main__` or a notebook) and gets back, per task, the `RunResult` fields plus the luigi
events the run fired, which the client replays to its own handlers (`_dask.py`). On the worker only
gokart's own handlers run (`gokart._kart.logs`: the log files and the seeds at START), so that every
other handler runs once, on the client, as in a local build (docs/compat.md, Q61).
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import os
import sys
import traceback
from typing import TYPE_CHECKING, Any

import cloudpickle
import luigi.configuration
from luigi.worker import fork_lock

from gokart._engine._pool import _die_with_parent
from gokart._engine._runner import run_task
from gokart._engine._state import DONE
from gokart._kart import logs
from gokart._kart.session import build_session

if TYPE_CHECKING:
    from collections.abc import Iterator

    from luigi.task import Task

__all__ = ['SKIPPED', 'TASK', 'ChunkResult', 'fire', 'run_chunk']

# A chunk member not run because a dependency in the same submission did not finish DONE.
SKIPPED = 'SKIPPED'
# Stands for the task itself among the recorded arguments of its events (the client puts its own in).
TASK = '<gokart:task>'

# (summary for dependent chunks: task_id -> (status, outputs verified), results for the client)
ChunkResult = tuple[dict[str, tuple[str, bool]], bytes]

_logger = logging.getLogger('luigi-interface')


def fire(task: Task, event: str, args: tuple[Any, ...], kwargs: dict[str, Any], *, worker_side: bool) -> None:
    """luigi's Task.trigger_event, restricted to gokart's own handlers (worker) or to all others (client)."""
    for event_class, callbacks in task._event_callbacks.items():
        if not isinstance(task, event_class):
            continue
        for callback in list(callbacks.get(event, ())):
            if (getattr(callback, '__module__', None) == logs.__name__) != worker_side:
                continue
            try:
                callback(*args, **kwargs)
            except KeyboardInterrupt:
                return
            except BaseException:
                _logger.exception('Error in event callback for %r', event)


@contextlib.contextmanager
def _relaying(task: Task, events: list[tuple[str, tuple[Any, ...], dict[str, Any]]]) -> Iterator[None]:
    def trigger_event(event: str, *args: Any, **kwargs: Any) -> None:
        events.append((event, tuple(TASK if arg is task else arg for arg in args), kwargs))
        fire(task, event, args, kwargs, worker_side=True)

    task.trigger_event = trigger_event  # type: ignore[method-assign]
    try:
        yield
    finally:
        task.__dict__.pop('trigger_event', None)


def _apply_config(snapshot: dict[str, dict[str, str]] | None) -> None:
    """The client's luigi configuration, for what tasks read from it while they run."""
    if snapshot is None:
        return
    config = luigi.configuration.get_config()
    for section, items in snapshot.items():
        if not config.has_section(section):
            config.add_section(section)
        for key, value in items.items():
            config.set(section, key, value)


def _portable(value: Any) -> Any:
    """`value`, or a stand-in that pickles (an exception becomes a RuntimeError naming it)."""
    try:
        cloudpickle.dumps(value)
    except Exception:
        if isinstance(value, BaseException):
            return RuntimeError(f'{type(value).__name__}: {value}')
        return repr(value)
    return value


def _dumps_results(results: list[tuple[Any, ...]]) -> bytes:
    try:
        return cloudpickle.dumps(results)
    except Exception:
        safe = []
        for task_id, status, expl, missing, new_deps, verified, events in results:
            events = [(event, tuple(_portable(arg) for arg in args), kwargs) for event, args, kwargs in events]
            safe.append((task_id, status, _portable(expl), missing, new_deps, verified, events))
        return cloudpickle.dumps(safe)


def _run_items(
    payload: bytes, config: dict[str, dict[str, str]] | None, upstream: tuple[ChunkResult, ...]
) -> ChunkResult:
    _apply_config(config)
    options, worker_id, items = cloudpickle.loads(payload)
    known: dict[str, tuple[str, bool]] = {}
    for done, _ in upstream:
        known.update(done)
    summary: dict[str, tuple[str, bool]] = {}
    results: list[tuple[Any, ...]] = []
    with build_session():
        for task, deps, outputs_needed, submitted_deps in items:
            if any(known.get(dep_id, ('', False))[0] != DONE for dep_id in submitted_deps):
                summary[task.task_id] = (SKIPPED, False)
                results.append((task.task_id, SKIPPED, None, [], [], [], []))
                continue
            to_check = [dep for dep in deps if not known.get(dep.task_id, ('', False))[1]]
            events: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []
            with _relaying(task, events):
                result = run_task(task, to_check, options, worker_id, None, forked=True, outputs_needed=outputs_needed)
            summary[task.task_id] = (result.status, task.task_id in result.verified)
            results.append(
                (task.task_id, result.status, result.expl, result.missing, result.new_deps, result.verified, events)
            )
    return summary, _dumps_results(results)


def _child(write_end: int, parent_pid: int, args: tuple[Any, ...]) -> None:
    status = 1
    with os.fdopen(write_end, 'wb') as pipe:
        try:
            if _die_with_parent(parent_pid):  # a lost worker takes its running tasks with it
                before = set(sys.modules)
                result = _run_items(*args)
                imported = [name for name in sys.modules if name not in before]
                pipe.write(b'R' + cloudpickle.dumps((result, imported)))
                status = 0
        except BaseException:
            pipe.write(b'E' + traceback.format_exc().encode())
        finally:
            pipe.flush()
            os._exit(status)


def run_chunk(payload: bytes, config: dict[str, dict[str, str]] | None, *upstream: ChunkResult) -> ChunkResult:
    """Run the tasks of one chunk (independent of each other) in order; never raises for a task's failure.

    The tasks run in a child forked for the chunk, as the local engine's workers do: the Dask worker's own
    threads draw from `random` too, which would make seeded run()s irreproducible (docs/compat.md, Q63).
    """
    read_end, write_end = os.pipe()
    with fork_lock:
        pid = os.fork()
    if pid == 0:
        os.close(read_end)
        _child(write_end, os.getppid(), (payload, config, upstream))
    os.close(write_end)
    with os.fdopen(read_end, 'rb') as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    if data[:1] == b'E':  # the chunk could not run at all (e.g. a task class the worker cannot import)
        raise RuntimeError(f'gokart could not run the chunk on this worker:\n{data[1:].decode()}')
    if status != 0 or data[:1] != b'R':
        raise RuntimeError(f'the process running a gokart chunk exited with status {os.waitstatus_to_exitcode(status)}')
    result: ChunkResult
    result, imported = cloudpickle.loads(data[1:])
    _warm(imported)
    return result


def _warm(names: list[str]) -> None:
    """Import in the worker what its children imported (numpy at the first START, the tasks' modules, ...):
    each chunk's child is forked from the worker, so it would otherwise import them again, chunk after chunk."""
    for name in names:
        if name not in sys.modules:
            with contextlib.suppress(Exception):
                importlib.import_module(name)
