"""The live display of `gokart.build()` in a Jupyter kernel, then its summary; nothing at all elsewhere.

Driven by luigi's task events (handlers registered once on `luigi.Task`, on the first build in a kernel).
Events of discovery fire in this process; with several workers, those of running tasks fire in forked
children, which write one short JSON line each to a pipe (atomic below PIPE_BUF) that a thread reads.
The display is one output updated in place (IPython's `display_id`), at most ten times a second, so
builds of thousands of tasks are not slowed; at the end it becomes the summary.
"""

from __future__ import annotations

import contextvars
import json
import os
import select
import threading
import time
from html import escape
from typing import Any

import luigi

from gokart._events import add_task_handlers, remove_task_handlers
from gokart._notebook._kernel import display_handle, in_kernel

__all__ = ['BuildProgress']

_ACTIVE: BuildProgress | None = None
_HANDLERS: list[tuple[str, Any]] | None = None  # on luigi.Task while a display is up
_MIN_INTERVAL = 0.1  # seconds between two redraws
_MAX_TEXT = 300  # keeps each pipe message well under PIPE_BUF (4096)
_SLOWEST = 5  # tasks listed with their times in the summary


def _first_line(detail: object) -> str:
    if isinstance(detail, BaseException):
        text = f'{type(detail).__name__}: {detail}' if str(detail) else type(detail).__name__
    else:
        text = str(detail)
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return (lines[0] if lines else text)[:_MAX_TEXT]


def _send(kind: str, task: Any, detail: object = None) -> None:
    monitor = _ACTIVE
    if monitor is None:
        return
    message: dict[str, Any] = {'k': kind, 'id': task.task_id, 'name': task.get_task_family(), 't': time.time()}
    if kind in ('failure', 'success'):
        message['label'] = str(task)[:_MAX_TEXT]
    if detail is not None:
        message['detail'] = _first_line(detail)
    if os.getpid() == monitor.pid:
        monitor.apply(message)
    elif monitor.write_fd is not None:  # a forked worker: the parent owns the display
        try:
            os.write(monitor.write_fd, (json.dumps(message) + '\n').encode())
        except OSError:
            pass


def _register() -> None:
    """Put the display's handlers on luigi.Task while the outermost display is up (not for good: every task of
    every later build in the kernel would go through them)."""
    global _HANDLERS
    _HANDLERS = [
        (luigi.Event.DEPENDENCY_DISCOVERED, lambda task, dependency: _send('pending', dependency)),
        (luigi.Event.DEPENDENCY_PRESENT, lambda task: _send('cached', task)),
        (luigi.Event.DEPENDENCY_MISSING, lambda task: _send('missing', task)),
        (luigi.Event.START, lambda task: _send('start', task)),
        (luigi.Event.SUCCESS, lambda task: _send('success', task)),
        (luigi.Event.FAILURE, lambda task, exception: _send('failure', task, exception)),
        (luigi.Event.PROCESS_FAILURE, lambda task, message: _send('failure', task, message)),
        (luigi.Event.TIMEOUT, lambda task, message: _send('failure', task, f'timeout: {message}')),
        (luigi.Event.BROKEN_TASK, lambda task, exception: _send('failure', task, exception)),
    ]
    add_task_handlers(_HANDLERS)


def _unregister() -> None:
    global _HANDLERS
    remove_task_handlers(_HANDLERS or ())
    _HANDLERS = None


class _View:
    """What the display shows: HTML for Jupyter, text for everything else (and nbclient's text/plain)."""

    def __init__(self, text: str, html: str) -> None:
        self.text, self.html = text, html

    def __repr__(self) -> str:
        return self.text

    def _repr_html_(self) -> str:
        return self.html


class BuildProgress:
    """One build's display; inactive (no handlers, pipe or thread) outside a Jupyter kernel."""

    def __init__(self, root: Any) -> None:
        self._root = root
        self.handle: Any = None
        self.wall: float | None = None

    def _start(self) -> None:
        """The state of an active display: made only inside a kernel, so builds elsewhere pay nothing."""
        self.root_name = self._root.get_task_family()
        self.pid = os.getpid()
        self.lock = threading.Lock()
        self.write_fd: int | None = None
        self._read_fd: int | None = None
        self._thread: threading.Thread | None = None
        self._last_draw = 0.0
        self._outer: BuildProgress | None = None  # a build run inside a task of another build
        self.started = time.time()
        self.pending: set[str] = {self._root.task_id}
        self.cached: set[str] = set()
        self.missing: set[str] = set()
        self.running: dict[str, tuple[str, float]] = {}
        self.done: dict[str, tuple[str, float]] = {}  # id -> (name, seconds)
        self.failed: dict[str, tuple[str, str]] = {}  # id -> (label, reason)

    # lifecycle

    def __enter__(self) -> BuildProgress:
        global _ACTIVE
        if not in_kernel():
            return self
        self._start()
        self.handle = display_handle(self.view())
        if self.handle is None:
            return self
        if _ACTIVE is None:  # a nested build's display shares the outer one's handlers (_send reaches the inner)
            _register()
        self._read_fd, self.write_fd = os.pipe()
        self._outer, _ACTIVE = _ACTIVE, self
        context = contextvars.copy_context()  # the kernel's output routing (the cell) follows the thread
        self._thread = threading.Thread(
            target=context.run, args=(self._read_loop,), name='gokart-progress', daemon=True
        )
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        global _ACTIVE
        if self.handle is None:
            return
        _ACTIVE = self._outer
        if _ACTIVE is None:
            _unregister()
        if self.write_fd is not None:
            os.write(self.write_fd, b'{"k": "end"}\n')
        if self._thread is not None:
            self._thread.join(timeout=5)
        for fd in (self.write_fd, self._read_fd):
            if fd is not None:
                os.close(fd)
        self.write_fd = self._read_fd = None
        self.wall = time.time() - self.started
        self.handle.update(self.view())

    def _read_loop(self) -> None:
        assert self._read_fd is not None
        buffer = b''
        while True:
            ready, _, _ = select.select([self._read_fd], [], [], _MIN_INTERVAL)
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
                    self.apply(message, redraw=False)
            self.redraw()

    # events

    def apply(self, m: dict[str, Any], redraw: bool = True) -> None:
        kind, task_id = m['k'], m['id']
        with self.lock:
            if kind == 'pending':
                if not any(task_id in seen for seen in (self.cached, self.running, self.done, self.failed)):
                    self.pending.add(task_id)
            elif kind == 'cached':
                self.pending.discard(task_id)
                self.cached.add(task_id)
            elif kind == 'missing':
                self.pending.discard(task_id)
                self.missing.add(task_id)
            elif kind == 'start':
                self.pending.discard(task_id)
                self.running[task_id] = (m['name'], m['t'])
            elif kind == 'success':
                self.pending.discard(task_id)
                _, t0 = self.running.pop(task_id, (m['name'], m['t']))
                self.done[task_id] = (m['name'], m['t'] - t0)
            elif kind == 'failure':
                self.pending.discard(task_id)
                self.running.pop(task_id, None)
                self.missing.discard(task_id)
                self.failed.setdefault(task_id, (m.get('label', m['name']), m.get('detail', '')))
        if redraw:
            self.redraw()

    def redraw(self) -> None:
        now = time.monotonic()
        if self.handle is None or now - self._last_draw < _MIN_INTERVAL:
            return
        self._last_draw = now
        self.handle.update(self.view())

    # what is shown

    def counts(self) -> str:
        parts = [f'{len(self.done)} ran', f'{len(self.cached)} cached', f'{len(self.failed)} failed']
        if self.running:
            parts.append(f'{len(self.running)} running')
        if self.pending:
            parts.append(f'{len(self.pending)} pending')
        if self.missing:
            parts.append(f'{len(self.missing)} missing external input')
        return ', '.join(parts)

    def view(self) -> _View:
        with self.lock:
            if self.wall is None:
                return self._progress_view()
            return self._summary_view()

    def _progress_view(self) -> _View:
        finished = len(self.done) + len(self.failed) + len(self.cached)
        total = finished + len(self.running) + len(self.pending)
        elapsed = time.time() - self.started
        running = ', '.join(name for name, _ in list(self.running.values())[:4])
        text = f'gokart.build {self.root_name}: {finished}/{total} · {self.counts()} · {elapsed:.1f} s'
        if running:
            text += f' · running {running}'
        share = 100 * finished / total if total else 0
        html = (
            f'<div class="gokart-progress"><progress value="{finished}" max="{max(total, 1)}" style="width:12em"></progress> '
            f'{share:.0f}% <b>{escape(self.root_name)}</b> · {escape(self.counts())} · {elapsed:.1f} s'
            + (f'<br><small>running: {escape(running)}</small>' if running else '')
            + '</div>'
        )
        return _View(text, html)

    def _summary_view(self) -> _View:
        verdict = 'failed' if self.failed or self.missing else 'done'
        head = f'gokart.build {self.root_name}: {verdict} · {self.counts()} · {self.wall or 0.0:.2f} s'
        slowest = sorted(self.done.values(), key=lambda item: -item[1])[:_SLOWEST]
        lines = [head]
        lines += [f'  {name}: {seconds:.2f} s' for name, seconds in slowest]
        lines += [f'  ✗ {label}: {reason}' for label, reason in self.failed.values()]
        colour = '#cf222e' if verdict == 'failed' else '#1a7f37'
        rows = ''.join(f'<tr><td>{escape(name)}</td><td>{seconds:.2f} s</td></tr>' for name, seconds in slowest)
        failures = ''.join(
            f'<li><code>{escape(label)}</code>: {escape(reason)}</li>' for label, reason in self.failed.values()
        )
        html = (
            f'<div class="gokart-summary"><b style="color:{colour}">{escape(self.root_name)}: {verdict}</b> · '
            f'{escape(self.counts())} · {self.wall or 0.0:.2f} s'
            + (f'<table style="text-align:left">{rows}</table>' if rows else '')
            + (f'<ul style="color:{colour}">{failures}</ul>' if failures else '')
            + '</div>'
        )
        return _View('\n'.join(lines), html)
