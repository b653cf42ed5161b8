"""Background writes of the supplementary log files: same names, same bytes, off the hot path.

Each task writes its output plus five small log files; on a cold build of small tasks, creating those
files dominates. The log objects are serialized on the caller's thread (so their content is fixed at event
time), then written atomically (temporary file, rename) by two threads, which overlap with the tasks still
running. Writes are deferred only inside `deferred()`, which gokart.build, gokart.run, gokart's worker and
the engine enter, and which flushes on exit; elsewhere (a bare luigi.build with luigi's worker, a direct
trigger_event) they are synchronous. Every reader of a log file flushes first, and so does interpreter
exit. A forked child (luigi's task processes, the engine's workers) writes synchronously: it may exit
without running atexit hooks.
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import logging
import os
import queue
import random
import threading

logger = logging.getLogger(__name__)

_MAX_PENDING = 512  # bounds memory and what an abrupt exit could lose


_counter = itertools.count()


def temporary_path(path: str) -> str:
    """A temporary name for an atomic write, unique per writer.

    It still makes luigi's one draw from `random` on the caller's thread, so a seeded run() sees the same
    random state as under luigi's writes; the name itself comes from the pid and a counter, because a seeded
    generator repeats its draws (a task started twice, e.g. after dynamic dependencies, would otherwise
    race two writers onto one temporary file).
    """
    random.randrange(0, 10_000_000_000)
    return f'{path}-luigi-tmp-{os.getpid()}-{next(_counter)}'


def write_atomic(path: str, temporary: str, data: bytes) -> None:
    """Write like luigi's LocalTarget: the temporary sibling, renamed over the final path."""
    try:
        file = open(temporary, 'wb')
    except FileNotFoundError:
        # Creating directories only when missing saves a syscall per file on the common path.
        os.makedirs(os.path.dirname(path) or '.', exist_ok=True)
        file = open(temporary, 'wb')
    try:
        with file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.remove(temporary)
        raise


class LogWriter:
    """Two daemon threads draining a bounded queue (a full queue makes the caller wait: backpressure)."""

    def __init__(self) -> None:
        self._queue: queue.Queue[tuple[str, str, bytes]] = queue.Queue(maxsize=_MAX_PENDING)
        self._threads: list[threading.Thread] = []
        self._start_lock = threading.Lock()
        self.synchronous = False
        self.depth = 0  # nesting of deferred() blocks

    def _start(self) -> None:
        with self._start_lock:
            while len(self._threads) < 2:
                thread = threading.Thread(
                    target=self._work, name=f'gokart-log-writer-{len(self._threads)}', daemon=True
                )
                thread.start()
                self._threads.append(thread)

    def _work(self) -> None:
        while True:
            path, temporary, data = self._queue.get()
            try:
                write_atomic(path, temporary, data)
            except Exception:
                # As luigi does for a failing event handler: reported, not raised into the build.
                logger.exception('Error while writing a supplementary log file')
            finally:
                self._queue.task_done()

    def submit(self, path: str, data: bytes) -> None:
        temporary = temporary_path(path)
        if self.synchronous or self.depth == 0:
            write_atomic(path, temporary, data)
            return
        if not os.path.isabs(path):
            # Resolved now: the caller may change directory before the write happens.
            cwd = os.getcwd()
            path, temporary = os.path.join(cwd, path), os.path.join(cwd, temporary)
        if not self._threads:
            self._start()
        self._queue.put((path, temporary, data))

    def flush(self) -> None:
        if self._threads:
            self._queue.join()

    def reset_after_fork(self) -> None:
        # The parent's threads do not exist in the child; the child writes synchronously.
        self._queue = queue.Queue(maxsize=_MAX_PENDING)
        self._threads = []
        self._start_lock = threading.Lock()
        self.synchronous = True
        self.depth = 0


_writer = LogWriter()
os.register_at_fork(after_in_child=_writer.reset_after_fork)
atexit.register(_writer.flush)


def submit(path: str, data: bytes) -> None:
    _writer.submit(path, data)


def flush() -> None:
    _writer.flush()


@contextlib.contextmanager
def deferred():
    """Let log writes inside this block run in the background; all of them are on disk when it exits."""
    _writer.depth += 1
    try:
        yield
    finally:
        _writer.depth -= 1
        _writer.flush()
