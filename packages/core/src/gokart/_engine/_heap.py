"""heap_frozen(): what discovery built, kept out of the collector's full collections while tasks run.

Discovery leaves every task, node and id of the graph alive until the build ends. Each full collection of
the run phase would traverse all of them again and free none (about 5 % of a cold build of trivial tasks),
so the run begins with gc.freeze(): the objects alive then move to the permanent generation, which the
collector skips, and go back to the oldest generation (gc.unfreeze) when the build ends. What run() allocates
is collected as before. The cost is that a garbage cycle among objects older than the run is freed only
after the build.

The freeze is process-wide while builds can run in several threads: counted under a lock, the first to
begin freezes and the last to end unfreezes. A forked child keeps the frozen heap (no copy-on-write from
the collector touching it) and starts with no freeze of its own.
"""

from __future__ import annotations

import gc
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ['freeze_depth', 'heap_frozen']

_lock = threading.Lock()
_depth = 0


@contextmanager
def heap_frozen() -> Iterator[None]:
    global _depth
    with _lock:
        if _depth == 0:
            gc.freeze()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                gc.unfreeze()


def freeze_depth() -> int:
    return _depth


def _reset_in_child() -> None:
    global _lock, _depth
    _lock = threading.Lock()
    _depth = 0  # the parent's freeze ends in the parent; the child's objects stay frozen until it exits


if hasattr(os, 'register_at_fork'):
    os.register_at_fork(after_in_child=_reset_in_child)
