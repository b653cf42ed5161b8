"""Decorator-style wrappers that run a target operation under its redis lock."""

from __future__ import annotations

import functools
from collections.abc import Callable
from logging import getLogger
from typing import ParamSpec, TypeVar

from gokart.conflict_prevention_lock.task_lock import TaskLockParams, set_lock_scheduler, set_task_lock

logger = getLogger(__name__)

P = ParamSpec('P')
R = TypeVar('R')


def _release(task_lock, scheduler) -> None:
    import redis  # loaded already: the lock is a redis lock (import gokart does not import redis)

    scheduler.shutdown(wait=False)
    try:
        task_lock.release()
    except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError) as e:
        # Redis went away while the lock was held. What the lock guarded is done (or has raised its own
        # error, which this must not replace); failing here would fail a task whose output is already
        # written directly (locked writes are not staged), and the next build would take that output as
        # complete without the task's processing_time and task_log. The lock expires by its TTL.
        logger.warning(
            f'Could not release the redis lock {task_lock.name!r} ({e}); it expires after its timeout of {task_lock.timeout} s.'
        )


def wrap_dump_with_lock(
    func: Callable[P, R], task_lock_params: TaskLockParams, exist_check: Callable[..., bool]
) -> Callable[P, R | None]:
    """Dump under the lock, skipping the write if another worker produced the file while we waited."""
    if not task_lock_params.should_task_lock:
        return func

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R | None:
        task_lock = set_task_lock(task_lock_params=task_lock_params)
        scheduler = set_lock_scheduler(task_lock=task_lock, task_lock_params=task_lock_params)
        try:
            logger.debug(f'Task DUMP lock of {task_lock_params.redis_key} locked.')
            if exist_check():
                return None
            return func(*args, **kwargs)
        finally:
            logger.debug(f'Task DUMP lock of {task_lock_params.redis_key} released.')
            _release(task_lock, scheduler)

    return wrapper


def wrap_load_with_lock(func: Callable[P, R], task_lock_params: TaskLockParams) -> Callable[P, R]:
    """Wait until no dump holds the lock, then read without holding it (readers never block each other)."""
    if not task_lock_params.should_task_lock:
        return func

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        task_lock = set_task_lock(task_lock_params=task_lock_params)
        scheduler = set_lock_scheduler(task_lock=task_lock, task_lock_params=task_lock_params)
        _release(task_lock, scheduler)
        logger.debug(f'Task LOAD lock of {task_lock_params.redis_key} released.')
        return func(*args, **kwargs)

    return wrapper


def wrap_remove_with_lock(func: Callable[P, R], task_lock_params: TaskLockParams) -> Callable[P, R]:
    if not task_lock_params.should_task_lock:
        return func

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        task_lock = set_task_lock(task_lock_params=task_lock_params)
        scheduler = set_lock_scheduler(task_lock=task_lock, task_lock_params=task_lock_params)
        try:
            return func(*args, **kwargs)
        finally:
            logger.debug(f'Task REMOVE lock of {task_lock_params.redis_key} released.')
            _release(task_lock, scheduler)

    return wrapper


def wrap_run_with_lock(run_func: Callable[[], R], task_lock_params: TaskLockParams) -> Callable[[], R]:
    if not task_lock_params.should_task_lock:
        return run_func

    @functools.wraps(run_func)
    def wrapper() -> R:
        task_lock = set_task_lock(task_lock_params=task_lock_params)
        scheduler = set_lock_scheduler(task_lock=task_lock, task_lock_params=task_lock_params)
        try:
            return run_func()
        finally:
            logger.debug(f'Task RUN lock of {task_lock_params.redis_key} released.')
            _release(task_lock, scheduler)

    return wrapper
