"""gc_paused(): the collector's full collections held off while a large object graph is built.

Unpickling creates containers one after another and keeps them all. With the collector as configured,
every full (oldest-generation) collection traverses the whole heap again and finds nothing to free:
loading 200,000 records spends half its time there, and more when a large value is already alive (a
load right after a dump). Young collections stay on: they are cheap, and they untrack the tuples and
dicts of atoms as they go (turning the collector off altogether makes the first collection after the
load traverse every new object at once, which costs more than it saves on dicts of tuples). A load
creates no garbage cycles of its own, so the loaded value is the same.

The thresholds are process-global while loads can run in several threads at once, so pauses are counted
under a lock: the first pause saves the thresholds and raises the oldest generation's out of reach, the
last one to end puts the saved ones back. An exception ends a pause like a return does. The collector's
on/off switch is never touched. A child forked while a pause is active starts with no pause held and
the saved thresholds back.
"""

from __future__ import annotations

import gc
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ('NO_FULL_COLLECTIONS', 'gc_paused', 'pause_depth')

NO_FULL_COLLECTIONS = 2**31 - 1  # the largest threshold gc.set_threshold takes (a C int)

_lock = threading.Lock()
_depth = 0  # pauses currently active in this process
_saved: tuple[int, ...] = ()  # the thresholds when the first of them began


@contextmanager
def gc_paused() -> Iterator[None]:
    """Hold the collector's full collections off for the duration of the block (nestable, thread-safe)."""
    global _depth, _saved
    with _lock:
        if _depth == 0:
            _saved = gc.get_threshold()
            gc.set_threshold(_saved[0], _saved[1], NO_FULL_COLLECTIONS)
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                gc.set_threshold(*_saved)


def pause_depth() -> int:
    """How many pauses are active (0 when the thresholds are their owner's)."""
    return _depth


def _reset_in_child() -> None:
    # The forking thread may not be the one that paused, and the threads that did are gone in the child.
    global _lock, _depth
    _lock = threading.Lock()
    if _depth:
        gc.set_threshold(*_saved)
    _depth = 0


if hasattr(os, 'register_at_fork'):
    os.register_at_fork(after_in_child=_reset_in_child)
