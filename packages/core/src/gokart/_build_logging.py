"""Build-scoped log levels without touching process-global logging state (gokart.build's LoggerConfig).

gokart 1.12.2 silences a build with `logging.disable(level - 10)` and sets the level of the
`gokart.build` logger: both process-global, so builds running in several threads at once undo each
other's settings and can leave WARNING records switched off for good. Here each build pushes its level
on a per-thread stack; `logging.Logger.isEnabledFor` is replaced, while at least one build is active,
by a function that consults that stack first:

* in a thread running a build: a record at or below `level - 10` is dropped (what `logging.disable`
  did), and the `gokart.build` logger lets through records at or above `level` (what its `setLevel`
  did);
* in any other thread (threads a build starts, such as the log writers, or the user's): the records
  that every active build drops are dropped, as `logging.disable` did for the whole process.

The last build to end puts the original `isEnabledFor` back. Nothing else changes: `logging.disable`,
logger levels and handlers are never touched, so nothing is left behind by any interleaving of builds.
The per-thread check comes before the loggers' `_cache` (which holds results of the original function
only); caches are cleared on install and uninstall all the same.
"""

from __future__ import annotations

import logging
import os
import threading
from typing import Any

__all__ = ['enter_build_level', 'exit_build_level']

_lock = threading.Lock()
_local = threading.local()  # .levels: the levels of the builds of this thread, innermost last
_active: list[int] = []  # the levels of all active builds, any thread
_floor_elsewhere: int | None = None  # threads without a build drop records at or below this
_original: Any = None  # the isEnabledFor that ours replaced (kept after uninstalling)
_build_logger = logging.getLogger('gokart.build')


def _clear_caches() -> None:
    """Empty every logger's isEnabledFor cache (what logging.disable and setLevel do)."""
    logging.root.manager._clear_cache()  # type: ignore[attr-defined]


def _is_enabled_for(self: logging.Logger, level: int) -> bool:
    levels = getattr(_local, 'levels', None)
    if levels:
        build_level = levels[-1]
        if level <= build_level - 10:
            return False
        if self is _build_logger:
            return not self.disabled and self.manager.disable < level and level >= build_level
    else:
        floor = _floor_elsewhere
        if floor is not None and level <= floor:
            return False
    return _original(self, level)


def enter_build_level(level: int) -> None:
    """Records below `level` are dropped in this thread until the matching `exit_build_level`."""
    global _original, _floor_elsewhere
    with _lock:
        if not _active:
            if logging.Logger.__dict__.get('isEnabledFor') is not _is_enabled_for:  # (a patch may have put it back)
                _original = logging.Logger.isEnabledFor
            logging.Logger.isEnabledFor = _is_enabled_for  # type: ignore[method-assign]
            _clear_caches()
        _active.append(level)
        _floor_elsewhere = min(_active) - 10
        levels = getattr(_local, 'levels', None)
        if levels is None:
            levels = _local.levels = []
        levels.append(level)


def exit_build_level() -> None:
    """End the innermost build level of this thread; the last build overall restores logging."""
    global _floor_elsewhere
    with _lock:
        level = _local.levels.pop()
        _active.remove(level)
        if _active:
            _floor_elsewhere = min(_active) - 10
            return
        _uninstall()


def _uninstall() -> None:
    global _floor_elsewhere
    _floor_elsewhere = None
    if logging.Logger.__dict__.get('isEnabledFor') is _is_enabled_for:  # else someone patched it since
        logging.Logger.isEnabledFor = _original  # type: ignore[method-assign]
    # _original stays set: a thread may be about to call _is_enabled_for, looked up just before
    _clear_caches()


def _after_fork_in_child() -> None:
    """A forked child has one thread: only its builds are active (the others' never end there)."""
    global _lock, _floor_elsewhere
    _lock = threading.Lock()
    _active[:] = getattr(_local, 'levels', None) or []
    if _active:
        _floor_elsewhere = min(_active) - 10
    elif logging.Logger.__dict__.get('isEnabledFor') is _is_enabled_for:
        _uninstall()


os.register_at_fork(after_in_child=_after_fork_in_child)
