"""In-memory targets."""

from __future__ import annotations

from datetime import datetime

import pytest

from gokart.conflict_prevention_lock.task_lock import make_task_lock_params
from gokart.in_memory import InMemoryCacheRepository, InMemoryTarget, make_in_memory_target
from gokart.in_memory.data import InMemoryData


def test_repository_is_shared_between_instances():
    InMemoryCacheRepository().set_value('k', 1)
    repo = InMemoryCacheRepository()
    assert repo.has('k') and repo.get_value('k') == 1 and repo.size == 1
    assert isinstance(repo._get_data('k'), InMemoryData)
    assert list(repo.get_gen()) == [('k', 1)]
    assert not repo.empty()
    repo.clear()
    assert repo.empty() and repo.size == 0


def test_repository_remove_asserts_presence():
    with pytest.raises(AssertionError, match='zz does not exist.'):
        InMemoryCacheRepository().remove('zz')


def test_target_round_trip_and_mtime():
    target = make_in_memory_target('key', make_task_lock_params('a', 'b'))
    assert isinstance(target, InMemoryTarget)
    assert target.path() == 'key' and not target.exists()
    with pytest.raises(ValueError, match='No object'):
        target.last_modification_time()
    before = datetime.now()
    target.dump({'x': 1})
    assert target.exists() and target.load() == {'x': 1}
    assert before <= target.last_modification_time() <= datetime.now()
    target.remove()
    assert not target.exists()


def test_missing_key_load_is_a_key_error():
    with pytest.raises(KeyError):
        make_in_memory_target('nope', make_task_lock_params('a', 'b')).load()


def test_redis_lock_params_are_rejected():
    with pytest.raises(ValueError, match='Redis'):
        make_in_memory_target('k', make_task_lock_params('a', 'b', 'localhost', 6379, 100))
