"""What `gokart run` shows while and after a run, driven by luigi's task events.

Handlers are registered once on `luigi.Task` (the public `event_handler` hook, as gokart's Slack report
does). Events fire in the parent (discovery) and, with several workers, in forked worker processes (start,
success, failure), so each handler writes one short line to a pipe created before the run; a thread of
the parent reads it, keeps the counts and redraws the display. Lines shorter than PIPE_BUF are written
atomically, whichever process writes them.

On a terminal the display is two lines on stderr, redrawn ten times a second; anything else written to
stderr meanwhile (logs, warnings) is printed above it. Off a terminal nothing is drawn.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import sys
import threading
import time
from typing import IO, Any

import luigi

from ._graph import is_external

__all__ = ['RunMonitor', 'first_line', 'wants_color']

_ACTIVE: RunMonitor | None = None
_MAX_TEXT = 300  # keeps each pipe message well under PIPE_BUF (4096)


def wants_color(stream: IO[str]) -> bool:
    """Colour on a terminal, unless NO_COLOR is set to anything (no-color.org) or TERM is dumb."""
    return _is_terminal(stream) and not os.environ.get('NO_COLOR')


def _is_terminal(stream: IO[str]) -> bool:
    try:
        return stream.isatty() and os.environ.get('TERM') != 'dumb'
    except (AttributeError, ValueError):
        return False


def first_line(error: object) -> str:
    if isinstance(error, BaseException):
        text = f'{type(error).__name__}: {error}' if str(error) else type(error).__name__
    else:
        text = str(error)
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return (lines[0] if lines else text)[:_MAX_TEXT]


def _label(task: Any) -> str:
    return repr(task)[:_MAX_TEXT]


def _send(kind: str, task: Any, detail: object = None) -> None:
    monitor = _ACTIVE
    if monitor is None or monitor.write_fd is None:
        return
    message = {'k': kind, 'id': task.task_id, 'name': task.get_task_family(), 'label': _label(task), 't': time.time()}
    if detail is not None:
        message['detail'] = first_line(detail)
    try:
        os.write(monitor.write_fd, (json.dumps(message) + '\n').encode())
    except OSError:
        pass


def _register() -> list[tuple[str, Any]]:
    """Put the display's handlers on luigi.Task, for the monitored run only (no task of a later build in the
    process goes through them)."""
    # luigi's meaning: DISCOVERED names each dependency of a task to run; MISSING an external task whose
    # output does not exist (or a task whose complete() raised); PRESENT a task that is already complete.
    handlers = [
        (luigi.Event.DEPENDENCY_DISCOVERED, lambda task, dependency: _send('pending', dependency)),
        (
            luigi.Event.DEPENDENCY_MISSING,
            lambda task: (
                _send('missing_ext', task) if is_external(task) else _send('failure', task, 'complete() failed')
            ),
        ),
        (luigi.Event.DEPENDENCY_PRESENT, lambda task: _send('present', task)),
        (luigi.Event.START, lambda task: _send('start', task)),
        (luigi.Event.SUCCESS, lambda task: _send('success', task)),
        (luigi.Event.FAILURE, lambda task, exception: _send('failure', task, exception)),
        (luigi.Event.PROCESS_FAILURE, lambda task, message: _send('failure', task, message)),
        (luigi.Event.TIMEOUT, lambda task, message: _send('failure', task, f'timeout: {message}')),
        (luigi.Event.BROKEN_TASK, lambda task, exception: _send('failure', task, exception)),
    ]
    for event, handler in handlers:
        luigi.Task.event_handler(event)(handler)
    return handlers


def _unregister(handlers: list[tuple[str, Any]]) -> None:
    by_event = luigi.Task._event_callbacks.get(luigi.Task, {})  # type: ignore[attr-defined]
    for event, handler in handlers:
        by_event.get(event, set()).discard(handler)


class _StderrAbove:
    """sys.stderr while the display is up: what others write goes above the display, which is then redrawn."""

    def __init__(self, monitor: RunMonitor, stream: IO[str]) -> None:
        self._monitor = monitor
        self._stream = stream
        self._pid = os.getpid()

    def write(self, text: str) -> int:
        if os.getpid() != self._pid:  # a forked worker: the parent owns the display
            return self._stream.write(text)
        with self._monitor.lock:
            self._monitor.clear()
            written = self._stream.write(text)
            if text.endswith('\n'):
                self._monitor.draw()
        return written

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


class RunMonitor:
    """Counts a run's tasks from its events; draws progress on a terminal; gives the final summary."""

    def __init__(self, stream: IO[str] | None = None, display: bool | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.display = _is_terminal(self.stream) if display is None else display
        self.color = self.display and not os.environ.get('NO_COLOR')
        self.lock = threading.RLock()
        self.write_fd: int | None = None
        self._read_fd: int | None = None
        self._thread: threading.Thread | None = None
        self._handlers: list[tuple[str, Any]] = []
        self._drawn = 0  # lines of the display now on screen
        self._saved_stderr: Any = None
        self.started = time.monotonic()
        self.first_start: float | None = None
        self.pending: dict[str, str] = {}
        self.present: set[str] = set()
        self.missing_ext: dict[str, str] = {}
        self.running: dict[str, tuple[str, float]] = {}
        self.succeeded: dict[str, str] = {}
        self.failed: dict[str, tuple[str, str]] = {}
        self.wall = 0.0

    def expect(self, task: Any) -> None:
        """The root: luigi names only dependencies as discovered."""
        self.pending[task.task_id] = _label(task)

    # lifecycle

    def __enter__(self) -> RunMonitor:
        global _ACTIVE
        self._handlers = _register()
        self._read_fd, self.write_fd = os.pipe()
        _ACTIVE = self
        self._thread = threading.Thread(target=self._read_loop, name='gokart-cli-progress', daemon=True)
        self._thread.start()
        if self.display:
            self._saved_stderr = sys.stderr
            sys.stderr = _StderrAbove(self, self.stream)  # type: ignore[assignment]
        return self

    def __exit__(self, *exc: object) -> None:
        global _ACTIVE
        _ACTIVE = None
        _unregister(self._handlers)
        self._handlers = []
        if self.write_fd is not None:
            os.write(self.write_fd, b'{"k": "end"}\n')
        if self._thread is not None:
            self._thread.join(timeout=5)
        for fd in (self.write_fd, self._read_fd):
            if fd is not None:
                os.close(fd)
        self.write_fd = self._read_fd = None
        if self._saved_stderr is not None:
            sys.stderr = self._saved_stderr
        with self.lock:
            self.clear()
        self.wall = time.monotonic() - self.started

    def _read_loop(self) -> None:
        assert self._read_fd is not None
        buffer = b''
        last_draw = 0.0
        while True:
            ready, _, _ = select.select([self._read_fd], [], [], 0.1)
            if ready:
                chunk = os.read(self._read_fd, 65536)
                if not chunk:
                    return
                buffer += chunk
                *lines, buffer = buffer.split(b'\n')
                for line in lines:
                    message = json.loads(line)
                    if message['k'] == 'end':
                        return
                    with self.lock:
                        self._apply(message)
            now = time.monotonic()
            if self.display and now - last_draw >= 0.1:
                last_draw = now
                with self.lock:
                    self.clear()
                    self.draw()

    def _apply(self, m: dict[str, Any]) -> None:
        kind, task_id = m['k'], m['id']
        if kind == 'pending':
            known = (self.running, self.succeeded, self.failed, self.present, self.missing_ext)
            if not any(task_id in seen for seen in known):
                self.pending[task_id] = m['label']
        elif kind == 'missing_ext':
            self.pending.pop(task_id, None)
            self.missing_ext[task_id] = m['label']
        elif kind == 'present':
            self.pending.pop(task_id, None)
            self.present.add(task_id)
        elif kind == 'start':
            self.pending.pop(task_id, None)
            self.running[task_id] = (m['name'], m['t'])
            if self.first_start is None:
                self.first_start = time.monotonic()
        elif kind == 'success':
            self.pending.pop(task_id, None)
            self.running.pop(task_id, None)
            self.succeeded[task_id] = m['label']
        elif kind == 'failure':
            self.pending.pop(task_id, None)
            self.running.pop(task_id, None)
            self.failed.setdefault(task_id, (m['label'], m.get('detail', '')))

    # display

    def _paint(self, text: str, code: str) -> str:
        return f'\x1b[{code}m{text}\x1b[0m' if self.color else text

    def status_lines(self) -> list[str]:
        done, failed, running, pending = len(self.succeeded), len(self.failed), len(self.running), len(self.pending)
        total = done + failed + running + pending
        width = 12
        filled = int(width * (done + failed) / total) if total else 0
        bar = '[' + '#' * filled + '.' * (width - filled) + ']'
        parts = [
            f'{bar} {done + failed}/{total}',
            self._paint(f'{done} done', '32'),
            self._paint(f'{failed} failed', '31') if failed else '0 failed',
            self._paint(f'{running} running', '33'),
            f'{pending} pending',
        ]
        if self.first_start is not None and done + failed:
            elapsed = time.monotonic() - self.first_start
            rate = (done + failed) / elapsed if elapsed > 0 else 0.0
            parts.append(f'{rate:.2f}/s')
            if rate > 0 and running + pending:
                parts.append(f'ETA {_duration((running + pending) / rate)}')
        parts.append(_duration(time.monotonic() - self.started))
        now = time.time()
        current = ', '.join(f'{name} ({_duration(now - t0)})' for name, t0 in list(self.running.values())[:6])
        lines = [' · '.join(parts)]
        if current:
            lines.append(f'  running: {current}' + (' …' if running > 6 else ''))
        return lines

    def draw(self) -> None:
        if not self.display:
            return
        columns = max(shutil.get_terminal_size((80, 24)).columns - 1, 20)
        lines = [_fit(line, columns) for line in self.status_lines()]
        self.stream.write('\n'.join(lines) + '\n')
        self.stream.flush()
        self._drawn = len(lines)

    def clear(self) -> None:
        if self.display and self._drawn:
            self.stream.write(f'\x1b[{self._drawn}F\x1b[J')
            self.stream.flush()
        self._drawn = 0

    # summary

    def summary(self, root: str, code: int, code_name: str) -> list[str]:
        ran, failed = len(self.succeeded), len(self.failed)
        not_run = len(self.pending) + len(self.running)
        counts = [f'{ran} ran', f'{len(self.present)} already done']
        if failed:
            counts.append(self._paint(f'{failed} failed', '31'))
        if not_run:
            counts.append(f'{not_run} not run')
        if self.missing_ext:
            counts.append(self._paint(f'{len(self.missing_ext)} missing external input', '31'))
        verdict = (
            self._paint('succeeded', '32') if code == 0 else self._paint(f'failed: exit {code} ({code_name})', '31')
        )
        lines = [f'{root}: {verdict} · {", ".join(counts)} · {_duration(self.wall)}']
        for label, detail in self.failed.values():
            lines.append(f'  ✗ {label}: {detail}')
        for label in self.missing_ext.values():
            lines.append(f'  ✗ {label}: its output does not exist (external input)')
        return lines


def _fit(line: str, columns: int) -> str:
    # Cut by visible characters (escape sequences take no room), so the display never wraps.
    out, visible, i = [], 0, 0
    while i < len(line):
        if line[i] == '\x1b':
            end = line.index('m', i) + 1
            out.append(line[i:end])
            i = end
            continue
        if visible >= columns:
            out.append('\x1b[0m' if '\x1b' in line else '')
            break
        out.append(line[i])
        visible += 1
        i += 1
    return ''.join(out)


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f'{seconds:.1f}s'
    minutes, secs = divmod(int(seconds), 60)
    if minutes < 60:
        return f'{minutes}m{secs:02d}s'
    hours, minutes = divmod(minutes, 60)
    return f'{hours}h{minutes:02d}m'
