"""What a TaskOnKart's outputs say: written after run(), complete right before it, recorded as inputs."""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Callable
from typing import Any

from gokart._kart import patch_points
from gokart._kart.register import is_kart
from gokart._kart.session import memoized, outputs_of, requires_of
from gokart._kart.state import state_of
from gokart._targets import listing
from gokart.errors import OutputNotWrittenWarning, TaskOutputMissingError
from gokart.required_task_output import RequiredTaskOutput
from gokart.target import SingleFileTarget, TargetOnKart
from gokart.utils import flatten, map_flattenable_items

__all__ = [
    'check_outputs_written',
    'complete_at_run',
    'complete_check_in_run',
    'complete_is_exists',
    'mark_checked_at_run',
    'output_path',
    'required_outputs',
]


def output_path(target: Any) -> Any:
    # A plain luigi target has a `path` attribute, not a method (docs/compat.md, Q18).
    return target.path() if callable(target.path) else target.path


def check_outputs_written(task: Any, needed: bool = True) -> bool:
    """True when every output of a TaskOnKart exists after its run().

    A missing output that a dependent `needed` fails the task now (TaskOutputMissingError): luigi would
    mark it done and the dependent would fail later, obscurely, and be retried. A task that nothing in
    this run depends on (a root, e.g. an aggregator with only requires()) succeeds, as in gokart 1.12.2
    (docs/compat.md, Q25), with a warning.
    """
    if not is_kart(task):
        return False
    missing = [target for target in flatten(outputs_of(task)) if not target.exists()]
    if not missing:
        return True
    paths = ', '.join(str(output_path(t)) if hasattr(t, 'path') else str(t) for t in missing)
    if needed:
        raise TaskOutputMissingError(
            f'{task!r} finished run() without writing its output: {paths}. Does run() call self.dump()?'
        )
    _warn_at_class(type(task), f'{task!r} finished run() without writing its output: {paths}')
    return False


def _warn_at_class(cls: type, message: str) -> None:
    """An OutputNotWrittenWarning located at the task's class, the user's code (the engine has no caller frame)."""
    try:
        filename = inspect.getsourcefile(cls)
        lineno = inspect.getsourcelines(cls)[1]
    except (OSError, TypeError):  # no source: a class typed into a REPL
        warnings.warn(message, OutputNotWrittenWarning, stacklevel=3)
        return
    warnings.warn_explicit(message, OutputNotWrittenWarning, filename or '<unknown>', lineno, module=cls.__module__)


def complete_is_exists(task: Any) -> bool:
    """Is complete() of this task exactly "every output exists"? (TaskOnKart's own, without input checks)"""
    return (
        is_kart(task)
        and patch_points.complete_is_original(type(task))
        and 'complete' not in task.__dict__
        and not (task.strict_check or task.modification_time_check or task._rerun_state)
    )


def complete_at_run(task: Any, complete: Callable[[Any], Any] | None = None) -> bool:
    """complete(), asked again right before run(): from the outputs themselves where that is the same.

    `complete` is the executor's way to call complete() (e.g. through its completion cache). Remote
    outputs are asked themselves (a HEAD each), not the build's listing (docs/compat.md Q50).
    """
    previous = listing.set_fresh(True)  # listing.fresh(), without its generator's calls
    try:
        if complete_is_exists(task):
            return all(target.exists() for target in flatten(outputs_of(task)))
        return bool(complete(task) if complete is not None else task.complete())
    finally:
        listing.set_fresh(previous)


def mark_checked_at_run(task: Any) -> None:
    """The executor has just found `task` incomplete and is about to call its run().

    Not with a run lock: the check inside run() then comes after waiting for the lock, when another
    process may have written the outputs meanwhile.
    """
    if is_kart(task) and not task.should_lock_run:
        state_of(task).checked_at_run = True


def take_checked_at_run(task: Any) -> bool:
    state = state_of(task)
    checked, state.checked_at_run = state.checked_at_run, False
    return checked


def complete_check_in_run(task: Any) -> bool:
    """The check of complete_check_at_run, inside run(): skipped when the executor has just made it."""
    if take_checked_at_run(task):
        return False
    return complete_at_run(task)


def required_outputs(task: Any) -> Any:
    """What each dump records of the task's inputs (GCS object metadata), structure of requires() kept."""

    def outputs_of_dependency(dep: Any) -> Any:
        outputs = outputs_of(dep)
        if type(outputs) is SingleFileTarget and _single_file_path_is_original():
            # the usual dependency: one file, its path without the calls (3-4 dependencies a task)
            return RequiredTaskOutput(task_name=dep.get_task_family(), output_path=outputs._target.path)
        return map_flattenable_items(
            lambda output: RequiredTaskOutput(task_name=dep.get_task_family(), output_path=output_path(output)),
            outputs,
        )

    return memoized(task, 'required_outputs', lambda: map_flattenable_items(outputs_of_dependency, requires_of(task)))


_TARGET_PATH = TargetOnKart.path
_SINGLE_FILE_PATH = SingleFileTarget._path


def _single_file_path_is_original() -> bool:
    return SingleFileTarget.path is _TARGET_PATH and SingleFileTarget._path is _SINGLE_FILE_PATH
