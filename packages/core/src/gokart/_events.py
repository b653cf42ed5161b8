"""Handlers on luigi.Task itself, which every task of every build goes through: put on for a while (a run's
report, a display), then taken off, so that later builds in the process do not pay for them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import luigi


def add_task_handlers(handlers: Iterable[tuple[str, Any]]) -> None:
    for event, handler in handlers:
        luigi.Task.event_handler(event)(handler)


def remove_task_handlers(handlers: Iterable[tuple[str, Any]]) -> None:
    by_event = luigi.Task._event_callbacks.get(luigi.Task, {})  # type: ignore[attr-defined]
    for event, handler in handlers:
        by_event.get(event, set()).discard(handler)
