# cython: language_level=3, boundscheck=False, wraparound=False
"""Compiled twin of _batch_py: the same files and errors, with one GIL release for the whole batch.

The open/write/close/rename calls of all entries run in one `nogil` loop; the GIL is taken back only at
the end, or at the first failure, which is then reported exactly as the pure twin reports it (a missing
directory is created in Python and the batch goes on from that entry).
"""

import os

from libc.errno cimport EINTR, ENOENT, errno
from libc.stdlib cimport free, malloc

cdef extern from "Python.h":
    bytes PyUnicode_EncodeFSDefault(object)

cdef extern from "<fcntl.h>" nogil:
    int open(const char *path, int flags, int mode)
    int O_WRONLY
    int O_CREAT
    int O_TRUNC
    int O_CLOEXEC

cdef extern from "<unistd.h>" nogil:
    ssize_t write(int fd, const void *buf, size_t count)
    int close(int fd)
    int unlink(const char *path)

cdef extern from "<stdio.h>" nogil:
    int rename(const char *old, const char *new)

__all__ = ('write_files',)

cdef enum Stage:
    DONE = 0
    OPEN = 1
    WRITE = 2
    CLOSE = 3
    RENAME = 4
    RENAME_ONLY = 5

cdef struct Entry:
    const char *temporary
    const char *destination
    const char *data  # NULL: written already
    Py_ssize_t size
    bint move  # rename temporary over destination


cdef Stage _run(Entry *entries, Py_ssize_t start, Py_ssize_t count, Py_ssize_t *failed, int *error) noexcept nogil:
    cdef Py_ssize_t i, left
    cdef ssize_t written
    cdef const char *p
    cdef int fd
    cdef int flags = O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC
    for i in range(start, count):
        failed[0] = i
        if entries[i].data == NULL:
            if entries[i].move and rename(entries[i].temporary, entries[i].destination) != 0:
                error[0] = errno
                return RENAME_ONLY
            continue
        fd = open(entries[i].temporary, flags, 0o666)
        if fd < 0:
            error[0] = errno
            return OPEN
        p = entries[i].data
        left = entries[i].size
        while left > 0:
            written = write(fd, p, left)
            if written < 0:
                if errno == EINTR:
                    continue
                error[0] = errno
                close(fd)
                return WRITE
            p += written
            left -= written
        if close(fd) != 0:
            error[0] = errno
            return CLOSE
        if entries[i].move and rename(entries[i].temporary, entries[i].destination) != 0:
            error[0] = errno
            return RENAME
    return DONE


cdef bytes _encoded(object name):
    """os.fsencode without its Python frames (str is the common case)."""
    if type(name) is str:
        return PyUnicode_EncodeFSDefault(name)
    return os.fsencode(name)


def write_files(entries):
    """Write and rename each (temporary, destination, data, rename) in order; see _batch_py."""
    cdef list items = list(entries)
    cdef Py_ssize_t count = len(items), i, start = 0, failed = 0, retried = -1
    cdef int error = 0
    cdef Stage stage
    cdef list held = []  # the encoded paths and bytes the C entries point into
    cdef bytes temporary, destination, data
    cdef Entry *table = <Entry *>malloc(max(count, 1) * sizeof(Entry))
    if table == NULL:
        raise MemoryError()
    try:
        for i in range(count):
            temporary_name, destination_name, payload, renamed = items[i]
            temporary = _encoded(temporary_name)
            destination = _encoded(destination_name)
            held.append(temporary)
            held.append(destination)
            table[i].temporary = temporary
            table[i].destination = destination
            table[i].move = bool(renamed)
            if payload is None:
                table[i].data = NULL
                table[i].size = 0
            else:
                data = payload if type(payload) is bytes else bytes(memoryview(payload))
                held.append(data)
                table[i].data = data
                table[i].size = len(data)
        while True:
            with nogil:
                stage = _run(table, start, count, &failed, &error)
            if stage == DONE:
                return None
            temporary_name, destination_name, _, _ = items[failed]
            if stage == OPEN and error == ENOENT and retried != failed:
                os.makedirs(os.path.dirname(temporary_name) or '.', exist_ok=True)
                retried = start = failed
                continue
            message = os.strerror(error)
            if stage == OPEN:
                raise OSError(error, message, temporary_name)
            if stage == RENAME_ONLY:
                raise OSError(error, message, temporary_name, None, destination_name)
            unlink(table[failed].temporary)
            if stage == RENAME:
                raise OSError(error, message, temporary_name, None, destination_name)
            raise OSError(error, message, destination_name)
    finally:
        free(table)
