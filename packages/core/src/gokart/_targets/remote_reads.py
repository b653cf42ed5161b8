"""Reading S3/GCS objects whole: from the local cache when the build knows their md5, else one GET.

`fetch(target)` returns an object's bytes (docs/compat.md Q53: the local read cache, `object_cache`), and
`pool()` is the bounded thread pool through which a task's load() fetches several inputs at once
(gokart/_kart/inputs.py, Q54). The low-level clients are used, not luigi's file objects: a boto3 client
is thread-safe (boto3 resources are not), and each thread talks to GCS through an HTTP connection of its
own (httplib2 connections are not thread-safe).

Only plain luigi S3Target/GCSTarget whose `open` is luigi's own take this path; anything else, or a user's
patch of it, keeps luigi's reads.
"""

from __future__ import annotations

import io
import os
import threading
from typing import TYPE_CHECKING, Any

from gokart._targets import listing, object_cache

if TYPE_CHECKING:
    from concurrent.futures import ThreadPoolExecutor

__all__ = ['MAX_SIZE', 'Plan', 'fetch', 'kind', 'open_fetched', 'plan', 'pool', 'threads']

MAX_THREADS = 16
# objects read whole into memory; a larger (or unknown) size is left to luigi's streaming reads
MAX_SIZE = 64 * 1024 * 1024


def kind(target: Any) -> str | None:
    """'s3' or 'gs' for a plain luigi S3Target/GCSTarget whose open() is luigi's; else None."""
    cls = type(target)
    if cls.__module__ == 'luigi.contrib.s3' and cls.__name__ == 'S3Target':
        name = 's3'
    elif cls.__module__ == 'luigi.contrib.gcs' and cls.__name__ == 'GCSTarget':
        name = 'gs'
    else:
        return None
    opener = cls.__dict__.get('open')
    if getattr(opener, '__module__', None) != cls.__module__ or getattr(opener, '__qualname__', None) != (
        f'{cls.__name__}.open'
    ):
        return None  # patched
    path = getattr(target, 'path', None)
    return name if isinstance(path, str) and path.startswith(f'{name}://') else None


class Plan:
    """What the build knows of one read that fetch() can do (taken on the build's thread: the listing is
    the thread's)."""

    __slots__ = ('client', 'config', 'md5', 'size')

    def __init__(self, md5: str | None, size: int, config: object_cache.Settings | None, client: Any) -> None:
        self.md5 = md5
        self.size = size
        self.config = config
        self.client = client  # the boto3 client, or the googleapiclient resource


def plan(target: Any, config: object_cache.Settings | None) -> Plan | None:
    """A Plan if fetch() can read `target`: the build knows the object's size, at most MAX_SIZE (and maybe
    its md5); else None (luigi's streaming read)."""
    name = kind(target)
    if name is None:
        return None
    import luigi.format

    fmt = target.format
    if fmt is not luigi.format.Nop and not isinstance(fmt, luigi.format.TextFormat):
        return None  # gzip and other piped formats: luigi's reader feeds a process
    md5, size = listing.content(target.path)
    if size is None or size > MAX_SIZE:
        return None
    # luigi's S3Client makes its boto3 resource on first use, which threads must not race for
    return Plan(md5, size, config, target.fs.s3.meta.client if name == 's3' else target.fs.client)


def fetch(target: Any, plan: Plan) -> bytes:
    """The bytes of the object behind `target` (S3Target or GCSTarget, see kind())."""
    path = target.path
    md5, config = plan.md5, plan.config
    if md5 is not None:
        data = object_cache.lookup(md5, config)
        if data is not None:
            return data
    _, bucket, key = listing._split(path)
    if path.startswith('s3://'):
        response = plan.client.get_object(Bucket=bucket, Key=key)
        body = response['Body']
        try:
            data = body.read()
        finally:
            body.close()
        # an ETag that is no md5 (multipart, KMS) would never find the copy: keep none
        etag = listing._s3_md5(response.get('ETag'))
        if etag is not None:
            object_cache.store(data, config, expected_md5=etag)
        return data
    data = _gcs_media(plan.client, bucket, key)
    object_cache.store(data, config, expected_md5=md5)  # md5Hash is the md5 of the bytes
    return data


def open_fetched(target: Any) -> Any | None:
    """target.open('r') on fetched bytes, for a read fetch() can do; None otherwise or if the fetch failed
    (the caller then reads as before, which raises what luigi raises)."""
    if kind(target) is None:  # local and other targets: before the config is read
        return None
    planned = plan(target, object_cache.settings())
    if planned is None:
        return None
    try:
        data = fetch(target, planned)
    except Exception:
        return None
    return target.format.pipe_reader(io.BytesIO(data))


# ---- GCS: one HTTP connection per thread ----

_http_local = threading.local()
_shared_http_lock = threading.Lock()


def _thread_http(resource: Any) -> Any | None:
    """An httplib2 connection of this thread's own with the resource's credentials; None if unknown."""
    cache = getattr(_http_local, 'by_resource', None)
    if cache is None:
        cache = _http_local.by_resource = {}
    found = cache.get(id(resource))
    if found is not None and found[0] is resource:
        return found[1]
    import httplib2

    http = getattr(resource, '_http', None)
    inner = getattr(http, 'http', http)
    if not isinstance(inner, httplib2.Http):
        return None
    fresh = httplib2.Http(
        timeout=inner.timeout,
        proxy_info=inner.proxy_info,
        ca_certs=inner.ca_certs,
        disable_ssl_certificate_validation=inner.disable_ssl_certificate_validation,
        tls_maximum_version=inner.tls_maximum_version,
        tls_minimum_version=inner.tls_minimum_version,
    )
    credentials = getattr(http, 'credentials', None)
    if credentials is not None:
        import google_auth_httplib2

        fresh = google_auth_httplib2.AuthorizedHttp(credentials, http=fresh)
    elif http is not inner:
        return None
    cache[id(resource)] = (resource, fresh)
    return fresh


def _gcs_media(resource: Any, bucket: str, key: str) -> bytes:
    request = resource.objects().get_media(bucket=bucket, object=key)
    http = _thread_http(resource)
    if http is None:
        with _shared_http_lock:
            return bytes(request.execute())
    return bytes(request.execute(http=http))


# ---- the pool ----


class _Pool:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.executor: ThreadPoolExecutor | None = None


_pool = _Pool()


def _after_fork_in_child() -> None:
    # the parent's threads do not exist in a forked child, and its lock may have been held
    global _pool, _http_local
    _pool = _Pool()
    _http_local = threading.local()


os.register_at_fork(after_in_child=_after_fork_in_child)


def threads(target: Any) -> int:
    """How many reads of `target`'s store to run at once: up to the S3 client's connection pool."""
    if kind(target) == 's3':
        try:
            connections = int(target.fs.s3.meta.client.meta.config.max_pool_connections)
        except (AttributeError, TypeError, ValueError):
            connections = 10
        return max(1, min(MAX_THREADS, connections))
    return MAX_THREADS


def pool() -> ThreadPoolExecutor:
    with _pool.lock:
        if _pool.executor is None:
            from concurrent.futures import ThreadPoolExecutor

            _pool.executor = ThreadPoolExecutor(max_workers=MAX_THREADS, thread_name_prefix='gokart-read')
        return _pool.executor
