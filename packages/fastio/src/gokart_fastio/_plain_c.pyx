# cython: language_level=3, boundscheck=False, wraparound=False, annotation_typing=False
"""Compiled twin of _plain_py: the same pickle bytes, written without touching most objects' ids.

A str, bytes or container object whose reference count is 1 is held only by the container slot we
reached it through, so it cannot appear twice in the tree: only objects with more references go into
the identity table (a C open-addressing table keyed by address). Both passes run without calling Python
code, except for ints beyond 64 bits and strings holding lone surrogates; the writing pass checks every
type again, so a tree changed in between is refused or written as it is then, never misread.
"""

from cpython.bytes cimport PyBytes_FromStringAndSize
from cpython.dict cimport PyDict_Next
from cpython.exc cimport PyErr_Clear
from cpython.object cimport PyObject, PyTypeObject
from cpython.ref cimport _Py_REFCNT
from libc.stdint cimport int64_t, uint64_t
from libc.stdlib cimport calloc, free, realloc
from libc.string cimport memcpy, memmove

from ._plain_py import encode_long

cdef extern from "Python.h":
    PyTypeObject* Py_TYPE_PTR "Py_TYPE" (PyObject* o)
    PyObject* PyList_GET_ITEM(object, Py_ssize_t)
    Py_ssize_t PyList_GET_SIZE(object)
    PyObject* PyTuple_GET_ITEM(object, Py_ssize_t)
    Py_ssize_t PyTuple_GET_SIZE(object)
    Py_ssize_t PyDict_Size(object)
    const char* PyUnicode_AsUTF8AndSize(PyObject*, Py_ssize_t*)
    char* PyBytes_AS_STRING(PyObject*)
    Py_ssize_t PyBytes_GET_SIZE(PyObject*)
    long long PyLong_AsLongLongAndOverflow(PyObject*, int*)
    double PyFloat_AS_DOUBLE(PyObject*)
    PyObject* Py_True

__all__ = ('FRAME_TARGET', 'MAX_DEPTH', 'plain_dumps')

MAX_DEPTH = 100
FRAME_TARGET = 1 << 16

cdef enum:
    C_MAX_DEPTH = 100
    C_FRAME_TARGET = 1 << 16
    BATCH = 1000
    HEADER = 9  # FRAME opcode + 8-byte length

cdef PyTypeObject* T_STR = <PyTypeObject*>str
cdef PyTypeObject* T_BYTES = <PyTypeObject*>bytes
cdef PyTypeObject* T_INT = <PyTypeObject*>int
cdef PyTypeObject* T_FLOAT = <PyTypeObject*>float
cdef PyTypeObject* T_BOOL = <PyTypeObject*>bool
cdef PyTypeObject* T_DICT = <PyTypeObject*>dict
cdef PyTypeObject* T_LIST = <PyTypeObject*>list
cdef PyTypeObject* T_TUPLE = <PyTypeObject*>tuple
cdef PyObject* NONE = <PyObject*>None


cdef class _Table:
    """Address -> Py_ssize_t, linear probing; 0 is the empty key (no object lives at address 0)."""

    cdef size_t* keys
    cdef Py_ssize_t* values
    cdef size_t mask
    cdef size_t used

    def __cinit__(self):
        self.mask = 1023
        self.used = 0
        self.keys = <size_t*>calloc(self.mask + 1, sizeof(size_t))
        self.values = <Py_ssize_t*>calloc(self.mask + 1, sizeof(Py_ssize_t))
        if self.keys == NULL or self.values == NULL:
            raise MemoryError()

    def __dealloc__(self):
        free(self.keys)
        free(self.values)

    cdef inline size_t slot(self, size_t key) noexcept:
        cdef size_t i = ((key >> 4) ^ (key >> 21)) & self.mask
        while self.keys[i] != 0 and self.keys[i] != key:
            i = (i + 1) & self.mask
        return i

    cdef Py_ssize_t* get(self, size_t key) noexcept:
        cdef size_t i = self.slot(key)
        return &self.values[i] if self.keys[i] == key else NULL

    cdef int add(self, size_t key, Py_ssize_t value) except -1:
        cdef size_t i
        if (self.used + 1) * 2 > self.mask:
            self.grow()
        i = self.slot(key)
        self.keys[i] = key
        self.values[i] = value
        self.used += 1
        return 0

    cdef int grow(self) except -1:
        cdef size_t* old_keys = self.keys
        cdef Py_ssize_t* old_values = self.values
        cdef size_t old_size = self.mask + 1, i, j
        cdef size_t size = old_size * 2
        self.keys = <size_t*>calloc(size, sizeof(size_t))
        self.values = <Py_ssize_t*>calloc(size, sizeof(Py_ssize_t))
        if self.keys == NULL or self.values == NULL:
            free(self.keys)
            free(self.values)
            self.keys, self.values = old_keys, old_values
            raise MemoryError()
        self.mask = size - 1
        for i in range(old_size):
            if old_keys[i] != 0:
                j = self.slot(old_keys[i])
                self.keys[j] = old_keys[i]
                self.values[j] = old_values[i]
        free(old_keys)
        free(old_values)
        return 0


cdef inline bint is_atom(PyObject* o, PyTypeObject* t) noexcept:
    return t == T_INT or t == T_FLOAT or t == T_BOOL or o == NONE


cdef int count(PyObject* o, _Table table, int depth) except -1:
    """1 when the tree is plain (repeated str/bytes counted in table), 0 when it must be refused."""
    cdef PyTypeObject* t = Py_TYPE_PTR(o)
    cdef Py_ssize_t i, pos = 0
    cdef Py_ssize_t* seen
    cdef PyObject* key
    cdef PyObject* value
    if is_atom(o, t):
        return 1
    if t == T_STR or t == T_BYTES:
        if _Py_REFCNT(o) > 1:
            seen = table.get(<size_t>o)
            if seen == NULL:
                table.add(<size_t>o, 1)
            else:
                seen[0] += 1
        return 1
    if t != T_DICT and t != T_LIST and t != T_TUPLE:
        return 0
    if t == T_TUPLE and PyTuple_GET_SIZE(<object>o) == 0:  # the empty tuple is a singleton pickle never memoizes
        return 1
    if depth >= C_MAX_DEPTH:
        return 0
    if _Py_REFCNT(o) > 1:
        if table.get(<size_t>o) != NULL:
            return 0
        table.add(<size_t>o, 0)
    if t == T_DICT:
        while PyDict_Next(<object>o, &pos, &key, &value):
            if not count(key, table, depth + 1) or not count(value, table, depth + 1):
                return 0
    elif t == T_LIST:
        i = 0
        while i < PyList_GET_SIZE(<object>o):
            if not count(PyList_GET_ITEM(<object>o, i), table, depth + 1):
                return 0
            i += 1
    else:
        for i in range(PyTuple_GET_SIZE(<object>o)):
            if not count(PyTuple_GET_ITEM(<object>o, i), table, depth + 1):
                return 0
    return 1


cdef class _Writer:
    cdef char* buf
    cdef Py_ssize_t size
    cdef Py_ssize_t capacity
    cdef Py_ssize_t frame_start
    cdef Py_ssize_t memo_size
    cdef _Table table

    def __cinit__(self, _Table table):
        self.table = table
        self.capacity = 1 << 16
        self.buf = <char*>realloc(NULL, self.capacity)
        if self.buf == NULL:
            raise MemoryError()
        self.size = 0
        self.memo_size = 0

    def __dealloc__(self):
        free(self.buf)

    cdef inline int reserve(self, Py_ssize_t extra) except -1:
        cdef Py_ssize_t capacity = self.capacity
        cdef char* grown
        if self.size + extra <= capacity:
            return 0
        while capacity < self.size + extra:
            capacity *= 2
        grown = <char*>realloc(self.buf, capacity)
        if grown == NULL:
            raise MemoryError()
        self.buf = grown
        self.capacity = capacity
        return 0

    cdef inline int byte(self, unsigned char b) except -1:
        self.reserve(1)
        self.buf[self.size] = <char>b
        self.size += 1
        return 0

    cdef inline int op_le(self, unsigned char op, uint64_t value, int width) except -1:
        cdef int k
        self.reserve(1 + width)
        self.buf[self.size] = <char>op
        for k in range(width):
            self.buf[self.size + 1 + k] = <char>((value >> (8 * k)) & 0xFF)
        self.size += 1 + width
        return 0

    cdef inline int raw(self, const char* data, Py_ssize_t n) except -1:
        self.reserve(n)
        memcpy(self.buf + self.size, data, n)
        self.size += n
        return 0

    cdef int open_frame(self) except -1:
        self.reserve(HEADER)
        self.frame_start = self.size
        self.size += HEADER
        return 0

    cdef int commit_frame(self) except -1:
        cdef Py_ssize_t length = self.size - self.frame_start - HEADER
        cdef int k
        cdef char* header = self.buf + self.frame_start
        if length >= 4:
            header[0] = <char>0x95
            for k in range(8):
                header[1 + k] = <char>((<uint64_t>length >> (8 * k)) & 0xFF)
        else:  # pickle writes tiny frames without a header
            memmove(header, header + HEADER, length)
            self.size -= HEADER
        return 0

    cdef int sized(self, unsigned char short_op, unsigned char long_op, unsigned char huge_op,
                   const char* data, Py_ssize_t n) except -1:
        if n >= C_FRAME_TARGET:  # large payloads go between frames, as pickle writes them
            self.commit_frame()
        if n < 256:
            self.op_le(short_op, <uint64_t>n, 1)
        elif <uint64_t>n <= 0xFFFFFFFFULL:
            self.op_le(long_op, <uint64_t>n, 4)
        else:
            self.op_le(huge_op, <uint64_t>n, 8)
        self.raw(data, n)
        if n >= C_FRAME_TARGET:
            self.open_frame()
        return 0

    cdef int text(self, PyObject* o, PyTypeObject* t) except -1:
        cdef Py_ssize_t* state = NULL
        cdef Py_ssize_t n
        cdef const char* data
        cdef Py_ssize_t index
        if _Py_REFCNT(o) > 1:
            state = self.table.get(<size_t>o)
            if state != NULL and state[0] < 0:  # written before: fetch it from the memo
                index = -state[0] - 1
                if index < 256:
                    self.op_le(b'h', <uint64_t>index, 1)
                else:
                    self.op_le(b'j', <uint64_t>index, 4)
                return 0
        if t == T_STR:
            data = PyUnicode_AsUTF8AndSize(o, &n)
            if data != NULL:
                self.sized(0x8C, b'X', 0x8D, data, n)
            else:  # lone surrogates: pickle writes them with surrogatepass
                PyErr_Clear()
                encoded = (<object>o).encode('utf-8', 'surrogatepass')
                self.sized(0x8C, b'X', 0x8D, PyBytes_AS_STRING(<PyObject*>encoded), PyBytes_GET_SIZE(<PyObject*>encoded))
        else:
            self.sized(b'C', b'B', 0x8E, PyBytes_AS_STRING(o), PyBytes_GET_SIZE(o))
        if state != NULL and state[0] > 1:
            state[0] = -(self.memo_size + 1)
            self.memo_size += 1
            self.byte(0x94)  # MEMOIZE
        return 0

    cdef int integer(self, PyObject* o) except -1:
        cdef int overflow = 0
        cdef long long v = PyLong_AsLongLongAndOverflow(o, &overflow)
        cdef unsigned char le[8]
        cdef uint64_t bits
        cdef int n, k
        if overflow:
            data = encode_long(<object>o)
            if len(data) < 256:
                self.op_le(0x8A, <uint64_t>len(data), 1)
            else:
                self.op_le(0x8B, <uint64_t>len(data), 4)
            self.raw(<bytes>data, len(data))
            return 0
        if 0 <= v < 0x100:
            self.op_le(b'K', <uint64_t>v, 1)
        elif 0 <= v < 0x10000:
            self.op_le(b'M', <uint64_t>v, 2)
        elif -0x80000000 <= v < 0x80000000:
            self.op_le(b'J', <uint64_t><int64_t>v, 4)
        else:  # LONG1 with the shortest two's complement, as pickle's encode_long
            bits = <uint64_t><int64_t>v
            for k in range(8):
                le[k] = (bits >> (8 * k)) & 0xFF
            n = 8
            while n > 1 and ((le[n - 1] == 0 and not (le[n - 2] & 0x80)) or (le[n - 1] == 0xFF and (le[n - 2] & 0x80))):
                n -= 1
            self.op_le(0x8A, <uint64_t>n, 1)
            self.raw(<const char*>le, n)
        return 0

    cdef int floating(self, PyObject* o) except -1:
        cdef double d = PyFloat_AS_DOUBLE(o)
        cdef uint64_t bits
        cdef int k
        memcpy(&bits, &d, 8)
        self.reserve(9)
        self.buf[self.size] = b'G'
        for k in range(8):
            self.buf[self.size + 1 + k] = <char>((bits >> (8 * (7 - k))) & 0xFF)
        self.size += 9
        return 0

    cdef int save(self, PyObject* o, int depth) except -1:
        """0 when written, 1 when o turned out not to be plain (the caller gives up)."""
        cdef PyTypeObject* t = Py_TYPE_PTR(o)
        cdef Py_ssize_t n, i, pos, batch
        cdef PyObject* key
        cdef PyObject* value
        if self.size - self.frame_start - HEADER >= C_FRAME_TARGET:
            self.commit_frame()
            self.open_frame()
        if o == NONE:
            return self.byte(b'N')
        if t == T_BOOL:
            return self.byte(0x88 if o == Py_True else 0x89)
        if t == T_INT:
            return self.integer(o)
        if t == T_FLOAT:
            return self.floating(o)
        if t == T_STR or t == T_BYTES:
            return self.text(o, t)
        if t == T_TUPLE and PyTuple_GET_SIZE(<object>o) == 0:
            return self.byte(b')')
        if depth >= C_MAX_DEPTH:
            return 1
        if t == T_LIST:
            self.byte(b']')
            n = PyList_GET_SIZE(<object>o)
            if n == 1:
                if self.save(PyList_GET_ITEM(<object>o, 0), depth + 1):
                    return 1
                return self.byte(b'a')
            i = 0
            while i < PyList_GET_SIZE(<object>o):
                self.byte(b'(')
                batch = 0
                while i < PyList_GET_SIZE(<object>o) and batch < BATCH:
                    if self.save(PyList_GET_ITEM(<object>o, i), depth + 1):
                        return 1
                    i += 1
                    batch += 1
                self.byte(b'e')
            return 0
        if t == T_DICT:
            self.byte(b'}')
            n = PyDict_Size(<object>o)
            if n == 0:
                return 0
            pos = 0
            if n == 1:
                PyDict_Next(<object>o, &pos, &key, &value)
                if self.save(key, depth + 1) or self.save(value, depth + 1):
                    return 1
                return self.byte(b's')
            while True:
                self.byte(b'(')
                batch = 0
                while batch < BATCH and PyDict_Next(<object>o, &pos, &key, &value):
                    if self.save(key, depth + 1) or self.save(value, depth + 1):
                        return 1
                    batch += 1
                self.byte(b'u')
                if batch < BATCH:
                    return 0
        if t == T_TUPLE:
            n = PyTuple_GET_SIZE(<object>o)
            if n > 3:
                self.byte(b'(')
            for i in range(n):
                if self.save(PyTuple_GET_ITEM(<object>o, i), depth + 1):
                    return 1
            return self.byte(b't' if n > 3 else 0x84 + n)
        return 1


def plain_dumps(obj: object) -> bytes | None:
    """Protocol-5 pickle of obj with a string table instead of pickle's memo (see _plain_py), or None
    when obj is not a plain tree and must take the ordinary pickler."""
    cdef _Table table = _Table()
    cdef _Writer writer
    if not count(<PyObject*>obj, table, 0):
        return None
    writer = _Writer(table)
    writer.raw(b'\x80\x05', 2)
    writer.open_frame()
    if writer.save(<PyObject*>obj, 0):
        return None
    writer.byte(b'.')
    writer.commit_frame()
    return PyBytes_FromStringAndSize(writer.buf, writer.size)
