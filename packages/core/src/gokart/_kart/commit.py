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

import luigi.local_target
from luigi.format import FileWrapper

from gokart import _log_writer, _tempfiles
from gokart._kart import logs
from gokart._kart.outputs import output_path
from gokart._kart.register import is_kart
from gokart._kart.session import outputs_of
from gokart._kart.state import state_of
from gokart.utils import flatten

__all__ = ['Commit', 'begin', 'end', 'finish']

_LOCAL_TARGET = luigi.local_target.LocalTarget


def _remove(path: str) -> None:
    try:
        os.remove(path)
    except OSError:
        pass


class _StagedFile(luigi.local_target.atomic_file):
    """luigi's atomic local file, with a unique temporary name, handed to the commit on close (no rename)."""

    def __init__(self, path: str, commit: Commit) -> None:
        self._commit = commit
        self._staged = False
        self._destination = commit.absolute(path)
        _tempfiles.remove_stale(self._destination, commit.timeout)
        super().__init__(path)

    def generate_tmp_path(self, path: str) -> str:
        _tempfiles.draw()  # luigi's atomic_file draws its name here: seeded run()s see the same state
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
        # the path as the target names it -> (temporary file, destination), both absolute
        self.staged: dict[str, tuple[str, str]] = {}
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
        if os.path.isabs(path):
            return path
        if self._cwd is None:
            self._cwd = os.getcwd()
        return os.path.join(self._cwd, path)

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
        return target.format.pipe_reader(FileWrapper(io.BufferedReader(io.FileIO(staged[0], mode))))

    def holds(self, path: str) -> bool:
        """`path` has been written in this run (exists() is then True, as it would be without staging)."""
        return path in self.staged

    def drop(self, path: str) -> None:
        """The target is removed during the run: so is what was staged for it."""
        staged = self.staged.pop(path, None)
        if staged is not None:
            _remove(staged[0])

    def stage(self, path: str, temporary: str, destination: str) -> None:
        previous = self.staged.pop(path, None)
        if previous is not None:  # dumped again: the last write wins, as with direct writes
            _remove(previous[0])
        self.staged[path] = (temporary, destination)

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
        task = self.task
        deferred, self.deferred_logs = self.deferred_logs, []  # a failure here fails the task: no retry
        for path, data in deferred:
            _log_writer.write_atomic(path, data, self.timeout)
        if task.should_dump_supplementary_log_files:
            self._write_log('processing_time', processing_time)
            try:
                file_paths = [target.path() for target in flatten(outputs_of(task))]
            except Exception:  # a plain luigi target: the SUCCESS handler fails on it, as in gokart 1.12.2
                file_paths = None
            if file_paths is not None:
                # What the SUCCESS handler does, now: the file must be on disk before the outputs.
                task.task_log['file_path'] = file_paths
                self._write_log('task_log', task.task_log)
        _log_writer.wait(self.group)
        outputs = {output_path(target) for target in flatten(outputs_of(task)) if hasattr(target, 'path')}
        for path in sorted(self.staged, key=lambda path: path in outputs):  # outputs last
            temporary, destination = self.staged[path]
            os.replace(temporary, destination)
            del self.staged[path]
        self.committed = True
        self.deactivate()  # what on_success() and the SUCCESS handlers write is not staged

    def _write_log(self, kind: str, obj: Any) -> None:
        path, data = logs.log_file(self.task, kind, obj)
        _log_writer.write_atomic(self.absolute(path), data, self.timeout)
        self.logs_written.add(kind)

    def close(self) -> None:
        self.deactivate()
        for temporary, _ in self.staged.values():
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
