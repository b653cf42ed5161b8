"""gc_paused() and heap_frozen(): the collector's full collections kept off a large object graph.

gc_paused() holds full collections off while a graph is built. Unpickling creates containers one after
another and keeps them all. With the collector as configured, every full (oldest-generation) collection
traverses the whole heap again and finds nothing to free: loading 200,000 records spends half its time
there, and more when a large value is already alive (a load right after a dump). Young collections stay
on: they are cheap, and they untrack the tuples and dicts of atoms as they go (turning the collector off
altogether makes the first collection after the load traverse every new object at once, which costs more
than it saves on dicts of tuples). A load creates no garbage cycles of its own, so the loaded value is
the same. The collector's on/off switch is never touched.

heap_frozen() keeps a graph that is built and stays alive out of them (core's engine: the tasks, nodes and
ids of a build while its tasks run). gc.freeze() moves every object alive at its start to the permanent
generation, which collections skip, and gc.unfreeze() gives them back to the oldest generation at its end.
What is allocated meanwhile is collected as before; a garbage cycle among the frozen objects is freed
only after the end.

Both settings are process-global while loads and builds can run in several threads at once, so holders
are counted under a lock: the first to begin applies the setting, the last to end undoes it. An
exception ends a hold like a return does. A child forked while a pause is held starts with no pause and
the saved thresholds back; one forked while the heap is frozen keeps its frozen objects (the collector
never touches their pages: no copy-on-write) and starts with no hold of its own.
"""

from __future__ import annotations

import gc
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ('NO_FULL_COLLECTIONS', 'freeze_depth', 'gc_paused', 'heap_frozen', 'pause_depth')

NO_FULL_COLLECTIONS = 2**31 - 1  # the largest threshold gc.set_threshold takes (a C int)


class _CountedSetting:
    """A process-wide setting applied by the first of nested or concurrent holders, undone by the last."""

    def __init__(self, apply: Callable[[], None], undo: Callable[[], None]) -> None:
        self._apply, self._undo = apply, undo
        self._lock = threading.Lock()
        self.depth = 0

    @contextmanager
    def held(self) -> Iterator[None]:
        with self._lock:
            if self.depth == 0:
                self._apply()
            self.depth += 1
        try:
            yield
        finally:
            with self._lock:
                self.depth -= 1
                if self.depth == 0:
                    self._undo()

    def reset_in_child(self, undo: bool) -> None:
        # The forking thread may not be a holder, and the threads that were are gone in the child.
        self._lock = threading.Lock()
        if self.depth and undo:
            self._undo()
        self.depth = 0


_saved: tuple[int, ...] = ()  # the thresholds when the first pause began


def _pause() -> None:
    global _saved
    _saved = gc.get_threshold()
    gc.set_threshold(_saved[0], _saved[1], NO_FULL_COLLECTIONS)


def _resume() -> None:
    gc.set_threshold(*_saved)


_paused = _CountedSetting(_pause, _resume)
_frozen = _CountedSetting(gc.freeze, gc.unfreeze)


def gc_paused() -> Any:
    """Hold the collector's full collections off for the duration of the block (nestable, thread-safe)."""
    return _paused.held()


def heap_frozen() -> Any:
    """Keep the objects alive now out of collections for the duration of the block (nestable, thread-safe)."""
    return _frozen.held()


def pause_depth() -> int:
    """How many pauses are active (0 when the thresholds are their owner's)."""
    return _paused.depth


def freeze_depth() -> int:
    """How many holders keep the heap frozen."""
    return _frozen.depth


def _reset_in_child() -> None:
    _paused.reset_in_child(undo=True)
    _frozen.reset_in_child(undo=False)


if hasattr(os, 'register_at_fork'):
    os.register_at_fork(after_in_child=_reset_in_child)
