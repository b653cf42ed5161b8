"""Completion by listing: during a build, exists() of S3/GCS outputs is answered from one listing per prefix.

Outside a build session nothing changes (every exists() asks the store, as in gokart 1.12.2). Inside one
(gokart/_kart/session.py opens a `Listing` with the build), the first exists() of an object lists the
object's directory prefix once (paginated ListObjectsV2 / GCS objects.list, no delimiter, so the listing
also shows the directory forms luigi's exists() accepts: `<key>/...` and `<key>_$folder$`), and later
exists() under that prefix are answered from it. Why the directory and not the whole workspace: a task's
outputs share a directory per class, while its five log files live elsewhere and are never checked; the
workspace listing pages through all of them (docs/compat.md Q50).

What the answers rest on:
- presence in the listing is proof; an object this process wrote (or found by a HEAD) in the build is known
  to exist;
- absence from a listing taken during this build is trusted only by the process that took it, and not
  inside `fresh()`: the check right before run() (complete_check_at_run) and every check in a forked worker
  ask the object itself (one HEAD), so an object written meanwhile by another process, or by a sibling
  worker of this build, is seen there;
- where listing is forbidden (no s3:ListBucket / storage.objects.list), a warning is logged once per bucket
  and each exists() under that bucket asks the object and its directory markers (a HEAD each); luigi's
  own check would fail there, since it lists to find `<key>/...`, which this fallback cannot see.
A read of an S3 object the build knows to exist is one GET: luigi's S3Target.open('r') sends a HEAD first.
What a listing or HEAD says of an object's content (its S3 ETag, its GCS md5Hash, its size) is kept too,
and so is the md5 of what this process uploaded: the local read cache (`object_cache`, docs/compat.md Q53)
serves a read whose content md5 the build knows.
Timestamps (strict_check, modification_time_check) come from the listing, truncated to whole seconds as
the HEAD that gokart 1.12.2 asks answers them.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from datetime import datetime
from logging import getLogger
from typing import Any

logger = getLogger(__name__)

__all__ = [
    'Listing',
    'content',
    'exists',
    'fresh',
    'last_modified',
    'open_for_reading',
    'record_removed',
    'record_uploaded',
    'record_written',
    'session',
]

_SCHEMES = ('s3://', 'gs://')
_FOLDER_SUFFIX = '_$folder$'  # luigi's S3 directory marker (S3_DIRECTORY_MARKER_SUFFIX_0)
_HEX = frozenset('0123456789abcdef')

# what is known of an object's content: (md5 hex or None, size or None)
Content = tuple[str | None, int | None]
_UNKNOWN: Content = (None, None)


def _s3_md5(etag: Any) -> str | None:
    """The md5 an S3 ETag may be; None for multipart ETags (`<hex>-<parts>`). An SSE-KMS/SSE-C ETag looks
    like an md5 but is not one: the cache finds no copy under it, since copies are named by their own md5."""
    if not isinstance(etag, str):
        return None
    etag = etag.strip('"').lower()
    return etag if len(etag) == 32 and _HEX.issuperset(etag) else None


def _gcs_md5(md5_hash: Any) -> str | None:
    """GCS md5Hash is base64; composite objects have none."""
    if not isinstance(md5_hash, str):
        return None
    import base64
    import binascii

    try:
        raw = base64.b64decode(md5_hash, validate=True)
    except (binascii.Error, ValueError):
        return None
    return raw.hex() if len(raw) == 16 else None


def _size(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class _Denied(Exception):
    """The store refused the listing."""


def _split(path: str) -> tuple[str, str, str]:
    scheme, rest = path[:5], path[5:]
    bucket, _, key = rest.partition('/')
    return scheme, bucket, key


def _is_not_found(error: Exception) -> bool:
    response = getattr(error, 'response', None)
    if isinstance(response, dict):  # botocore ClientError
        return response.get('Error', {}).get('Code') in ('404', 'NoSuchKey', 'NotFound')
    status = getattr(getattr(error, 'resp', None), 'status', None)  # googleapiclient HttpError
    return status == 404


def _is_denied(error: Exception) -> bool:
    response = getattr(error, 'response', None)
    if isinstance(response, dict):
        return response.get('Error', {}).get('Code') in ('AccessDenied', '403', 'AllAccessDisabled')
    return getattr(getattr(error, 'resp', None), 'status', None) == 403


def _list_s3(client: Any, bucket: str, prefix: str) -> Iterator[tuple[str, datetime | None, Content]]:
    paginator = client.s3.meta.client.get_paginator('list_objects_v2')
    try:
        for page in paginator.paginate(Bucket=bucket, Prefix=prefix):
            for item in page.get('Contents', ()):
                yield item['Key'], item.get('LastModified'), (_s3_md5(item.get('ETag')), _size(item.get('Size')))
    except Exception as error:
        if _is_denied(error):
            raise _Denied(str(error)) from error
        raise


def _head_s3(client: Any, bucket: str, key: str) -> tuple[bool, datetime | None, Content]:
    try:
        response = client.s3.meta.client.head_object(Bucket=bucket, Key=key)
    except Exception as error:
        if _is_not_found(error):
            return False, None, _UNKNOWN
        raise
    return True, response.get('LastModified'), (_s3_md5(response.get('ETag')), _size(response.get('ContentLength')))


def _gcs_time(value: Any) -> datetime | None:
    return datetime.fromisoformat(value.replace('Z', '+00:00')) if isinstance(value, str) else None


def _list_gcs(client: Any, bucket: str, prefix: str) -> Iterator[tuple[str, datetime | None, Content]]:
    token = None
    try:
        while True:
            request = client.client.objects().list(
                bucket=bucket, prefix=prefix, pageToken=token, fields='items(name,updated,md5Hash,size),nextPageToken'
            )
            page = request.execute()
            for item in page.get('items', ()):
                content = (_gcs_md5(item.get('md5Hash')), _size(item.get('size')))
                yield item['name'], _gcs_time(item.get('updated')), content
            token = page.get('nextPageToken')
            if not token:
                return
    except Exception as error:
        if _is_denied(error):
            raise _Denied(str(error)) from error
        raise


def _head_gcs(client: Any, bucket: str, key: str) -> tuple[bool, datetime | None, Content]:
    try:
        response = client.client.objects().get(bucket=bucket, object=key, fields='name,updated,md5Hash,size').execute()
    except Exception as error:
        if _is_not_found(error):
            return False, None, _UNKNOWN
        raise
    return True, _gcs_time(response.get('updated')), (_gcs_md5(response.get('md5Hash')), _size(response.get('size')))


class Listing:
    """What one build knows about its object stores: listings by prefix, and what it wrote or saw."""

    def __init__(self) -> None:
        self.owner_pid = os.getpid()
        self.lock = threading.Lock()
        # (scheme, bucket) -> key -> last modified (None: known to exist, time unknown)
        self.objects: dict[tuple[str, str], dict[str, datetime | None]] = {}
        # (scheme, bucket) -> keys that are directories (have objects below them) in the listed prefixes
        self.directories: dict[tuple[str, str], set[str]] = {}
        # (scheme, bucket) -> key -> what the listing, a HEAD or this process's upload says of its content
        self.contents: dict[tuple[str, str], dict[str, Content]] = {}
        self.uploads: set[tuple[str, str, str]] = set()  # uploaded, record_written() not yet called
        self.listed: set[tuple[str, str, str]] = set()
        self.denied: set[tuple[str, str]] = set()

    def _list(self, scheme: str, bucket: str, prefix: str, client: Any) -> bool:
        """List `prefix` once; False where listing is not allowed."""
        if (scheme, bucket) in self.denied:
            return False
        if (scheme, bucket, prefix) in self.listed:
            return True
        lister = _list_s3 if scheme == 's3://' else _list_gcs
        objects = self.objects.setdefault((scheme, bucket), {})
        directories = self.directories.setdefault((scheme, bucket), set())
        contents = self.contents.setdefault((scheme, bucket), {})
        try:
            found = list(lister(client, bucket, prefix))
        except _Denied as error:
            self.denied.add((scheme, bucket))
            logger.warning(
                f'Listing {scheme}{bucket}/{prefix} is not allowed ({error}); exists() asks each object instead.'
            )
            return False
        for key, modified, content in found:
            if key not in objects:
                objects[key] = modified
                contents.setdefault(key, content)
            rest, start = key, len(prefix)
            index = rest.find('/', start)
            while index != -1:
                directories.add(rest[:index])
                index = rest.find('/', index + 1)
        self.listed.add((scheme, bucket, prefix))
        return True

    def exists(self, path: str, client: Any, fresh: bool) -> bool | None:
        """exists() of `path`, or None where luigi's own check must answer."""
        scheme, bucket, key = _split(path)
        if not key or key.endswith('/') or '/' not in key:
            return None
        prefix = key.rsplit('/', 1)[0] + '/'
        with self.lock:
            objects = self.objects.get((scheme, bucket))
            if objects is not None and key in objects:
                return True
            trust_absence = not fresh and os.getpid() == self.owner_pid
            if trust_absence and self._list(scheme, bucket, prefix, client):
                return self._in_listing(scheme, bucket, key)
            listed = (scheme, bucket, prefix) in self.listed
            denied = (scheme, bucket) in self.denied
        head = _head_s3 if scheme == 's3://' else _head_gcs
        found, modified, content = head(client, bucket, key)
        if found:
            with self.lock:
                self.objects.setdefault((scheme, bucket), {})[key] = modified
                self.contents.setdefault((scheme, bucket), {})[key] = content
            return True
        if listed:
            with self.lock:
                return self._in_listing(scheme, bucket, key)
        if denied:  # luigi's check would list too: its directory markers, one HEAD each
            markers = (_FOLDER_SUFFIX, '/') if scheme == 's3://' else ('/',)
            return any(head(client, bucket, key + marker)[0] for marker in markers)
        return None  # directory forms unknown: luigi's check

    def _in_listing(self, scheme: str, bucket: str, key: str) -> bool:
        objects = self.objects.get((scheme, bucket), {})
        if key in objects or key in self.directories.get((scheme, bucket), ()):
            return True
        return scheme == 's3://' and key + _FOLDER_SUFFIX in objects  # luigi's GCS knows no such marker

    def written(self, path: str) -> None:
        scheme, bucket, key = _split(path)
        with self.lock:
            self.objects.setdefault((scheme, bucket), {})[key] = None
            if (scheme, bucket, key) in self.uploads:  # what record_uploaded said of this write
                self.uploads.discard((scheme, bucket, key))
            else:  # written by other means: what an earlier listing said is stale
                self.contents.get((scheme, bucket), {}).pop(key, None)

    def uploaded(self, path: str, md5: str | None, size: int) -> None:
        scheme, bucket, key = _split(path)
        with self.lock:
            self.contents.setdefault((scheme, bucket), {})[key] = (md5, size)
            self.uploads.add((scheme, bucket, key))

    def content(self, path: str) -> Content:
        scheme, bucket, key = _split(path)
        with self.lock:
            return self.contents.get((scheme, bucket), {}).get(key, _UNKNOWN)

    def forget(self, path: str) -> None:
        """`path` was removed (with what lies below it): answers about it go to the store again."""
        scheme, bucket, key = _split(path)
        with self.lock:
            objects = self.objects.get((scheme, bucket), {})
            below = key.rstrip('/') + '/'
            for name in [name for name in objects if name.startswith(below)]:
                del objects[name]
            objects.pop(key, None)
            objects.pop(key + _FOLDER_SUFFIX, None)
            contents = self.contents.get((scheme, bucket), {})
            for name in [name for name in contents if name == key or name.startswith(below)]:
                del contents[name]
            directories = self.directories.get((scheme, bucket), set())
            for name in [name for name in directories if name == key or name.startswith(below)]:
                directories.discard(name)

    def known(self, path: str) -> bool:
        scheme, bucket, key = _split(path)
        with self.lock:
            return key in self.objects.get((scheme, bucket), ())

    def last_modified(self, path: str) -> datetime | None:
        scheme, bucket, key = _split(path)
        with self.lock:
            modified = self.objects.get((scheme, bucket), {}).get(key)
        return None if modified is None else modified.replace(microsecond=0)


class _Local(threading.local):
    listing: Listing | None = None
    fresh: bool = False


_local = _Local()


@contextlib.contextmanager
def session() -> Iterator[Listing]:
    """The listing of the current build (opened by the build session; nested sessions join it)."""
    listing = _local.listing
    if listing is not None:
        yield listing
        return
    listing = _local.listing = Listing()
    try:
        yield listing
    finally:
        _local.listing = None


@contextlib.contextmanager
def fresh() -> Iterator[None]:
    """exists() inside asks each object itself (one HEAD): the check right before run()."""
    previous = set_fresh(True)
    try:
        yield
    finally:
        set_fresh(previous)


def set_fresh(value: bool) -> bool:
    """fresh() without its context manager (once per task run): set the flag, return the previous one."""
    previous, _local.fresh = _local.fresh, value
    return previous


def exists(target: Any) -> bool | None:
    """exists() of a luigi S3/GCS target from the build's listing; None when luigi's own check applies."""
    listing = _local.listing
    if listing is None:
        return None
    path = target.path
    if not isinstance(path, str) or not path.startswith(_SCHEMES):
        return None
    return listing.exists(path, target.fs, _local.fresh)


def record_written(path: str) -> None:
    listing = _local.listing
    if listing is not None and path.startswith(_SCHEMES):
        listing.written(path)


def record_uploaded(path: str, md5: str | None, size: int) -> None:
    """This process uploaded `size` bytes of md5 `md5` (None: not computed) to `path`."""
    listing = _local.listing
    if listing is not None and path.startswith(_SCHEMES):
        listing.uploaded(path, md5, size)


def content(path: str) -> Content:
    """(md5 hex, size) of the object at `path` as the build knows them; (None, None) if unknown."""
    listing = _local.listing
    if listing is None or not path.startswith(_SCHEMES):
        return _UNKNOWN
    return listing.content(path)


def record_removed(path: str) -> None:
    listing = _local.listing
    if listing is not None and path.startswith(_SCHEMES):
        listing.forget(path)


def last_modified(path: str) -> datetime | None:
    listing = _local.listing
    if listing is None or not path.startswith(_SCHEMES):
        return None
    return listing.last_modified(path)


def open_for_reading(target: Any) -> Any | None:
    """luigi's S3Target.open('r') without its HEAD, for an object the build knows to exist; else None."""
    listing = _local.listing
    path = target.path
    if listing is None or not isinstance(path, str) or not path.startswith('s3://') or not listing.known(path):
        return None
    import luigi.contrib.s3

    _, bucket, key = _split(path)
    try:
        response = target.fs.s3.meta.client.get_object(Bucket=bucket, Key=key)
    except Exception as error:
        if _is_not_found(error):  # removed since it was seen: what luigi's open says then
            listing.forget(path)
            raise luigi.contrib.s3.FileNotFoundException(f'Could not find file at {path}') from error
        raise
    # the GET made: ReadableS3File would send it in its __init__, and a failed one leaves a half-made object
    # whose __del__ raises
    return target.format.pipe_reader(luigi.contrib.s3.ReadableS3File(_Fetched(response)))


class _Fetched:
    """What ReadableS3File asks of an ObjectSummary: get(), here the response of a GET already sent."""

    def __init__(self, response: Any) -> None:
        self.response = response

    def get(self) -> Any:
        return self.response
