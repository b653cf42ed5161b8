"""The two errors of dump/load. Each subclasses the pickle error and the builtin error callers already catch."""

from __future__ import annotations

import pickle

__all__ = ('DumpError', 'LoadError')


class DumpError(pickle.PicklingError, TypeError):
    """An object could not be serialized. ``path`` is where in the object the failure was found
    (e.g. ``obj['a'][2].lock``); the original exception is ``__cause__``.

    A TypeError because that is what pickle itself raises for unpicklable objects such as locks, so
    existing ``except TypeError`` handlers keep working.
    """

    def __init__(self, message: str, path: str | None = None) -> None:
        super().__init__(message)
        self.path = path


class LoadError(pickle.UnpicklingError, ValueError):
    """A payload could not be decoded (truncated, corrupt, or referring to code that is gone).
    ``path`` is the file when known; the original exception is ``__cause__``."""

    def __init__(self, message: str, path: str | None = None) -> None:
        super().__init__(message)
        self.path = path
