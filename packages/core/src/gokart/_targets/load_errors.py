"""Errors raised while reading a cache file, re-raised with the file's path in the message.

The re-raised error is an instance of the original's class (a dynamic subclass of it and of
``TargetLoadError``), built from the original's ``args`` and attributes: ``except EOFError:``,
``except UnicodeDecodeError:`` or ``except pyarrow.lib.ArrowInvalid:`` keep working, and fields such as
``UnicodeDecodeError.start`` or ``OSError.errno`` are kept. Only ``str()`` changes: it names the file.
"""

from __future__ import annotations

import functools
import pickle
from typing import Any


class TargetLoadError(Exception):
    """Base of every load failure re-raised by a target; the original error is the __cause__."""

    _gokart_message: str

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self._gokart_message = message

    def __str__(self) -> str:
        return self._gokart_message

    def __reduce__(self) -> Any:
        return (TargetLoadError, (self._gokart_message,))


def _reduce_wrapped(self: Any) -> Any:
    # the dynamic subclass cannot be pickled by reference: rebuild it from the original class
    original = type(self).__bases__[1]
    try:
        pickle.dumps(original)
    except Exception:
        return (TargetLoadError, (self._gokart_message,))
    return (_rebuild, (original, self.args, self._gokart_message))


@functools.cache
def _subclass_of(error_type: type[BaseException]) -> type[TargetLoadError]:
    namespace = {
        '__module__': error_type.__module__,
        '__qualname__': error_type.__qualname__,
        '__reduce__': _reduce_wrapped,
    }
    return type(error_type.__name__, (TargetLoadError, error_type), namespace)


def _rebuild(error_type: type[BaseException], args: tuple[Any, ...], message: str) -> BaseException:
    return _wrap(error_type, args, {}, message)


def _wrap(error_type: type[BaseException], args: tuple[Any, ...], state: dict[str, Any], message: str) -> BaseException:
    try:
        cls = _subclass_of(error_type)  # type: ignore[arg-type]  # classes are hashable: mypy#20409
        wrapped = cls.__new__(cls, *args)
        try:
            # the original class's own __init__ restores its fields (UnicodeDecodeError needs all five args)
            error_type.__init__(wrapped, *args)
        except Exception:
            BaseException.__init__(wrapped, *args)
        wrapped.__dict__.update(state)
        wrapped._gokart_message = message
        return wrapped
    except Exception:  # types that cannot be subclassed or rebuilt from their args
        return TargetLoadError(message)


def load_error(path: str, error: BaseException) -> BaseException:
    """An instance of ``type(error)`` whose message names ``path``; raise it ``from error``."""
    message = f'failed to load {path!r}: {type(error).__name__}: {error}'
    return _wrap(type(error), error.args, dict(getattr(error, '__dict__', {})), message)
