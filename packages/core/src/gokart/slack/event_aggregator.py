"""Collects SUCCESS/FAILURE events of a run for the Slack report."""

from __future__ import annotations

import os
from typing import Any, TypedDict

import luigi

__all__ = ['EventAggregator']


class FailureEvent(TypedDict):
    task: str
    exception: str


class EventAggregator:
    def __init__(self) -> None:
        self._success_events: list[str] = []
        self._failure_events: list[FailureEvent] = []

    def set_handlers(self) -> None:
        # registered on luigi.Task so plain luigi tasks are seen too (they lack make_unique_id; luigi logs that)
        luigi.Task.event_handler(luigi.Event.SUCCESS)(self._success)
        luigi.Task.event_handler(luigi.Event.FAILURE)(self._failure)

    def get_summary(self) -> str:
        return f'Success: {len(self._success_events)}; Failure: {len(self._failure_events)}'

    def get_event_list(self) -> str:
        parts = []
        if self._failure_events:
            lines = [f'Task: {e["task"]}; Exception: {e["exception"]}' for e in self._failure_events]
            parts.append(os.linesep.join(['---- Failure Tasks ----', *lines]))
        if self._success_events:
            parts.append(os.linesep.join(['---- Success Tasks ----', *self._success_events]))
        # the two sections are glued without a separator, as gokart 1.12.2 reports them
        return ''.join(parts) or 'Tasks were not executed.'

    def _success(self, task: Any) -> None:
        self._success_events.append(self._task_to_str(task))

    def _failure(self, task: Any, exception: BaseException) -> None:
        self._failure_events.append({'task': self._task_to_str(task), 'exception': str(exception)})

    @staticmethod
    def _task_to_str(task: Any) -> str:
        return f'{type(task).__name__}:[{task.make_unique_id()}]'
