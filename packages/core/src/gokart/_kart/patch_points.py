"""The public callables that users and tests patch, and whether each is still the original.

gokart's fast paths stand in for some public callables: default targets built once per task, log files
written without the target machinery, the outputs checked directly instead of calling complete() again,
the local engine instead of luigi.build. Each fast path applies only while what it replaces is unpatched,
so a patch keeps its effect everywhere. This module is the one list of them.
"""

from __future__ import annotations

from typing import Any

import luigi
import luigi.interface

import gokart.file_processor
import gokart.target

__all__ = [
    'complete_is_original',
    'log_writes_are_original',
    'luigi_build_is_original',
    'luigi_run_is_original',
    'record_task_class',
    'single_file_load_is_original',
    'target_factories',
]

_LUIGI_BUILD = luigi.interface.build
_LUIGI_RUN = luigi.interface._run
# Filled in by record_task_class(TaskOnKart), once gokart.task has defined it.
_task_class: Any = None
_log_originals: tuple[Any, ...] = ()


def _target_load_callables(cls: Any) -> tuple[Any, ...]:
    return (cls.load, cls._load, cls._open, cls._load_fetched)


def _processor_classes(root: type) -> list[type]:
    found, stack = [], [root]
    while stack:
        cls = stack.pop()
        found.append(cls)
        stack.extend(cls.__subclasses__())
    return [cls for cls in found if cls.__module__.startswith('gokart.file_processor')]


_TARGET_LOADS = _target_load_callables(gokart.target.SingleFileTarget)
# gokart's own processors, as they are before any user code patches them
_PROCESSOR_LOADS: dict[type, Any] = {
    cls: cls.load  # type: ignore[attr-defined]
    for cls in _processor_classes(gokart.file_processor.FileProcessor)
}


def _log_callables(cls: Any) -> tuple[Any, ...]:
    return (
        cls.dump,
        cls.make_target,
        luigi.LocalTarget,
        gokart.target.make_target,
        gokart.target.SingleFileTarget.dump,
    )


def record_task_class(task_class: Any) -> None:
    global _task_class, _log_originals
    _task_class = task_class
    _log_originals = _log_callables(task_class)


def target_factories() -> tuple[Any, Any]:
    """What builds a default target: part of the key under which a task keeps its targets."""
    return luigi.LocalTarget, gokart.target.make_target


def log_writes_are_original(cls: type) -> bool:
    """The log files may be written directly: dump, make_target and the target classes are gokart's own."""
    return _log_callables(cls) == _log_originals


def complete_is_original(cls: type) -> bool:
    """complete() of `cls` is TaskOnKart's own: all outputs exist (under the task's check flags)."""
    return cls.complete is _task_class.complete  # type: ignore[attr-defined]


def luigi_build_is_original() -> bool:
    return luigi.build is _LUIGI_BUILD


def luigi_run_is_original() -> bool:
    return luigi.interface._run is _LUIGI_RUN


def single_file_load_is_original(target: gokart.target.SingleFileTarget) -> bool:
    """target.load() is gokart's own, through one of gokart's processors: its bytes may be fetched ahead
    (gokart/_kart/inputs.py)."""
    if _target_load_callables(type(target)) != _TARGET_LOADS:
        return False
    processor = type(target._processor)
    return _PROCESSOR_LOADS.get(processor) is processor.load
