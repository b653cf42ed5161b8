"""gc_paused(): the cyclic garbage collector held off while a large object graph is built.

Unpickling creates containers one after another and keeps them all, so every young collection finds
them alive and the older generations are traversed again and again: loading a million-entry dict spends
most of its time in the collector. A load creates no garbage cycles of its own that would have to be
found meanwhile, so pausing the collector leaves the loaded value unchanged.

The collector's switch is process-global while loads can run in several threads at once, so pauses are
counted under a lock: the first pause remembers whether the collector was on and turns it off, the last
one to end turns it back on only if it was on before. An exception ends a pause like a return does. A
child forked while a pause is active starts with no pause held and the collector as it was before.
"""

from __future__ import annotations

import gc
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ('gc_paused', 'pause_depth')

_lock = threading.Lock()
_depth = 0  # pauses currently active in this process
_was_enabled = False  # the collector's state when the first of them began


@contextmanager
def gc_paused() -> Iterator[None]:
    """Hold the cyclic collector off for the duration of the block (nestable, thread-safe)."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()


def pause_depth() -> int:
    """How many pauses are active (0 when the collector is as its owner left it)."""
    return _depth


def _reset_in_child() -> None:
    # The forking thread may not be the one that paused, and the threads that did are gone in the child.
    global _lock, _depth
    _lock = threading.Lock()
    if _depth and _was_enabled:
        gc.enable()
    _depth = 0


if hasattr(os, 'register_at_fork'):
    os.register_at_fork(after_in_child=_reset_in_child)
