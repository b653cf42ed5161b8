"""Errors raised while reading a cache file, re-raised with the file's path in the message."""

from __future__ import annotations

import functools


class TargetLoadError(Exception):
    """Base of every load failure re-raised by a target; the original error is the __cause__."""

    def __str__(self) -> str:
        return self._gokart_message

    def __reduce__(self):  # the dynamic subclasses below cannot be pickled by reference
        return (TargetLoadError, (self._gokart_message,))

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self._gokart_message = message


@functools.cache
def _subclass_of(error_type: type[BaseException]) -> type[TargetLoadError]:
    # inheriting the original type keeps `except UnpicklingError:` (etc.) in user code working
    return type(error_type.__name__, (TargetLoadError, error_type), {'__module__': error_type.__module__})


def load_error(path: str, error: BaseException) -> BaseException:
    message = f'failed to load {path!r}: {type(error).__name__}: {error}'
    try:
        wrapped = _subclass_of(type(error))(message)  # type: ignore[arg-type]  # classes are hashable: mypy#20409
        wrapped._gokart_message = message
        return wrapped
    except Exception:  # types that cannot be subclassed or built from one message
        return TargetLoadError(message)
