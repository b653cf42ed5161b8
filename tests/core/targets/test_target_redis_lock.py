"""Redis locks against a real redis-server."""

from __future__ import annotations

import threading
from unittest import mock

import pytest
import redis

from gokart.conflict_prevention_lock import task_lock
from gokart.conflict_prevention_lock.task_lock import (
    RedisClient,
    TaskLockException,
    TaskLockParams,
    make_task_lock_key,
    make_task_lock_params,
    make_task_lock_params_for_run,
    set_task_lock,
)
from gokart.conflict_prevention_lock.task_lock_wrappers import (
    wrap_dump_with_lock,
    wrap_load_with_lock,
    wrap_remove_with_lock,
    wrap_run_with_lock,
)
from gokart.target import make_target


def test_params_field_order_and_key():
    assert TaskLockParams._fields == (
        'redis_host',
        'redis_port',
        'redis_timeout',
        'redis_key',
        'should_task_lock',
        'raise_task_lock_exception_on_collision',
        'lock_extend_seconds',
    )
    assert make_task_lock_key('gs://b/dir/fname.pkl', '12345') == 'fname_12345'
    assert make_task_lock_key('x.pkl', None) == 'x_None'


def test_make_params_locks_only_with_host_and_port():
    assert make_task_lock_params('a.pkl', 'u').should_task_lock is False
    assert make_task_lock_params('a.pkl', 'u', redis_host='h').should_task_lock is False
    params = make_task_lock_params('a.pkl', 'u', 'h', 1, 100, True, 20)
    assert params == TaskLockParams('h', 1, 100, 'a_u', True, True, 20)


def test_timeout_must_exceed_extension_only_when_locking():
    with pytest.raises(AssertionError, match='greater than lock_extend_seconds:10, not 5'):
        make_task_lock_params('a.pkl', 'u', 'h', 1, redis_timeout=5)
    # docs/compat.md Q16: no redis, no check
    assert make_task_lock_params('a.pkl', 'u', redis_timeout=5).redis_timeout == 5


def test_params_for_run():
    class Example:
        redis_host, redis_port, redis_timeout = 'h', 6379, 180

        def make_unique_id(self):
            return '8441c59b5ce0113396d53509f19371fb'

    params = make_task_lock_params_for_run(Example())
    assert params.redis_key == 'Example_8441c59b5ce0113396d53509f19371fb-run'
    assert params.raise_task_lock_exception_on_collision is True and params.should_task_lock is True


def test_redis_client_is_one_per_argument_set(redis_params):
    host, port = redis_params
    assert RedisClient(host, port) is RedisClient(host, port)
    assert RedisClient(host, port).get_redis_client().ping()


def test_redis_class_is_patchable_through_the_module():
    with mock.patch('gokart.conflict_prevention_lock.task_lock.redis.Redis') as fake:
        RedisClient('patched-host', 1234)
    fake.assert_called_once_with(host='patched-host', port=1234)


def _params(redis_params, key, raise_on_collision=False):
    host, port = redis_params
    return make_task_lock_params(f'{key}.pkl', 'u', host, port, 30, raise_on_collision)


def test_non_blocking_lock_collision_raises(redis_params):
    params = _params(redis_params, 'collide', raise_on_collision=True)
    held = set_task_lock(params)
    try:
        with pytest.raises(TaskLockException, match='Lock already taken by other task.'):
            set_task_lock(params)
    finally:
        held.release()
    set_task_lock(params).release()  # free again after release


def test_run_lock_is_held_during_run_and_released_on_error(redis_params):
    params = _params(redis_params, 'run', raise_on_collision=True)
    client = redis.Redis(*redis_params)
    seen = []

    def run():
        seen.append(client.exists(params.redis_key))
        raise ValueError('boom')

    with pytest.raises(ValueError):
        wrap_run_with_lock(run, params)()
    assert seen == [1]
    assert client.exists(params.redis_key) == 0


def test_run_collision_raises_task_lock_exception(redis_params):
    params = _params(redis_params, 'run2', raise_on_collision=True)
    held = set_task_lock(params)
    try:
        with pytest.raises(TaskLockException):
            wrap_run_with_lock(lambda: 1, params)()
    finally:
        held.release()


def test_dump_skips_the_write_when_the_file_appeared_meanwhile(redis_params):
    params = _params(redis_params, 'dump')
    calls = []
    wrap_dump_with_lock(lambda: calls.append('write'), params, exist_check=lambda: True)()
    wrap_dump_with_lock(lambda: calls.append('write'), params, exist_check=lambda: False)()
    assert calls == ['write']
    assert redis.Redis(*redis_params).exists(params.redis_key) == 0


def test_load_waits_until_a_dump_in_progress_releases_the_lock(redis_params):
    params = _params(redis_params, 'load')
    client = redis.Redis(*redis_params)
    held = set_task_lock(params)
    seen = []
    reader = threading.Thread(
        target=lambda: seen.append(wrap_load_with_lock(lambda: client.exists(params.redis_key), params)())
    )
    reader.start()
    held.release()
    reader.join(timeout=60)
    assert seen == [0]  # the read ran only once the dump's lock was gone, and did not keep one itself


def test_remove_holds_the_lock(redis_params):
    params = _params(redis_params, 'remove')
    client = redis.Redis(*redis_params)
    seen = []
    wrap_remove_with_lock(lambda: seen.append(client.exists(params.redis_key)), params)()
    assert seen == [1] and client.exists(params.redis_key) == 0


def test_wrappers_are_identity_without_redis():
    params = make_task_lock_params('a.pkl', 'u')

    def func():
        return 1

    assert wrap_dump_with_lock(func, params, lambda: False) is func
    assert wrap_load_with_lock(func, params) is func
    assert wrap_remove_with_lock(func, params) is func
    assert wrap_run_with_lock(func, params) is func


def test_lock_scheduler_extends_the_ttl(redis_params, monkeypatch):
    params = _params(redis_params, 'extend')
    lock = set_task_lock(params)
    try:
        lock.extend(additional_time=5, replace_ttl=True)
        scheduler = task_lock.set_lock_scheduler(lock, params)
        try:
            job = scheduler.get_jobs()[0]
            assert job.trigger.interval.total_seconds() == params.lock_extend_seconds
            job.func()  # what the scheduler runs every lock_extend_seconds
        finally:
            scheduler.shutdown(wait=False)
        assert redis.Redis(*redis_params).ttl(params.redis_key) > 5
    finally:
        lock.release()


def test_target_dump_and_load_under_a_real_lock(redis_params):
    host, port = redis_params
    params = make_task_lock_params('locked.pkl', 'u', host, port, 30)
    target = make_target('locked.pkl', unique_id='u', task_lock_params=params)
    target.dump({'a': 1})
    assert target.load() == {'a': 1}
    target.remove()
    assert not target.exists()
    assert redis.Redis(host, port).exists(params.redis_key) == 0
