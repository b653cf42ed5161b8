"""Run locks without redis: a lease object beside the output, created by a conditional write.

`[TaskOnKart] lock_backend=object_store` (or a class attribute `lock_backend = 'object_store'`) with
`should_lock_run=True` (docs/compat.md Q51). Not a parameter: the parameters, get_info() and the command
line stay gokart 1.12.2's, and no id can depend on it. Before run(), the
process creates `<first output>.lease` with S3 `PutObject If-None-Match: *` (GCS `ifGenerationMatch=0`): the
store lets exactly one writer create it. The others get a precondition failure and raise TaskLockException,
which the local engine answers as for a redis lock: the task waits and is retried, then found complete by
the check inside run() (`_engine/_scheduler.LockRetries`, Q28).

The lease holds its time to live (`redis_timeout` seconds, the redis lock's TTL); a thread renews it every
third of that with a write conditional on the lease being still ours (S3 `If-Match: <ETag>`, GCS
`ifGenerationMatch=<generation>`). A lease not renewed for its time to live is stale (its holder crashed):
it is taken over by the same conditional write, so two processes cannot both take it. Staleness is judged
by the store's clock (the lease's Last-Modified against the Date of the store's answer), not the hosts'.
The lease is deleted (conditionally) when run() ends.
"""

from __future__ import annotations

import functools
import json
import os
import socket
import threading
import uuid
from collections.abc import Callable
from datetime import datetime
from email.utils import parsedate_to_datetime
from logging import getLogger
from typing import Any, TypeVar

from gokart.conflict_prevention_lock.task_lock import TaskLockException

logger = getLogger(__name__)

R = TypeVar('R')

__all__ = ['Lease', 'lock_backend_of', 'wrap_run_with_lease']

LEASE_SUFFIX = '.lease'


def _code(error: Exception) -> Any:
    response = getattr(error, 'response', None)
    if isinstance(response, dict):
        return response.get('Error', {}).get('Code')
    return getattr(getattr(error, 'resp', None), 'status', None)


def _precondition_failed(error: Exception) -> bool:
    return _code(error) in ('PreconditionFailed', '412', 412, 'ConditionalRequestConflict', '409', 409)


def _not_found(error: Exception) -> bool:
    return _code(error) in ('NoSuchKey', '404', 404, 'NotFound')


class _S3:
    def __init__(self, path: str) -> None:
        from gokart.s3_config import S3Config

        bucket, _, self.key = path[len('s3://') :].partition('/')
        self.bucket = bucket
        self.client = S3Config().get_s3_client().s3.meta.client

    def create(self, body: bytes) -> str:
        return self.client.put_object(Bucket=self.bucket, Key=self.key, Body=body, IfNoneMatch='*')['ETag']

    def replace(self, body: bytes, version: str) -> str:
        return self.client.put_object(Bucket=self.bucket, Key=self.key, Body=body, IfMatch=version)['ETag']

    def read(self) -> tuple[bytes, str, datetime, datetime] | None:
        """(body, version, last modified, the store's time now), or None when there is no lease."""
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=self.key)
        except Exception as error:
            if _not_found(error):
                return None
            raise
        now = parsedate_to_datetime(response['ResponseMetadata']['HTTPHeaders']['date'])
        return response['Body'].read(), response['ETag'], response['LastModified'], now

    def delete(self, version: str) -> None:
        try:
            self.client.delete_object(Bucket=self.bucket, Key=self.key, IfMatch=version)
        except Exception as error:
            if not (_not_found(error) or _precondition_failed(error)):
                raise


class _GCS:
    def __init__(self, path: str) -> None:
        from gokart.gcs_config import GCSConfig

        bucket, _, self.key = path[len('gs://') :].partition('/')
        self.bucket = bucket
        self.api = GCSConfig().get_gcs_client().client

    def _upload(self, body: bytes, generation: int) -> str:
        from googleapiclient.http import MediaInMemoryUpload

        media = MediaInMemoryUpload(body, mimetype='application/json')
        response = (
            self.api.objects()
            .insert(bucket=self.bucket, name=self.key, media_body=media, ifGenerationMatch=generation)
            .execute()
        )
        return str(response['generation'])

    def create(self, body: bytes) -> str:
        return self._upload(body, 0)

    def replace(self, body: bytes, version: str) -> str:
        return self._upload(body, int(version))

    def read(self) -> tuple[bytes, str, datetime, datetime] | None:
        try:
            request = self.api.objects().get_media(bucket=self.bucket, object=self.key)
            body = request.execute()
            meta = self.api.objects().get(bucket=self.bucket, object=self.key).execute()
        except Exception as error:
            if _not_found(error):
                return None
            raise
        updated = datetime.fromisoformat(meta['updated'].replace('Z', '+00:00'))
        headers = getattr(request, 'resp', None) or {}
        date = headers.get('date') if hasattr(headers, 'get') else None
        now = parsedate_to_datetime(date) if date else datetime.now(updated.tzinfo)
        return body, str(meta['generation']), updated, now

    def delete(self, version: str) -> None:
        try:
            self.api.objects().delete(bucket=self.bucket, object=self.key, ifGenerationMatch=int(version)).execute()
        except Exception as error:
            if not (_not_found(error) or _precondition_failed(error)):
                raise


def _store(path: str) -> _S3 | _GCS:
    if path.startswith('s3://'):
        return _S3(path)
    if path.startswith('gs://'):
        return _GCS(path)
    raise ValueError(f'lock_backend=object_store needs an S3 or GCS output, not {path!r}')


class Lease:
    """The run lease of one task: acquired, renewed in a thread, released."""

    def __init__(self, path: str, ttl: int) -> None:
        self.path = path
        self.ttl = max(int(ttl), 3)
        self.owner = f'{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex}'
        self.store = _store(path)
        self.version: str | None = None
        self._stop = threading.Event()
        self._renewer: threading.Thread | None = None

    def _body(self) -> bytes:
        return json.dumps({'owner': self.owner, 'ttl_seconds': self.ttl}).encode()

    def acquire(self) -> None:
        """Take the lease, or raise TaskLockException while another live holder has it."""
        try:
            self.version = self.store.create(self._body())
        except Exception as error:
            if not _precondition_failed(error):
                raise
            self.version = self._take_over_if_stale()
        self._renewer = threading.Thread(target=self._renew, name=f'lease {self.path}', daemon=True)
        self._renewer.start()

    def _take_over_if_stale(self) -> str:
        held = self.store.read()
        if held is None:  # released meanwhile: try once more to create it
            try:
                return self.store.create(self._body())
            except Exception as error:
                if _precondition_failed(error):
                    raise TaskLockException(f'Lease {self.path} already taken by other task.') from error
                raise
        body, version, modified, now = held
        try:
            ttl = int(json.loads(body).get('ttl_seconds', self.ttl))
        except (ValueError, AttributeError):
            ttl = self.ttl
        if (now - modified).total_seconds() <= ttl:
            raise TaskLockException(f'Lease {self.path} already taken by other task.')
        try:
            taken = self.store.replace(self._body(), version)
        except Exception as error:
            if _precondition_failed(error):  # another process took it over first
                raise TaskLockException(f'Lease {self.path} already taken by other task.') from error
            raise
        logger.warning(f'Took over the stale lease {self.path} (not renewed for {ttl} s).')
        return taken

    def _renew(self) -> None:
        while not self._stop.wait(self.ttl / 3):
            try:
                assert self.version is not None
                self.version = self.store.replace(self._body(), self.version)
            except Exception as error:  # lost (taken over after a long stall) or the store is unreachable
                logger.warning(f'Could not renew the lease {self.path}: {error}')
                if _precondition_failed(error):
                    return

    def release(self) -> None:
        self._stop.set()
        if self._renewer is not None:
            self._renewer.join()
        if self.version is not None:
            try:
                self.store.delete(self.version)
            except Exception as error:  # the run's work is done; the lease expires by its ttl (as Q32)
                logger.warning(f'Could not delete the lease {self.path} ({error}); it expires after {self.ttl} s.')


BACKENDS = ('redis', 'object_store')


def lock_backend_of(task: Any) -> str:
    """What holds the run lock of `task`: its class attribute `lock_backend`, else [TaskOnKart] lock_backend."""
    backend = getattr(type(task), 'lock_backend', None)
    if backend is None:
        import luigi.configuration

        backend = luigi.configuration.get_config().get('TaskOnKart', 'lock_backend', 'redis')
    if backend not in BACKENDS:
        raise ValueError(f'{type(task).__name__}: lock_backend must be one of {list(BACKENDS)}, not {backend!r}')
    return backend


def wrap_run_with_lease(run_func: Callable[[], R], lease_path: Callable[[], str], ttl: int) -> Callable[[], R]:
    """run() under the task's lease; `lease_path` is asked at run time (it needs the task's output())."""

    @functools.wraps(run_func)
    def wrapper() -> R:
        lease = Lease(lease_path(), ttl)
        lease.acquire()
        try:
            return run_func()
        finally:
            lease.release()

    return wrapper
