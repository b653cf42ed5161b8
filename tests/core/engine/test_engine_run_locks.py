"""A task whose redis run lock another process holds waits in the engine instead of failing the build."""

from __future__ import annotations

import os
import threading
import time

import luigi
import pytest
from luigi.event import Event

import gokart
from gokart.conflict_prevention_lock.task_lock import make_task_lock_params_for_run

pytestmark = pytest.mark.redis


@pytest.fixture
def redis_params(redis_server):
    """(host, port) of the real redis-server, flushed so lock keys never leak between tests."""
    import redis

    host, port = redis_server
    redis.Redis(host=host, port=port).flushall()
    return host, port


def _record(name: str) -> None:
    fd = os.open(os.path.abspath('order.log'), os.O_WRONLY | os.O_APPEND | os.O_CREAT)
    try:
        os.write(fd, f'{name}\n'.encode())
    finally:
        os.close(fd)


def _order() -> list[str]:
    if not os.path.exists('order.log'):
        return []
    with open('order.log') as f:
        return f.read().split()


class LockLeaf(gokart.TaskOnKart):
    name = luigi.Parameter()

    def run(self):
        _record(self.name)
        self.dump(self.name)


class LockRoot(gokart.TaskOnKart):
    def requires(self):
        common = {'redis_host': self.redis_host, 'redis_port': self.redis_port, 'should_lock_run': True}
        return [LockLeaf(name='a', **common), LockLeaf(name='b', **common)]

    def run(self):
        _record('root')
        self.dump('+'.join(self.load()))


def _root(redis_params) -> LockRoot:
    host, port = redis_params
    return LockRoot(redis_host=host, redis_port=port, should_lock_run=True)


def _lock_key(task) -> str:
    return make_task_lock_params_for_run(task).redis_key


@pytest.fixture
def failures():
    seen = []

    def handler(task, exception):
        seen.append((task.task_id, exception))

    luigi.Task.event_handler(Event.FAILURE)(handler)
    yield seen
    luigi.Task._event_callbacks[luigi.Task][Event.FAILURE].discard(handler)


@pytest.mark.parametrize('workers', [1, 2])
def test_other_ready_tasks_run_while_a_locked_one_waits_for_the_lock_to_expire(redis_params, failures, workers):
    import redis

    root = _root(redis_params)
    leaf_a = root.requires()[0]
    redis.Redis(*redis_params).set(_lock_key(leaf_a), b'another process', px=1500)

    started = time.monotonic()
    assert gokart.build(root, reset_register=False, workers=workers, task_lock_exception_max_tries=1) == 'a+b'
    assert time.monotonic() - started >= 1.0  # 'a' ran only once the foreign lock had expired
    assert _order() == ['b', 'a', 'root']  # 'b' ran while 'a' was locked; each task ran once
    assert failures == []  # a lock collision is no failure


def test_a_task_finished_by_the_lock_holder_is_skipped_not_run_again(redis_params, failures):
    import redis

    root = _root(redis_params)
    leaf_a = root.requires()[0]
    client = redis.Redis(*redis_params)
    key = _lock_key(leaf_a)
    client.set(key, b'another process', px=60_000)

    def holder_finishes():
        time.sleep(0.5)
        leaf_a.output().dump('a (by the holder)')
        client.delete(key)

    thread = threading.Thread(target=holder_finishes)
    thread.start()
    try:
        result = gokart.build(root, reset_register=False, task_lock_exception_max_tries=1)
    finally:
        thread.join()
    assert result == 'a (by the holder)+b'
    assert _order() == ['b', 'root']  # 'a' was found complete at run time
    assert failures == []
