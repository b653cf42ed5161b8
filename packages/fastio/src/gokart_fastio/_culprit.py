"""After a failed dump, find which part of the object failed: a bounded walk, so the error names a path."""

from __future__ import annotations

from collections.abc import Callable, Iterator

__all__ = ('find_culprit',)

MAX_PROBES = 2000  # serialization attempts on sub-objects; the walk stops quietly beyond this


def _children(obj: object) -> Iterator[tuple[str, object]]:
    if isinstance(obj, dict):
        for key, value in obj.items():
            yield f'[{key!r}]', value
    elif isinstance(obj, (list, tuple)):
        for index, value in enumerate(obj):
            yield f'[{index}]', value
    else:
        attrs = getattr(obj, '__dict__', None)
        if isinstance(attrs, dict):
            for name, value in attrs.items():
                yield f'.{name}', value


def find_culprit(obj: object, error: BaseException, attempt: Callable[[object], object]) -> tuple[str, BaseException]:
    """(path, error of the deepest failing part): descend into the first child that fails ``attempt``
    until no child of the current object fails on its own."""
    path, probes, on_path = 'obj', 0, {id(obj)}
    while True:
        for label, child in _children(obj):
            if id(child) in on_path:  # a cycle back up the path explains nothing new
                continue
            probes += 1
            if probes > MAX_PROBES:
                return path, error
            try:
                attempt(child)
            except Exception as exc:  # noqa: BLE001 - any failure marks the child as the culprit
                obj, error, path = child, exc, path + label
                on_path.add(id(child))
                break
        else:
            return path, error
