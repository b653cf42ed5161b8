"""Object stores over HTTP on loopback, each a process of its own: a counting moto S3 server
(tests/remote/object_store_server.py) and gcp-storage-emulator for GCS."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import _free_port, _missing
from tests.remote.gcs_client import emulator_client

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


def _private_read_cache(monkeypatch, tmp_path) -> None:
    """Processes the test starts keep their read cache of objects (docs/compat.md Q53) under tmp_path too
    (this process's is redirected by tests/conftest.py)."""
    monkeypatch.setenv('XDG_CACHE_HOME', str(tmp_path / 'xdg-cache'))


def _bucket(endpoint: str, monkeypatch, tmp_path) -> S3:
    _private_read_cache(monkeypatch, tmp_path)
    monkeypatch.setenv('AWS_ENDPOINT_URL', endpoint)
    monkeypatch.setenv('AWS_ACCESS_KEY_ID', 'testing')
    monkeypatch.setenv('AWS_SECRET_ACCESS_KEY', 'testing')
    monkeypatch.setenv('AWS_DEFAULT_REGION', 'us-east-1')
    s3 = S3(endpoint, f'bucket-{uuid.uuid4().hex[:12]}')
    s3.client().create_bucket(Bucket=s3.bucket)
    s3.reset()
    return s3


@pytest.fixture
def s3(_moto_server, monkeypatch, tmp_path) -> S3:
    """A fresh bucket on the counting server, counts zeroed; boto3 finds the server through the env."""
    return _bucket(_moto_server, monkeypatch, tmp_path)


@pytest.fixture
def s3_without_listing(_moto_server_without_listing, monkeypatch, tmp_path) -> S3:
    return _bucket(_moto_server_without_listing, monkeypatch, tmp_path)


# ---- GCS: gcp-storage-emulator (JSON API) with preconditions (gcs_server.py), counted from its access log ----

_GCS_REQUEST = re.compile(r'"(GET|POST|PUT|PATCH|DELETE|HEAD) (\S+) HTTP/1\.[01]"')


@dataclass
class GCS:
    endpoint: str
    bucket: str
    log: Path
    offset: int = 0

    def requests(self) -> list[tuple[str, str]]:
        """(method, path) of every request the emulator answered since the last reset()."""
        text = self.log.read_text(errors='replace')[self.offset :]
        return [(m.group(1), m.group(2)) for m in _GCS_REQUEST.finditer(text)]

    def reset(self) -> None:
        self.offset = len(self.log.read_text(errors='replace'))

    def client(self):
        """luigi's GCSClient on this server."""
        return emulator_client(self.endpoint)


@pytest.fixture(scope='session')
def _gcs_emulator(tmp_path_factory):
    try:
        import gcp_storage_emulator  # noqa: F401
    except ImportError:
        _missing('gcp-storage-emulator')
    log = tmp_path_factory.mktemp('gcs') / 'emulator.log'
    port = _free_port()
    with open(log, 'wb') as sink:
        proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).with_name('gcs_server.py')), str(port)],
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(('127.0.0.1', port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    else:
        proc.kill()
        pytest.fail('gcp-storage-emulator did not start')
    yield f'http://127.0.0.1:{port}', log
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture
def gcs(_gcs_emulator, monkeypatch, tmp_path) -> GCS:
    """A fresh bucket on the emulator; gokart's GCSConfig hands out a client pointed at it."""
    from gokart.gcs_config import GCSConfig

    _private_read_cache(monkeypatch, tmp_path)
    endpoint, log = _gcs_emulator
    store = GCS(endpoint, f'bucket-{uuid.uuid4().hex[:12]}', log)
    client = store.client()
    client.client.buckets().insert(project='test', body={'name': store.bucket}).execute()
    monkeypatch.setattr(GCSConfig, '_get_gcs_client', lambda self: client)
    store.reset()
    return store
