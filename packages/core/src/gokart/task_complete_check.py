"""Skip run() of a task that is already complete (public module of gokart 1.12.2)."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

logger = logging.getLogger(__name__)

__all__ = ['task_complete_check_wrapper']


def task_complete_check_wrapper(
    run_func: Callable[..., Any], complete_check_func: Callable[[], bool]
) -> Callable[..., Any]:
    @functools.wraps(run_func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if complete_check_func():
            logger.warning('run is skipped because the task is already completed.')
            return None
        return run_func(*args, **kwargs)

    return wrapper
