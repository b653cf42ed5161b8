"""Background writes of the supplementary log files: same names, same bytes, off the hot path.

Each task writes its output plus five small log files; on a cold build of small tasks, creating those
files dominates. The log objects are serialized on the caller's thread (so their content is fixed at event
time), then written atomically (temporary file, rename) by two threads, which overlap with the tasks still
running. Writes are deferred only inside `deferred()`, which gokart.build, gokart.run, gokart's worker and
the engine enter, and which flushes on exit; elsewhere (a bare luigi.build with luigi's worker, a direct
trigger_event) they are synchronous. Every reader of a log file flushes first, and so does interpreter
exit. A forked child (luigi's task processes, the engine's workers) writes synchronously: it may exit
without running atexit hooks.

A write may belong to a `WriteGroup`, the log files of one task's run (gokart._kart.commit): its commit
waits for the group and fails the task if one of them failed. A failed write outside a group is logged.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import queue
import threading

from gokart import _codec, _tempfiles

logger = logging.getLogger(__name__)

_MAX_PENDING = 512  # bounds memory and what an abrupt exit could lose


def write_atomic(path: str, data: bytes, timeout: float | None = None) -> None:
    """Write `data` to a temporary sibling of `path`, renamed over it (removed if anything fails).

    Stale temporary files beside `path` are removed first (`timeout`: the task's lock timeout). The open,
    write, close and rename are one call of the commit's batch writer (docs/compat.md Q34): the GIL is
    released once per file, a missing directory is created, and a failed write names `path`.
    """
    _tempfiles.remove_stale(path, timeout)
    _codec.write_files([(_tempfiles.temporary_path(path), path, data, True)])


class WriteGroup:
    """The pending writes of one task's run, and the first of them that failed.

    `pending` and `error` are guarded by the writer's condition; a detached group (its run is over
    without a commit) no longer collects errors: they are logged.
    """

    __slots__ = ('pending', 'error', 'detached')

    def __init__(self) -> None:
        self.pending = 0
        self.error: BaseException | None = None
        self.detached = False


class LogWriter:
    """Two daemon threads draining a bounded queue (a full queue makes the caller wait: backpressure)."""

    def __init__(self) -> None:
        self._queue: queue.Queue[tuple[str, bytes, WriteGroup | None, float | None]] = queue.Queue(maxsize=_MAX_PENDING)
        self._threads: list[threading.Thread] = []
        self._start_lock = threading.Lock()
        self._done = threading.Condition()  # signalled when a group's last pending write is done
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
            path, data, group, timeout = self._queue.get()
            try:
                write_atomic(path, data, timeout)
            except Exception as error:
                if not self._report(group, error):
                    # As luigi does for a failing event handler: reported, not raised into the build.
                    logger.exception('Error while writing a supplementary log file')
            finally:
                if group is not None:
                    with self._done:
                        group.pending -= 1
                        if not group.pending:
                            self._done.notify_all()
                self._queue.task_done()

    def _report(self, group: WriteGroup | None, error: BaseException) -> bool:
        """Hand `error` to the group's commit; False if nobody will raise it (no group, or detached)."""
        if group is None:
            return False
        with self._done:
            if group.detached:
                return False
            if group.error is None:
                group.error = error
            return True

    def submit(
        self, path: str, data: bytes, group: WriteGroup | None = None, timeout: float | None = None, draw: bool = True
    ) -> None:
        if draw:
            _tempfiles.draw()  # gokart 1.12.2's luigi temporary name, drawn on the caller's thread
        if self.synchronous or self.depth == 0:
            try:
                write_atomic(path, data, timeout)
            except Exception as error:
                if not self._report(group, error):
                    raise
            return
        if not os.path.isabs(path):
            # Resolved now: the caller may change directory before the write happens.
            path = os.path.join(os.getcwd(), path)
        if not self._threads:
            self._start()
        if group is not None:
            with self._done:
                group.pending += 1
        self._queue.put((path, data, group, timeout))

    def wait(self, group: WriteGroup) -> None:
        """Until every write of `group` is on disk; raises the first that failed (once: it is the caller's)."""
        with self._done:
            while group.pending:
                self._done.wait()
            error, group.error = group.error, None
        if error is not None:
            raise error

    def detach(self, group: WriteGroup) -> None:
        """The run of `group` ended without a commit: its errors are logged from now on."""
        with self._done:
            group.detached = True
            error, group.error = group.error, None
        if error is not None:
            logger.error('Error while writing a supplementary log file', exc_info=error)

    def flush(self) -> None:
        if self._threads:
            self._queue.join()

    def reset_after_fork(self) -> None:
        # The parent's threads do not exist in the child; the child writes synchronously.
        self._queue = queue.Queue(maxsize=_MAX_PENDING)
        self._threads = []
        self._start_lock = threading.Lock()
        self._done = threading.Condition()
        self.synchronous = True
        self.depth = 0


_writer = LogWriter()
os.register_at_fork(after_in_child=_writer.reset_after_fork)
atexit.register(_writer.flush)


def submit(
    path: str, data: bytes, group: WriteGroup | None = None, timeout: float | None = None, draw: bool = True
) -> None:
    """Write `data` atomically to `path`, in the background inside deferred(); draws once from `random`
    (`draw=False`: the caller made that draw when the write was due)."""
    _writer.submit(path, data, group, timeout, draw)


def wait(group: WriteGroup) -> None:
    _writer.wait(group)


def detach(group: WriteGroup) -> None:
    _writer.detach(group)


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
        if not _writer.depth:
            _tempfiles.forget_listings()
