"""A task counts as done only with its log files on disk: the commit of one run of one task.

complete() looks at outputs only, so an output written before the task's log files are on disk makes the
task done for good even if the process dies before the logs land (restore() then fails). Hence, while an
executor runs a task on the direct local path (logs._writes_directly), the files that gokart's single-file
targets write to local luigi targets are *staged*: written to a unique temporary sibling of their
destination and left there. When run() has returned and its outputs check passed, the executor commits:

1. the log files are written on the executor's thread, failing loudly: the START ones (task_params,
   random_seed, module_versions: serialized at START, with their draw from `random` made then), then
   processing_time and task_log,
2. any log write of the run still in the background writer is waited for; a failed one fails,
3. the staged files are renamed into place, the task's outputs last.

Any failure in these steps fails the task, as a full disk fails it under gokart 1.12.2. If run() raises or
yields dynamic dependencies (the task will run again), the staged files are discarded and the START log
files are written as they are after such a run under gokart 1.12.2. So a crash before
the commit leaves no output (the next build runs the task again) and a crash after it leaves the output and
every log file. The events keep luigi's order; at PROCESSING_TIME and SUCCESS the handlers find their files
written and only make gokart 1.12.2's draw from `random` (logs._written_by_commit).

Executors: the engine (_engine/_runner.run_task) and gokart's luigi worker (worker.TaskProcess) call
begin() before luigi's START event, finish() after the outputs check, end() when the run is over (before
FAILURE and on_failure(), so that what they write is not staged). While a run is staged, its Commit is the
thread's current stage (gokart._tempfiles), which SingleFileTarget asks for its files.

Outside a run (user code, build()'s task_dump_config dump, luigi's own worker) and for tasks not on the
direct path (redis locks, whose run lock must cover the writes; S3/GCS; patched dump/target callables),
writes are direct, as before.
"""

from __future__ import annotations

import io
import os
from typing import Any

import luigi.format
import luigi.local_target
from luigi.format import FileWrapper

from gokart import _codec, _log_writer, _tempfiles
from gokart._kart import logs
from gokart._kart.outputs import output_path
from gokart._kart.register import is_kart
from gokart._kart.session import outputs_of
from gokart._kart.state import state_of
from gokart.utils import flatten

__all__ = ['Commit', 'begin', 'end', 'finish']

_LOCAL_TARGET = luigi.local_target.LocalTarget
_POSIX = os.name == 'posix'
# A staged pickle up to this size stays in memory until the commit writes it; a larger one goes to its
# temporary file as it is written (docs/compat.md Q34).
MEMORY_LIMIT = 1 << 20


def _remove(path: str) -> None:
    try:
        os.remove(path)
    except OSError:
        pass


class _StagedFile(luigi.local_target.atomic_file):
    """luigi's atomic local file, with a unique temporary name, handed to the commit on close (no rename)."""

    def __init__(self, path: str, commit: Commit, draw: bool = True) -> None:
        self._commit = commit
        self._staged = False
        self._draw = draw
        self._destination = commit.absolute(path)
        _tempfiles.remove_stale(self._destination, commit.timeout)
        super().__init__(path)

    def generate_tmp_path(self, path: str) -> str:
        if self._draw:  # luigi's atomic_file draws its name here: seeded run()s see the same state
            _tempfiles.draw()
        return _tempfiles.temporary_path(self._destination)

    def move_to_final_destination(self) -> None:
        self._commit.stage(self.path, self.tmp_path, self._destination)
        self._staged = True

    def _abandon(self) -> None:
        try:
            io.BufferedWriter.close(self)  # closes without staging (luigi's close would stage)
        except (OSError, ValueError):  # a full disk fails the flush; a failed open leaves nothing to close
            pass
        temporary = self.__dict__.get('_AtomicLocalFile__tmp_path')  # unset if naming failed
        if temporary is not None:
            _remove(temporary)

    def __exit__(self, exc_type: Any, exc: Any, traceback: Any) -> None:
        if exc_type is not None:
            self._abandon()
            return
        try:
            super().__exit__(exc_type, exc, traceback)
        except BaseException:
            self._abandon()
            raise

    def __del__(self) -> None:  # also called by luigi's TextWrapper.__del__: idempotent
        if not self._staged:
            self._abandon()


class _MemoryFile:
    """A staged file held in memory, written by the commit with the run's other files in one call.

    What a pickler needs of a binary file (write, tell, seek, truncate); past MEMORY_LIMIT bytes the file
    moves to its temporary file on disk (a _StagedFile) and goes on there.
    """

    __slots__ = ('_commit', '_path', '_destination', '_buffer', '_file')

    def __init__(self, path: str, commit: Commit) -> None:
        self._commit = commit
        self._path = path
        self._destination = commit.absolute(path)
        _tempfiles.remove_stale(self._destination, commit.timeout)
        _tempfiles.draw()  # the draw of luigi's atomic_file, as _StagedFile makes it
        self._buffer: io.BytesIO | None = io.BytesIO()
        self._file: _StagedFile | None = None

    def __enter__(self) -> _MemoryFile:
        return self

    def __exit__(self, exc_type: Any, exc: Any, traceback: Any) -> None:
        file, buffer = self._file, self._buffer
        self._buffer = None
        if file is not None:
            file.__exit__(exc_type, exc, traceback)  # staged, or abandoned
        elif exc_type is None and buffer is not None:
            self._commit.stage(self._path, None, self._destination, buffer.getvalue())

    def _current(self) -> Any:
        current = self._file if self._file is not None else self._buffer
        if current is None:
            raise ValueError('I/O operation on closed file.')
        return current

    def seekable(self) -> bool:
        return True

    def writable(self) -> bool:
        return True

    def readable(self) -> bool:
        return False

    def tell(self) -> int:
        return self._current().tell()

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._current().seek(offset, whence)

    def truncate(self, size: int | None = None) -> int:
        return self._current().truncate(size)

    def flush(self) -> None:
        self._current().flush()

    def write(self, data: Any) -> int:
        if self._file is not None:
            return self._file.write(data)
        buffer = self._buffer
        if buffer is None:
            raise ValueError('I/O operation on closed file.')
        written = buffer.write(data)
        if buffer.tell() > MEMORY_LIMIT:
            self._spill(buffer)
        return written

    def _spill(self, buffer: io.BytesIO) -> None:
        try:  # what luigi's LocalTarget.makedirs does before a write
            os.makedirs(os.path.dirname(self._destination), exist_ok=True)
        except OSError:
            pass
        file = _StagedFile(self._path, self._commit, draw=False)
        try:
            position = buffer.tell()
            file.write(buffer.getbuffer())
            file.seek(position)
        except BaseException:
            file._abandon()
            raise
        self._file = file
        self._buffer = None


class Commit:
    """One run of one task: the files it staged and the log writes it waits for."""

    __slots__ = (
        'task',
        'group',
        'staged',
        'timeout',
        'logs_written',
        'deferred_logs',
        'committed',
        '_cwd',
        '_previous_stage',
        '_staging',
    )

    def __init__(self, task: Any) -> None:
        self.task = task
        self.group = _log_writer.WriteGroup()
        # the path as the target names it -> (temporary file, destination, None), both absolute, or
        # (None, destination, the bytes) for a file held in memory
        self.staged: dict[str, tuple[str | None, str, bytes | None]] = {}
        self.timeout = task.redis_timeout
        self.logs_written: set[str] = set()  # of processing_time and task_log: the events need not write them
        self.deferred_logs: list[tuple[str, bytes]] = []  # the START log files, as (path, bytes)
        self.committed = False
        self._cwd: str | None = None
        self._previous_stage: Any = None
        self._staging = False

    def absolute(self, path: str) -> str:
        """`path` resolved against the working directory of the run's first relative path.

        The run's files are renamed at its end, when run() may have changed directory; one getcwd() per run
        (a system call that hands the GIL to the log writer's threads) instead of one per file.
        """
        if type(path) is not str or not _POSIX:
            return path if os.path.isabs(path) else os.path.join(self._cwd_prefix(), path)
        if path[:1] == '/':  # os.path.isabs of a str on POSIX, without its calls (six files per task)
            return path
        prefix = self._cwd
        return (self._cwd_prefix() if prefix is None else prefix) + path  # os.path.join(cwd, path)

    def _cwd_prefix(self) -> str:
        prefix = self._cwd
        if prefix is None:
            prefix = self._cwd = os.path.join(os.getcwd(), '')  # with its trailing separator
        return prefix

    # ---- the stage: how gokart's single-file targets reach their files during the run (target.py) ----

    def open(self, target: Any, mode: str) -> Any:
        """target.open(mode), with writes to a local luigi target staged and its staged file read back."""
        if type(target) is not _LOCAL_TARGET:
            return target.open(mode)
        rwmode = mode.replace('b', '').replace('t', '')
        if rwmode == 'w':
            target.makedirs()
            return target.format.pipe_writer(_StagedFile(target.path, self))
        staged = self.staged.get(target.path)
        if staged is None or rwmode != 'r':
            return target.open(mode)
        temporary, _, data = staged
        raw: Any = io.FileIO(temporary, mode) if temporary is not None else io.BytesIO(data or b'')
        return target.format.pipe_reader(FileWrapper(io.BufferedReader(raw)))

    def open_pickle(self, target: Any) -> Any:
        """A file for a pickle dump to `target`: held in memory for a local binary target, else open(w)."""
        if type(target) is not _LOCAL_TARGET or target.format is not luigi.format.Nop:
            return self.open(target, 'w')
        return _MemoryFile(target.path, self)

    def holds(self, path: str) -> bool:
        """`path` has been written in this run (exists() is then True, as it would be without staging)."""
        return path in self.staged

    def drop(self, path: str) -> None:
        """The target is removed during the run: so is what was staged for it."""
        staged = self.staged.pop(path, None)
        if staged is not None and staged[0] is not None:
            _remove(staged[0])

    def stage(self, path: str, temporary: str | None, destination: str, data: bytes | None = None) -> None:
        previous = self.staged.pop(path, None)
        if previous is not None and previous[0] is not None:  # dumped again: the last write wins
            _remove(previous[0])
        self.staged[path] = (temporary, destination, data)

    # ---- the run ----

    def activate(self) -> None:
        self._previous_stage = _tempfiles.set_stage(self)
        self._staging = True

    def deactivate(self) -> None:
        if self._staging:
            self._staging = False
            _tempfiles.set_stage(self._previous_stage)

    def defer_log(self, path: str, data: bytes) -> None:
        """A START log file of this run: written by the commit (or discarded with the run)."""
        self.deferred_logs.append((self.absolute(path), data))

    def commit(self, processing_time: float) -> None:
        """Every file of the run in one batch (_codec.write_files): first the staged files held in memory
        are written to their temporary files (where a run writing them directly would have failed), then
        the log files, then the staged files are renamed into place, the task's outputs last. The first
        failure fails the task; what came before it is done."""
        task = self.task
        logs_due: list[tuple[str, bytes]] = []
        kinds = []
        if task.should_dump_supplementary_log_files:
            logs_due.append(self._log('processing_time', processing_time))
            kinds.append('processing_time')
            try:
                file_paths = [target.path() for target in flatten(outputs_of(task))]
            except Exception:  # a plain luigi target: the SUCCESS handler fails on it, as in gokart 1.12.2
                file_paths = None
            if file_paths is not None:
                # What the SUCCESS handler does, now: the file must be on disk before the outputs.
                task.task_log['file_path'] = file_paths
                logs_due.append(self._log('task_log', task.task_log))
                kinds.append('task_log')
        _log_writer.wait(self.group)  # background log writes of this run (none on the direct path)
        staged = self.staged
        if len(staged) > 1:
            outputs = {output_path(target) for target in flatten(outputs_of(task)) if hasattr(target, 'path')}
            order = sorted(staged, key=lambda path: path in outputs)  # outputs last
        else:
            order = list(staged)
        timeout, temporary_path, fresh_temporary = self.timeout, _tempfiles.temporary_path, _tempfiles.fresh_temporary
        entries: list[tuple[str, str, bytes | None, bool]] = []
        renames: list[tuple[str, str, bytes | None, bool]] = []
        in_memory: list[str] = []
        for path in order:
            temporary, destination, data = staged[path]
            if temporary is None:
                temporary = temporary_path(destination)
                staged[path] = (temporary, destination, None)  # on disk from now on: close() removes it
                entries.append((temporary, path, data, False))  # a failed write names the file as dumped
                in_memory.append(temporary)
            renames.append((temporary, destination, None, True))
        deferred, self.deferred_logs = self.deferred_logs, []  # a failure now fails the task: no retry
        for destination, data in (*deferred, *logs_due):
            entries.append((fresh_temporary(destination, timeout), destination, data, True))
        entries.extend(renames)
        try:
            _codec.write_files(entries)
        except BaseException:
            if not all(map(os.path.exists, in_memory)):
                # the run's own dump failed, before any log file: its START logs are written as after a
                # failed run() (close()), as when the dump fails inside run()
                self.deferred_logs = deferred
            raise
        staged.clear()
        self.logs_written.update(kinds)
        self.committed = True
        self.deactivate()  # what on_success() and the SUCCESS handlers write is not staged

    def _log(self, kind: str, obj: Any) -> tuple[str, bytes]:
        path, data = logs.log_file(self.task, kind, obj)
        return self.absolute(path), data

    def close(self) -> None:
        self.deactivate()
        for temporary, _, _ in self.staged.values():
            if temporary is not None:  # renamed already if the commit got that far: nothing to remove
                _remove(temporary)
        self.staged.clear()
        # A failed or unfinished run keeps its START log files, as under gokart 1.12.2 (they are no output);
        # best effort: the run has failed already, or will run again and write them then.
        deferred, self.deferred_logs = self.deferred_logs, []
        for path, data in deferred:
            try:
                _log_writer.submit(path, data, None, self.timeout, draw=False)
            except OSError as error:
                logs.logger.warning('Could not write the log file %s of a failed run: %s', path, error)
        if not self.committed:
            _log_writer.detach(self.group)


def begin(task: Any) -> None:
    """The executor is about to fire START and run `task`: stage its writes if it is on the direct path."""
    if not is_kart(task) or not logs._writes_directly(task):
        return
    state = state_of(task)
    if state.commit is not None:  # an earlier run that was not ended
        end(task)
    commit = state.commit = Commit(task)
    commit.activate()


def finish(task: Any, processing_time: float) -> None:
    """run() returned and its outputs check passed: write the last log files, wait for all, rename."""
    commit = state_of(task).commit if is_kart(task) else None
    if commit is not None and not commit.committed:
        commit.commit(processing_time)


def end(task: Any) -> None:
    """The run is over: discard what was not committed."""
    if not is_kart(task):
        return
    state = state_of(task)
    commit, state.commit = state.commit, None
    if commit is not None:
        commit.close()
