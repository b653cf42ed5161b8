"""A failed build's `GokartBuildError`: it names the failed task and its exception, and is chained from it.

With one worker the task's exception is the one raised in this process (luigi's FAILURE event). With
several, tasks run in forked children: what comes back is the text `on_failure()` returned (the formatted
traceback, by default), which becomes a `TaskRunError` standing in for the exception (docs/compat.md, Q42).
"""

from __future__ import annotations

import os
from types import TracebackType
from typing import Any

import luigi

from gokart._notebook._outcomes import record_build
from gokart.errors import GokartBuildError

__all__ = ['TaskRunError', 'conclude', 'failed_tasks', 'user_traceback']

_FAILED = 'FAILED'  # luigi's status, as the engine and luigi's worker record it
# gokart/ and luigi/: frames there are the engine's, not the user's
_LIBRARY_DIRS = (
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep,
    os.path.dirname(os.path.abspath(luigi.__file__)) + os.sep,
)


class TaskRunError(Exception):
    """A task's exception raised in a worker process: its type name and the traceback text the worker sent."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text

    def __str__(self) -> str:
        return self.text


def failed_tasks(result: Any) -> list[Any]:
    """The tasks that failed, in the order they failed, from the run's worker record (engine or luigi's)."""
    history = getattr(getattr(result, 'worker', None), '_add_task_history', None) or []
    failed: dict[str, Any] = {}
    for task, status, _ in history:
        if status == _FAILED:
            failed.setdefault(task.task_id, task)
    return list(failed.values())


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1].strip() if lines else text


def _cause(task: Any, result: Any, raised_exceptions: dict[str, list[Exception]]) -> BaseException | None:
    unique_id = task.make_unique_id() if hasattr(task, 'make_unique_id') else None
    raised = raised_exceptions.get(unique_id) if unique_id is not None else None
    if raised:
        return raised[-1]
    explanations = getattr(getattr(result, 'worker', None), 'failure_explanations', {})
    expl = explanations.get(task.task_id)
    if expl:
        text = str(expl)
        return TaskRunError(text.removeprefix('Runtime error:\n'))
    return None


def _describe(cause: BaseException | None) -> str:
    if cause is None:
        return 'see the summary below'
    if isinstance(cause, TaskRunError):
        return _last_line(cause.text)
    return f'{type(cause).__name__}: {cause}' if str(cause) else type(cause).__name__


def conclude(result: Any, raised_exceptions: dict[str, list[Exception]], failed: bool) -> GokartBuildError | None:
    """Record what the run did (for `visualize()`); for a failed run, the error to raise.

    The message names each failed task and its exception, then luigi's summary (1.12.2's whole message);
    the first failed task's exception is the `__cause__`.
    """
    if not failed:
        record_build(result, {})
        return None
    tasks = failed_tasks(result)
    causes = [_cause(task, result, raised_exceptions) for task in tasks]
    reasons = {task.task_id: _describe(cause) for task, cause in zip(tasks, causes, strict=True)}
    record_build(result, reasons)
    lines = [f'{task} failed: {reasons[task.task_id]}' for task in tasks]
    message = '\n'.join(lines) + '\n\n' + result.summary_text if lines else result.summary_text
    error = GokartBuildError(message, raised_exceptions=raised_exceptions)
    if causes and causes[0] is not None:
        error.__cause__ = causes[0]
    return error


def _is_library(tb: TracebackType) -> bool:
    return os.path.abspath(tb.tb_frame.f_code.co_filename).startswith(_LIBRARY_DIRS)


def user_traceback(error: BaseException) -> TracebackType | None:
    """The cause's traceback from its first frame outside gokart and luigi (the user's run()), else None."""
    cause = error.__cause__
    tb = cause.__traceback__ if cause is not None else None
    while tb is not None and _is_library(tb):
        tb = tb.tb_next
    return tb
