"""Pure-Python twin of the plain-tree check. Same name, signature and answers as _plain_c.

Works a container at a time with C-level builtins (map, set.update) instead of a Python step per item.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, cast

__all__ = ('MAX_DEPTH', 'is_plain_tree')

MAX_DEPTH = 100  # deeper trees take the ordinary (memo) pickling path
_ATOMS = frozenset({int, float, bool, type(None)})  # never memoized by pickle: sharing them changes nothing
_SHAREABLE = frozenset({str, bytes})  # memoized by pickle: a repeat must keep pointing at one object
_CONTAINERS = frozenset({dict, list, tuple})
_ALLOWED = _ATOMS | _SHAREABLE | _CONTAINERS


def is_plain_tree(obj: object) -> bool:
    """True when obj holds only builtin dict/list/tuple/str/bytes/int/float/bool/None (exact types), no
    container, str or bytes object twice and nothing deeper than MAX_DEPTH: then a pickler without a memo
    writes the same object graph, and much faster."""
    kind = type(obj)
    if kind in _ATOMS or kind in _SHAREABLE:
        return True
    return kind in _CONTAINERS and _walk(obj, set(), 0)


def _all_new(seen: set[int], objs: Collection[object]) -> bool:
    before = len(seen)
    seen.update(map(id, objs))
    return len(seen) == before + len(objs)


def _walk(container: object, seen: set[int], depth: int) -> bool:
    if type(container) is tuple and not container:  # the empty tuple is a singleton pickle never memoizes
        return True
    if depth >= MAX_DEPTH or not _all_new(seen, (container,)):
        return False
    # Only dict, list and tuple reach here (callers filter by _CONTAINERS).
    children: Collection[Any] = (
        [*container.keys(), *container.values()] if type(container) is dict else cast('Collection[Any]', container)
    )
    kinds = set(map(type, children))
    if not kinds <= _ALLOWED:
        return False
    if not kinds.isdisjoint(_SHAREABLE) and not _all_new(seen, [c for c in children if type(c) in _SHAREABLE]):
        return False
    if kinds.isdisjoint(_CONTAINERS):
        return True
    return all(_walk(c, seen, depth + 1) for c in children if type(c) in _CONTAINERS)
