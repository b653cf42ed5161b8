"""A local read cache of S3/GCS objects, named by the md5 of their bytes (docs/compat.md Q53).

Objects this machine uploaded or downloaded (at most `max_object_size` bytes each) are kept as
`<directory>/<md5[:2]>/<md5>`. A read whose object the build's listing (or a HEAD, or this process's upload)
says has content md5 M is served from the copy named M, with no GET, once its bytes hash to M again; any
other read is a GET, whose bytes are then kept. The S3 ETag of a single-part upload without SSE-KMS/SSE-C
is its md5; the GCS md5Hash is the md5. Other ETags (multipart `<hex>-<n>`, KMS) never name a copy, since
a copy is named by the md5 this process computed: such objects are always fetched.

Safe across processes and forks: copies are written to a unique temporary name and renamed into place; a
copy removed by another process's eviction (or garbled on disk) is a miss. The total is kept under
`max_total_size` by removing the least recently used copies (a hit touches its copy's mtime), checked
once a process has added a sixteenth of the bound, and at least hourly.

    [gokart_object_cache]
    enabled = true             ; false: every read is a GET, nothing is kept
    directory = ...            ; default $XDG_CACHE_HOME/gokart/objects, else ~/.cache/gokart/objects
    max_object_size = 8388608  ; bytes; luigi uploads larger files in parts (ETags that are no md5)
    max_total_size = 2147483648

A config section of its own, not `[TaskOnKart]`: no task parameter, id or log changes with it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
import time
from collections.abc import Iterator
from logging import getLogger

import luigi.configuration

logger = getLogger(__name__)

__all__ = ['CONFIG_SECTION', 'Settings', 'lookup', 'not_cached', 'settings', 'store', 'store_file']

CONFIG_SECTION = 'gokart_object_cache'
DEFAULT_MAX_OBJECT_SIZE = 8 * 1024 * 1024
DEFAULT_MAX_TOTAL_SIZE = 2 * 1024 * 1024 * 1024
_SCAN_INTERVAL = 3600.0
_STALE_TEMPORARY = 3600.0
_TEMPORARY_PREFIX = '.tmp-'


class Settings:
    __slots__ = ('directory', 'max_object_size', 'max_total_size')

    def __init__(self, directory: str, max_object_size: int, max_total_size: int) -> None:
        self.directory = directory
        self.max_object_size = max_object_size
        self.max_total_size = max_total_size


def _default_directory() -> str:
    base = os.environ.get('XDG_CACHE_HOME') or os.path.join(os.path.expanduser('~'), '.cache')
    return os.path.join(base, 'gokart', 'objects')


def _int_entry(config: object, key: str, default: int) -> int:
    raw = config.get(CONFIG_SECTION, key, None)  # type: ignore[attr-defined]
    if raw is None or not str(raw).strip():
        return default
    try:
        value = int(str(raw).strip())
    except ValueError:
        raise ValueError(f'[{CONFIG_SECTION}] {key} = {raw!r} is not a number of bytes.') from None
    if value < 0:
        raise ValueError(f'[{CONFIG_SECTION}] {key} = {raw!r} must not be negative.')
    return value


def settings() -> Settings | None:
    """The cache as configured now; None when it is off."""
    config = luigi.configuration.get_config()
    enabled = config.get(CONFIG_SECTION, 'enabled', None)
    if enabled is not None and str(enabled).strip().lower() in ('false', '0', 'no', 'off'):
        return None
    directory = config.get(CONFIG_SECTION, 'directory', None)
    directory = os.path.expanduser(str(directory).strip()) if directory and str(directory).strip() else None
    result = Settings(
        directory=directory or _default_directory(),
        max_object_size=_int_entry(config, 'max_object_size', DEFAULT_MAX_OBJECT_SIZE),
        max_total_size=_int_entry(config, 'max_total_size', DEFAULT_MAX_TOTAL_SIZE),
    )
    return result if result.max_object_size > 0 and result.max_total_size > 0 else None


class _Local(threading.local):
    skip: bool = False


_local = _Local()


@contextlib.contextmanager
def not_cached() -> Iterator[None]:
    """Uploads inside are not kept (the supplementary log files: written for every task, rarely read)."""
    previous, _local.skip = _local.skip, True
    try:
        yield
    finally:
        _local.skip = previous


def skipping() -> bool:
    return _local.skip


def _path(config: Settings, md5: str) -> str:
    return os.path.join(config.directory, md5[:2], md5)


def lookup(md5: str, config: Settings | None) -> bytes | None:
    """The bytes of the copy named `md5` if they still hash to it; None on a miss (a bad copy is removed)."""
    if config is None:
        return None
    path = _path(config, md5)
    try:
        with open(path, 'rb') as f:
            data = f.read()
    except OSError:  # absent, or evicted by another process meanwhile
        return None
    if hashlib.md5(data).hexdigest() != md5:
        logger.warning(f'The cached copy {path} does not hash to its name; it is removed and fetched again.')
        with contextlib.suppress(OSError):
            os.remove(path)
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # least recently used first out
    return data


class _Usage:
    """What this process added since the cache was last scanned (a fork starts from its parent's count)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.added = 0
        self.scanned: float | None = None


_usage = _Usage()


def _after_fork_in_child() -> None:
    global _usage  # a thread of the parent may have held its lock
    _usage = _Usage()


os.register_at_fork(after_in_child=_after_fork_in_child)


def _write(config: Settings, md5: str, write: object) -> None:
    path = _path(config, md5)
    if os.path.exists(path):
        return
    directory = os.path.dirname(path)
    temporary = os.path.join(
        directory, f'{_TEMPORARY_PREFIX}{os.getpid()}-{threading.get_ident()}-{os.urandom(4).hex()}'
    )
    try:
        os.makedirs(directory, exist_ok=True)
        with open(temporary, 'wb') as f:
            size = write(f)  # type: ignore[operator]
        os.replace(temporary, path)
    except OSError as error:  # a full or read-only cache disk costs the copy, never the read or write
        logger.debug(f'Could not keep {path} in the object cache: {error}')
        with contextlib.suppress(OSError):
            os.remove(temporary)
        return
    _account(config, size)


def store(data: bytes, config: Settings | None, expected_md5: str | None = None) -> str | None:
    """Keep `data` (if small enough); returns its md5. With `expected_md5`, only if the bytes hash to it."""
    if config is None or len(data) > config.max_object_size:
        return None
    md5 = hashlib.md5(data).hexdigest()
    if expected_md5 is not None and md5 != expected_md5:
        return md5
    _write(config, md5, lambda f: f.write(data))
    return md5


def store_file(source: str, md5: str, size: int, config: Settings) -> None:
    """Keep a copy of the local file `source`, whose md5 the caller computed."""

    def copy(f: object) -> int:
        with open(source, 'rb') as src:
            data = src.read()
        if hashlib.md5(data).hexdigest() != md5:  # changed since it was hashed: keep nothing
            raise OSError(f'{source} changed while it was uploaded')
        return f.write(data)  # type: ignore[attr-defined,no-any-return]

    if size <= config.max_object_size:
        _write(config, md5, copy)


def file_md5(path: str, limit: int) -> tuple[str | None, int]:
    """(md5 hex, size) of a local file; md5 None if it is larger than `limit`."""
    size = os.path.getsize(path)
    if size > limit:
        return None, size
    with open(path, 'rb') as f:
        return hashlib.md5(f.read()).hexdigest(), size


def _account(config: Settings, size: int) -> None:
    now = time.monotonic()
    with _usage.lock:
        _usage.added += size
        due = _usage.added >= config.max_total_size // 16
        if _usage.scanned is None:  # this process's first copy: scan unless another process did lately
            _usage.scanned = now
            due = due or not _usage_marker_fresh(config)
        due = due or now - _usage.scanned > _SCAN_INTERVAL
        if not due:
            return
        _usage.added = 0
        _usage.scanned = now
    evict(config)


def _usage_marker_fresh(config: Settings) -> bool:
    """Another process scanned within the hour: this process's first copy need not scan again."""
    try:
        return time.time() - os.path.getmtime(os.path.join(config.directory, '.scanned')) < _SCAN_INTERVAL
    except OSError:
        return False


def evict(config: Settings) -> None:
    """Remove the least recently used copies until the total is under nine tenths of the bound."""
    entries: list[tuple[float, int, str]] = []
    total = 0
    now = time.time()
    try:
        shards = list(os.scandir(config.directory))
    except OSError:
        return
    for shard in shards:
        if not shard.is_dir(follow_symlinks=False):
            continue
        try:
            children = list(os.scandir(shard.path))
        except OSError:
            continue
        for entry in children:
            try:
                stat = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if entry.name.startswith(_TEMPORARY_PREFIX):
                if now - stat.st_mtime > _STALE_TEMPORARY:  # a writer killed mid-copy
                    with contextlib.suppress(OSError):
                        os.remove(entry.path)
                continue
            entries.append((stat.st_mtime, stat.st_size, entry.path))
            total += stat.st_size
    if total > config.max_total_size:
        entries.sort()
        goal = config.max_total_size * 9 // 10
        for _, size, path in entries:
            if total <= goal:
                break
            with contextlib.suppress(OSError):  # another process may have removed it first
                os.remove(path)
            total -= size
    with contextlib.suppress(OSError):
        marker = os.path.join(config.directory, '.scanned')
        with open(marker, 'a'):
            pass
        os.utime(marker)
