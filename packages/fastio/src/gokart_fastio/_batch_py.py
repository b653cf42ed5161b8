"""Pure-Python twin of the batch writer: same names, signature, files and errors as _batch_c.

write_files(entries) commits the files of one task run in order. Each entry is (temporary, destination,
data, rename): data (bytes, or None for a file written already) is written to temporary (created,
truncated; a missing directory is created, only when the open says it is missing), then, if rename,
temporary is renamed over destination. The first failure stops the batch: what came before it is done,
the failing entry's temporary file is removed if this call created it, and its OSError is raised: the
open's names the temporary file, a failed write or close names destination, a failed rename both.
"""

from __future__ import annotations

import os

__all__ = ('write_files',)

_CREATE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, 'O_CLOEXEC', 0)


def _remove(path: str) -> None:
    try:
        os.remove(path)
    except OSError:
        pass


def _write(temporary: str, destination: str, data: bytes, rename: bool) -> None:
    try:
        fd = os.open(temporary, _CREATE, 0o666)
    except FileNotFoundError:
        os.makedirs(os.path.dirname(temporary) or '.', exist_ok=True)
        fd = os.open(temporary, _CREATE, 0o666)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
    except BaseException as error:
        _remove(temporary)
        if isinstance(error, OSError) and error.filename is None:
            error.filename = destination
        raise
    if not rename:
        return
    try:
        os.replace(temporary, destination)
    except BaseException:
        _remove(temporary)
        raise


def write_files(entries: list[tuple[str, str, bytes | None, bool]]) -> None:
    """Write and rename each (temporary, destination, data, rename) in order; see the module docstring."""
    for temporary, destination, data, rename in entries:
        if data is not None:
            _write(temporary, destination, data, rename)
        elif rename:
            os.replace(temporary, destination)
