"""A counting moto S3 server (tests/remote/object_store_server.py) as a process of its own, on loopback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
import uuid
from dataclasses import dataclass

import pytest

from tests.conftest import _missing

SERVER = os.path.join(os.path.dirname(__file__), 'object_store_server.py')


def _start(*flags: str) -> tuple[subprocess.Popen, str]:
    try:
        import moto.server  # noqa: F401
    except ImportError:
        _missing('moto[server]')
    proc = subprocess.Popen(
        [sys.executable, SERVER, '--port', '0', *flags], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line.startswith('READY '):
        proc.kill()
        pytest.fail(f'the moto server did not start: {line!r}')
    return proc, f'http://127.0.0.1:{line.split()[1]}'


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    proc.wait(timeout=10)
    if proc.stdout is not None:
        proc.stdout.close()


@dataclass
class S3:
    endpoint: str
    bucket: str

    def counts(self) -> dict[str, int]:
        with urllib.request.urlopen(self.endpoint + '/_counts') as response:
            return json.load(response)

    def reset(self) -> None:
        urllib.request.urlopen(urllib.request.Request(self.endpoint + '/_counts', method='POST')).close()

    def client(self):
        import boto3

        return boto3.client(
            's3',
            endpoint_url=self.endpoint,
            region_name='us-east-1',
            aws_access_key_id='testing',
            aws_secret_access_key='testing',
        )


@pytest.fixture(scope='session')
def _moto_server():
    proc, endpoint = _start()
    yield endpoint
    _stop(proc)


@pytest.fixture(scope='session')
def _moto_server_without_listing():
    proc, endpoint = _start('--deny-list')
    yield endpoint
    _stop(proc)


def _bucket(endpoint: str, monkeypatch) -> S3:
    monkeypatch.setenv('AWS_ENDPOINT_URL', endpoint)
    monkeypatch.setenv('AWS_ACCESS_KEY_ID', 'testing')
    monkeypatch.setenv('AWS_SECRET_ACCESS_KEY', 'testing')
    monkeypatch.setenv('AWS_DEFAULT_REGION', 'us-east-1')
    s3 = S3(endpoint, f'bucket-{uuid.uuid4().hex[:12]}')
    s3.client().create_bucket(Bucket=s3.bucket)
    s3.reset()
    return s3


@pytest.fixture
def s3(_moto_server, monkeypatch) -> S3:
    """A fresh bucket on the counting server, counts zeroed; boto3 finds the server through the env."""
    return _bucket(_moto_server, monkeypatch)


@pytest.fixture
def s3_without_listing(_moto_server_without_listing, monkeypatch) -> S3:
    return _bucket(_moto_server_without_listing, monkeypatch)
