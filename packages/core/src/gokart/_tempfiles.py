"""Temporary files of atomic writes: unique per writer, luigi's random draws kept, stale ones removed.

An atomic write goes to a temporary sibling of its destination, renamed over it when complete. luigi names
that sibling `<path>-luigi-tmp-<n>` with `n` drawn from the global `random` generator, which seeded code
also uses: two processes running the same seeded task draw the same names, and the second rename fails.
Our writers name it from who writes it, `<path>-luigi-tmp-<host>-<pid>-<n>-<token>` (a per-process counter
and a per-process token from os.urandom), and still draw one number per write, unused, so that seeded code
sees the random state it sees under gokart 1.12.2 (docs/compat.md, "Cache files and writes").

A writer killed mid-write leaves its temporary file behind. The next write of the same destination removes
it once it has no live owner: its writer's process is gone (same host), or for names without an owner (luigi's
own), it is older than the task's lock timeout. Each directory is listed once per build session, on its
first write, so looking costs nothing per file.

This module also holds the thread's current *stage*: the commit of the task running on this thread
(gokart._kart.commit), through which gokart's single-file targets write, read and test their files while
the task runs. Targets see it only through `current_stage()`.
"""

from __future__ import annotations

import itertools
import os
import random
import re
import socket
import threading
import time
import zlib
from typing import Any

from gokart import _paths

__all__ = [
    'TAG',
    'current_stage',
    'draw',
    'forget_listings',
    'fresh_temporary',
    'remove_stale',
    'set_stage',
    'temporary_path',
]

TAG = '-luigi-tmp-'
_DEFAULT_TIMEOUT = 180  # TaskOnKart.redis_timeout's default

# ours: host, pid, counter, token; luigi's: digits only
_OWNED = re.compile(r'([0-9a-f]{4})-(\d+)-\d+-([0-9a-f]{8})')
_LUIGI = re.compile(r'\d{9,}')


def _host_tag() -> str:
    return f'{zlib.crc32(socket.gethostname().encode()) & 0xFFFF:04x}'


class _Process:
    """Who this process is, in temporary names (renewed in a forked child)."""

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.token = os.urandom(4).hex()
        self.counter = itertools.count()
        self.prefix = f'{TAG}{_HOST}-{self.pid}-'


_HOST = _host_tag()
_me = _Process()


_LUIGI_NAME_RANGE = 10_000_000_000  # luigi's atomic_file: random.randrange(0, 10_000_000_000)
_LUIGI_NAME_BITS = _LUIGI_NAME_RANGE.bit_length()
_RANDRANGE = random.randrange
_GETRANDBITS = random.getrandbits  # the global generator's own, which randrange calls


def draw() -> None:
    """The one draw from `random` that gokart 1.12.2 makes per atomic file write (luigi's temporary name).

    The number is not used: it is drawn only so that seeded user code sees the same `random` state.
    """
    if random.randrange is _RANDRANGE:
        # what randrange(0, n) does on the global generator (its getrandbits, of n's bit length, until the
        # number is below n), without its calls: the same state after it; six draws per task of a build
        while _GETRANDBITS(_LUIGI_NAME_BITS) >= _LUIGI_NAME_RANGE:
            pass
        return
    random.randrange(0, _LUIGI_NAME_RANGE)  # patched: the call luigi makes


def temporary_path(path: str) -> str:
    """A fresh temporary sibling of `path`, unique to this writer (no draw: see draw())."""
    return f'{path}{_me.prefix}{next(_me.counter)}-{_me.token}'


# directory (as written) -> destination name -> temporary names seen beside it when the directory was listed
_listings: dict[str, dict[str, list[str]]] = {}


def _list(directory: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    try:
        with os.scandir(directory) as entries:
            for entry in entries:
                name = entry.name
                at = name.rfind(TAG)
                if at > 0:
                    found.setdefault(name[:at], []).append(name)
    except OSError:  # not created yet, or unreadable: nothing to clean
        pass
    return found


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # e.g. EPERM: it exists, owned by someone else
        pass
    # A killed writer whose parent died too stays a zombie until init reaps it: it writes nothing more.
    try:
        with open(f'/proc/{pid}/stat', 'rb') as f:
            stat = f.read()
    except OSError:  # no /proc (or it just exited): take kill()'s word
        return True
    return stat[stat.rfind(b')') + 2 :][:1] not in (b'Z', b'X')


def _is_stale(path: str, suffix: str, timeout: float) -> bool:
    owned = _OWNED.fullmatch(suffix)
    if owned is not None and owned.group(1) == _HOST:
        pid = int(owned.group(2))
        if pid == _me.pid:
            return owned.group(3) != _me.token  # an earlier process that had our pid
        return not _alive(pid)
    if owned is None and _LUIGI.fullmatch(suffix) is None:
        return False  # not a temporary file name we know
    # luigi's names and other hosts' carry no owner we can ask: only old ones are removed
    try:
        return time.time() - os.stat(path).st_mtime > timeout
    except OSError:
        return False


def remove_stale(path: str, timeout: float | None = None) -> None:
    """Remove the temporary files beside `path` that no live writer owns (`path` is about to be written)."""
    # A relative directory is listed as it is named (no getcwd): should the working directory change, what is
    # removed is still judged by the file found at its own path.
    directory, name = _paths.split(path)  # six files a task: the usual '<dir>/<name>' without posixpath's calls
    listing = _listings.get(directory)
    if listing is None:
        listing = _listings[directory] = _list(directory or '.')
    temporaries = listing.pop(name, None)
    if not temporaries:
        return
    limit = _DEFAULT_TIMEOUT if timeout is None else timeout
    for temporary in temporaries:
        full = os.path.join(directory, temporary)
        if _is_stale(full, temporary[len(name) + len(TAG) :], limit):
            try:
                os.remove(full)
            except OSError:  # removed meanwhile by another build
                pass


def fresh_temporary(path: str, timeout: float | None = None) -> str:
    """remove_stale(path, timeout), then temporary_path(path): what a commit does for each file it writes."""
    remove_stale(path, timeout)
    return temporary_path(path)


def forget_listings() -> None:
    """The build session ended: list directories afresh in the next one."""
    _listings.clear()


class _Local(threading.local):
    stage: Any = None


_local = _Local()


def current_stage() -> Any:
    """The commit of the task running on this thread (gokart._kart.commit.Commit), or None."""
    return _local.stage


def set_stage(stage: Any) -> Any:
    """Make `stage` current on this thread; return the previous one."""
    previous, _local.stage = _local.stage, stage
    return previous


def _after_fork() -> None:
    global _me
    _me = _Process()


os.register_at_fork(after_in_child=_after_fork)
