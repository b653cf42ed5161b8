# cython: language_level=3, boundscheck=False, wraparound=False, annotation_typing=False
"""Compiled twin of _plain_py: same answers, found without touching most objects' ids.

A str or bytes object whose reference count is 1 is held only by the container slot we reached it
through, so it cannot appear twice in the tree: only objects with more references are remembered.
"""

from cpython.dict cimport PyDict_Next
from cpython.object cimport PyObject, PyTypeObject
from cpython.ref cimport _Py_REFCNT

cdef extern from "Python.h":
    PyTypeObject* Py_TYPE_PTR "Py_TYPE" (PyObject* o)
    PyObject* PyList_GET_ITEM(object, Py_ssize_t)
    Py_ssize_t PyList_GET_SIZE(object)
    PyObject* PyTuple_GET_ITEM(object, Py_ssize_t)
    Py_ssize_t PyTuple_GET_SIZE(object)

__all__ = ('MAX_DEPTH', 'is_plain_tree')

MAX_DEPTH = 100

cdef enum:
    C_MAX_DEPTH = 100

cdef PyTypeObject* T_STR = <PyTypeObject*>str
cdef PyTypeObject* T_BYTES = <PyTypeObject*>bytes
cdef PyTypeObject* T_INT = <PyTypeObject*>int
cdef PyTypeObject* T_FLOAT = <PyTypeObject*>float
cdef PyTypeObject* T_BOOL = <PyTypeObject*>bool
cdef PyTypeObject* T_DICT = <PyTypeObject*>dict
cdef PyTypeObject* T_LIST = <PyTypeObject*>list
cdef PyTypeObject* T_TUPLE = <PyTypeObject*>tuple


cdef inline bint first_visit(PyObject* o, set seen) except -1:
    key = <size_t>o
    if key in seen:
        return False
    seen.add(key)
    return True


cdef bint walk(PyObject* o, set seen, int depth) except -1:
    cdef PyTypeObject* t = Py_TYPE_PTR(o)
    cdef Py_ssize_t i, n, pos = 0
    cdef PyObject* key
    cdef PyObject* value
    if t == T_INT or t == T_FLOAT or t == T_BOOL or o == <PyObject*>None:
        return True
    if t == T_STR or t == T_BYTES:
        return _Py_REFCNT(o) == 1 or first_visit(o, seen)
    if depth >= C_MAX_DEPTH:
        return False
    if t == T_DICT:
        if not first_visit(o, seen):
            return False
        while PyDict_Next(<object>o, &pos, &key, &value):
            if not walk(key, seen, depth + 1) or not walk(value, seen, depth + 1):
                return False
        return True
    if t == T_LIST:
        if not first_visit(o, seen):
            return False
        i = 0
        while i < PyList_GET_SIZE(<object>o):  # re-read: the size is the list's own, borrowed items stay valid
            if not walk(PyList_GET_ITEM(<object>o, i), seen, depth + 1):
                return False
            i += 1
        return True
    if t == T_TUPLE:
        n = PyTuple_GET_SIZE(<object>o)
        if n == 0:  # the empty tuple is a singleton pickle never memoizes
            return True
        if not first_visit(o, seen):
            return False
        for i in range(n):
            if not walk(PyTuple_GET_ITEM(<object>o, i), seen, depth + 1):
                return False
        return True
    return False


def is_plain_tree(obj: object) -> bool:
    """True when obj holds only builtin dict/list/tuple/str/bytes/int/float/bool/None (exact types), no
    container, str or bytes object twice and nothing deeper than MAX_DEPTH: then a pickler without a memo
    writes the same object graph, and much faster."""
    return walk(<PyObject*>obj, set(), 0)
