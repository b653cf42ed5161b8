"""What the builds of this process last did to each task, by luigi task id: `visualize()` colours failures from it."""

from __future__ import annotations

from typing import Any

__all__ = ['last_failure', 'record_build']

# task id -> the one-line reason of its last failure; a later successful run of the task removes it
_FAILED: dict[str, str] = {}


def record_build(result: Any, failures: dict[str, str]) -> None:
    """After a build: `failures` maps failed task ids to their reasons; tasks that ran fine are forgotten."""
    if not _FAILED and not failures:  # the usual case: nothing to forget, no walk over the run's tasks
        return
    history = getattr(getattr(result, 'worker', None), '_add_task_history', None) or []
    for task, status, _ in history:
        if status == 'DONE':
            _FAILED.pop(task.task_id, None)
    _FAILED.update(failures)


def last_failure(task_id: str) -> str | None:
    return _FAILED.get(task_id)
