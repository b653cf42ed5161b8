"""Shared benchmark data, built once per session (the fastio_impl twin fixture comes from the root conftest),
and a throwaway redis-server for the run-lock scenario."""

from __future__ import annotations

import os
import shutil

import pytest
from _data import plain_dict
from run_lock_throughput import throwaway_redis


@pytest.fixture(scope='session')
def big_plain_dict() -> dict:
    return plain_dict()


@pytest.fixture(scope='session')
def medium_plain_dict() -> dict:
    return plain_dict(200_000)


@pytest.fixture(scope='session')
def redis_server():
    """A throwaway redis-server on a free loopback port: yields (host, port); stopped at the end."""
    if shutil.which('redis-server') is None:
        if os.environ.get('CI'):
            pytest.fail('redis-server is required in CI (make test installs it)')
        pytest.skip('redis-server is not available; run `make services` to install it')
    with throwaway_redis() as address:
        yield address
