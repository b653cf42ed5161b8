"""The local read cache of S3/GCS objects (docs/compat.md Q53): copies named by their md5, bounded, shared
by processes."""

from __future__ import annotations

import hashlib
import multiprocessing
import os

import luigi
import pytest

from gokart._targets import object_cache


def _settings(tmp_path, **entries: str) -> object_cache.Settings:
    config = luigi.configuration.get_config()
    config.set(object_cache.CONFIG_SECTION, 'directory', str(tmp_path / 'cache'))
    for key, value in entries.items():
        config.set(object_cache.CONFIG_SECTION, key, value)
    settings = object_cache.settings()
    assert settings is not None
    return settings


def _copies(settings: object_cache.Settings) -> dict[str, bytes]:
    found = {}
    for root, _, names in os.walk(settings.directory):
        for name in names:
            if not name.startswith('.'):
                with open(os.path.join(root, name), 'rb') as f:
                    found[name] = f.read()
    return found


def test_a_copy_is_found_by_its_md5_and_a_garbled_one_is_removed(tmp_path):
    settings = _settings(tmp_path)
    md5 = object_cache.store(b'payload', settings)
    assert md5 == hashlib.md5(b'payload').hexdigest()
    assert object_cache.lookup(md5, settings) == b'payload'
    path = os.path.join(settings.directory, md5[:2], md5)
    with open(path, 'wb') as f:
        f.write(b'payloaX')
    assert object_cache.lookup(md5, settings) is None
    assert not os.path.exists(path)


def test_bytes_that_do_not_hash_to_the_expected_md5_are_not_kept(tmp_path):
    settings = _settings(tmp_path)
    assert object_cache.store(b'data', settings, expected_md5='0' * 32) == hashlib.md5(b'data').hexdigest()
    assert _copies(settings) == {}


def test_objects_above_the_size_bound_are_not_kept(tmp_path):
    settings = _settings(tmp_path, max_object_size='4')
    assert object_cache.store(b'12345', settings) is None
    assert object_cache.store(b'1234', settings) is not None
    assert list(_copies(settings).values()) == [b'1234']


def test_the_total_stays_under_its_bound_least_recently_used_first(tmp_path):
    settings = _settings(tmp_path, max_total_size='1000')
    first = object_cache.store(b'a' * 100, settings)
    for i in range(30):
        if i == 5:
            os.utime(os.path.join(settings.directory, first[:2], first), (1, 1))  # long unused
        object_cache.store(bytes([i]) * 100, settings)
        object_cache.evict(settings)
    copies = _copies(settings)
    assert sum(len(data) for data in copies.values()) <= 1000
    assert first not in copies
    assert hashlib.md5(bytes([29]) * 100).hexdigest() in copies  # the newest stay


def test_unknown_entries_are_errors_naming_the_entry(tmp_path):
    with pytest.raises(ValueError, match='max_total_size'):
        _settings(tmp_path, max_total_size='lots')


def test_off(tmp_path):
    _settings(tmp_path)
    luigi.configuration.get_config().set(object_cache.CONFIG_SECTION, 'enabled', 'false')
    assert object_cache.settings() is None
    assert object_cache.store(b'x', object_cache.settings()) is None


def _writer(directory: str, seed: int) -> None:
    settings = object_cache.Settings(directory, 1 << 20, 4000)
    for i in range(60):
        data = f'{(seed + i) % 40}'.encode() * 50
        object_cache.store(data, settings)
        object_cache.lookup(hashlib.md5(data).hexdigest(), settings)
        if i % 10 == 0:
            object_cache.evict(settings)


def test_processes_share_the_cache_safely(tmp_path):
    settings = _settings(tmp_path)
    context = multiprocessing.get_context('fork')
    workers = [context.Process(target=_writer, args=(settings.directory, seed)) for seed in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(30)
    assert [worker.exitcode for worker in workers] == [0, 0, 0, 0]
    copies = _copies(settings)
    assert copies and all(hashlib.md5(data).hexdigest() == name for name, data in copies.items())
    leftovers = [n for _, _, names in os.walk(settings.directory) for n in names if n.startswith('.tmp-')]
    assert leftovers == []
