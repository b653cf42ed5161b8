"""Fixtures for target tests: a real moto S3 server on loopback, reached through AWS_ENDPOINT_URL."""

from __future__ import annotations

import socket
import uuid

import pytest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


@pytest.fixture(scope='session')
def moto_endpoint():
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address='127.0.0.1', port=port, verbose=False)
    server.start()
    yield f'http://127.0.0.1:{port}'
    server.stop()


@pytest.fixture
def s3_bucket(moto_endpoint, monkeypatch):
    """A fresh bucket on the moto server; boto3 (under luigi's S3Client) finds it through the env."""
    import boto3

    monkeypatch.setenv('AWS_ENDPOINT_URL', moto_endpoint)
    monkeypatch.setenv('AWS_ACCESS_KEY_ID', 'testing')
    monkeypatch.setenv('AWS_SECRET_ACCESS_KEY', 'testing')
    monkeypatch.setenv('AWS_DEFAULT_REGION', 'us-east-1')
    name = f'bucket-{uuid.uuid4().hex[:12]}'
    boto3.client('s3', endpoint_url=moto_endpoint, region_name='us-east-1').create_bucket(Bucket=name)
    return name


@pytest.fixture
def redis_params(redis_server):
    """(host, port) of the real redis-server, flushed so lock keys never leak between tests."""
    import redis

    host, port = redis_server
    redis.Redis(host=host, port=port).flushall()
    return host, port


@pytest.fixture(autouse=True)
def _fresh_in_memory_cache():
    from gokart.in_memory import InMemoryCacheRepository

    InMemoryCacheRepository().clear()
    yield
    InMemoryCacheRepository().clear()
