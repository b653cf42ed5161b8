"""os.path.join / split / splitext / basename for str paths on POSIX, in one call each.

A task's default target joins and splits its path five times, each a chain of Python-level calls in
posixpath; these give the same results (the same code, specialised to str and '/'). Anything else (bytes,
path-like objects, another os.path) goes to os.path itself, with its results and errors.
"""

from __future__ import annotations

import os
import posixpath
from typing import Any

__all__ = ['basename', 'join', 'split', 'splitext']

_POSIX = os.path is posixpath


def join(head: Any, tail: Any) -> Any:
    if not _POSIX or type(head) is not str or type(tail) is not str:
        return os.path.join(head, tail)
    if tail.startswith('/'):
        return tail
    if not head or head.endswith('/'):
        return head + tail
    return head + '/' + tail


def split(path: Any) -> Any:
    if _POSIX and type(path) is str:
        at = path.rfind('/')
        if at > 0 and path[at - 1] != '/':  # a head ending in slashes, or the root, is os.path.split's to trim
            return path[:at], path[at + 1 :]
    return os.path.split(path)


def splitext(path: Any) -> Any:
    if not _POSIX or type(path) is not str:
        return os.path.splitext(path)
    sep_index = path.rfind('/')
    dot_index = path.rfind('.')
    if dot_index > sep_index:
        # leading dots of a name (".bashrc", "..pkl") are part of the name, not an extension
        name_index = sep_index + 1
        while name_index < dot_index:
            if path[name_index] != '.':
                return path[:dot_index], path[dot_index:]
            name_index += 1
    return path, ''


def basename(path: Any) -> Any:
    if not _POSIX or type(path) is not str:
        return os.path.basename(path)
    return path[path.rfind('/') + 1 :]
