"""Lock parameters, the redis client registry and lock acquisition."""

from __future__ import annotations

import functools
import sys
from logging import getLogger
from typing import TYPE_CHECKING, Any, NamedTuple

from gokart import _paths
from gokart._lazy import module_getattr

if TYPE_CHECKING:
    import redis
    from apscheduler.schedulers.background import BackgroundScheduler
    from redis.lock import Lock

# redis and APScheduler are imported on the first lock, not by `import gokart` (docs/ARCHITECTURE.md)
__getattr__, __dir__ = module_getattr(
    __name__,
    {
        'redis': 'redis',
        'Lock': 'redis.lock:Lock',
        'BackgroundScheduler': 'apscheduler.schedulers.background:BackgroundScheduler',
    },
)

logger = getLogger(__name__)


def _attribute(name: str) -> Any:
    # read through the module at call time: tests patch task_lock.redis.Redis (or task_lock.redis itself)
    return getattr(sys.modules[__name__], name)


class TaskLockParams(NamedTuple):
    redis_host: str | None
    redis_port: int | None
    redis_timeout: int | None
    redis_key: str
    should_task_lock: bool
    raise_task_lock_exception_on_collision: bool
    lock_extend_seconds: int


class TaskLockException(Exception):
    pass


class RedisClient:
    """One client per (host, port): connection pools are expensive and shared by every target."""

    _instances: dict[Any, RedisClient] = {}
    _redis_client: redis.Redis | None  # None between __new__ and the first __init__

    def __new__(cls, *args: Any, **kwargs: Any) -> RedisClient:
        key = (args, tuple(sorted(kwargs.items())))
        if key not in cls._instances:
            instance = super().__new__(cls)
            instance._redis_client = None
            cls._instances[key] = instance
        return cls._instances[key]

    def __init__(self, host: str | None, port: int | None) -> None:
        if self._redis_client is None:
            self._redis_client = _attribute('redis').Redis(host=host or 'localhost', port=port or 6379)

    def get_redis_client(self) -> redis.Redis:
        assert self._redis_client is not None  # set by __init__
        return self._redis_client


def _extend_lock(task_lock: Lock, redis_timeout: int) -> None:
    task_lock.extend(additional_time=redis_timeout, replace_ttl=True)


def set_task_lock(task_lock_params: TaskLockParams) -> Lock:
    client = RedisClient(host=task_lock_params.redis_host, port=task_lock_params.redis_port).get_redis_client()
    task_lock = _attribute('Lock')(
        redis=client, name=task_lock_params.redis_key, timeout=task_lock_params.redis_timeout, thread_local=False
    )
    blocking = not task_lock_params.raise_task_lock_exception_on_collision
    if not task_lock.acquire(blocking=blocking):
        raise TaskLockException('Lock already taken by other task.')
    return task_lock


def set_lock_scheduler(task_lock: Lock, task_lock_params: TaskLockParams) -> BackgroundScheduler:
    """Keep extending the lock while the holder works, so a long dump never loses it to the TTL."""
    scheduler = _attribute('BackgroundScheduler')()
    scheduler.add_job(
        functools.partial(_extend_lock, task_lock=task_lock, redis_timeout=task_lock_params.redis_timeout or 0),
        'interval',
        seconds=task_lock_params.lock_extend_seconds,
        misfire_grace_time=task_lock_params.redis_timeout,
    )
    scheduler.start()
    return scheduler


def make_task_lock_key(file_path: str, unique_id: str | None) -> str:
    basename_without_ext = _paths.splitext(_paths.basename(file_path))[0]
    return f'{basename_without_ext}_{unique_id}'


def make_task_lock_params(
    file_path: str,
    unique_id: str | None,
    redis_host: str | None = None,
    redis_port: int | None = None,
    redis_timeout: int | None = None,
    raise_task_lock_exception_on_collision: bool = False,
    lock_extend_seconds: int = 10,
) -> TaskLockParams:
    should_task_lock = redis_host is not None and redis_port is not None
    # docs/compat.md Q16: only a lock that will really be taken needs a TTL longer than its extension period
    if should_task_lock and redis_timeout is not None:
        assert redis_timeout > lock_extend_seconds, (
            f'`redis_timeout` must be set greater than lock_extend_seconds:{lock_extend_seconds}, not {redis_timeout}.'
        )
    return TaskLockParams(
        redis_host=redis_host,
        redis_port=redis_port,
        redis_timeout=redis_timeout,
        redis_key=make_task_lock_key(file_path, unique_id),
        should_task_lock=should_task_lock,
        raise_task_lock_exception_on_collision=raise_task_lock_exception_on_collision,
        lock_extend_seconds=lock_extend_seconds,
    )


def make_task_lock_params_for_run(task_self: Any, lock_extend_seconds: int = 10) -> TaskLockParams:
    unique_id = task_self.make_unique_id() + '-run'
    return make_task_lock_params(
        file_path=type(task_self).__name__,
        unique_id=unique_id,
        redis_host=task_self.redis_host,
        redis_port=task_self.redis_port,
        redis_timeout=task_self.redis_timeout,
        raise_task_lock_exception_on_collision=True,
        lock_extend_seconds=lock_extend_seconds,
    )
