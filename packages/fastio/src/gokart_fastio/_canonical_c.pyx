# cython: language_level=3, boundscheck=False, wraparound=False, annotation_typing=False
"""Compiled twin of _canonical_py: same names, signatures, bytes and errors (tests/fastio/test_parity.py)."""

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from hashlib import md5
from operator import itemgetter

from cpython.bytes cimport PyBytes_FromStringAndSize
from cpython.long cimport PyLong_AsLongLongAndOverflow, PyLong_AsUnsignedLongLong
from cpython.mem cimport PyMem_Free, PyMem_Malloc, PyMem_Realloc
from cpython.unicode cimport PyUnicode_AsUTF8AndSize, PyUnicode_DecodeASCII
from libc.math cimport isinf, isnan
from libc.stdint cimport uint64_t
from libc.stdio cimport snprintf
from libc.string cimport memcpy, strlen

from xxhash import xxh3_128_hexdigest

from . import _canonical_py as _py
from . import _exttypes as ext

cdef extern from "Python.h":
    char* PyOS_double_to_string(double val, char format_code, int precision, int flags, int *type) except NULL
    int Py_DTSF_ADD_DOT_0

__all__ = (
    'CANONICAL_VERSION',
    'MAX_DEPTH',
    'canonical_bytes',
    'legacy_canonical',
    'legacy_id',
    'serialize_json',
    'xxh3_hex',
    'xxh3_id',
)

CANONICAL_VERSION = 1
MAX_DEPTH = 200

cdef enum:
    C_MAX_DEPTH = 200
    JSON_NATIVE_DEPTH = 64  # deeper values go to the pure twin, which reproduces json's own errors

cdef object _first = itemgetter(0)
cdef const char* HEX = b'0123456789abcdef'


# --- a growable byte buffer ----------------------------------------------------------------------------------

cdef struct Buf:
    char* data
    Py_ssize_t size
    Py_ssize_t cap


cdef int buf_init(Buf* b, Py_ssize_t cap) except -1:
    b.data = <char*>PyMem_Malloc(cap)
    if b.data == NULL:
        raise MemoryError()
    b.size = 0
    b.cap = cap
    return 0


cdef int buf_grow(Buf* b, Py_ssize_t extra) except -1:
    cdef Py_ssize_t cap = b.cap * 2
    if cap < b.size + extra:
        cap = b.size + extra
    cdef char* p = <char*>PyMem_Realloc(b.data, cap)
    if p == NULL:
        raise MemoryError()
    b.data = p
    b.cap = cap
    return 0


cdef inline int buf_put(Buf* b, const char* s, Py_ssize_t n) except -1:
    if b.size + n > b.cap:
        buf_grow(b, n)
    memcpy(b.data + b.size, s, n)
    b.size += n
    return 0


cdef inline int buf_byte(Buf* b, unsigned char c) except -1:
    if b.size + 1 > b.cap:
        buf_grow(b, 1)
    b.data[b.size] = <char>c
    b.size += 1
    return 0


cdef inline int buf_be(Buf* b, unsigned char marker, uint64_t v, int nbytes) except -1:
    """marker, then v big-endian in nbytes bytes."""
    cdef int i
    if b.size + 1 + nbytes > b.cap:
        buf_grow(b, 1 + nbytes)
    b.data[b.size] = <char>marker
    for i in range(nbytes):
        b.data[b.size + 1 + i] = <char>((v >> (8 * (nbytes - 1 - i))) & 0xFF)
    b.size += 1 + nbytes
    return 0


# --- gokart 1.12.2 unique ids ----------------------------------------------------------------------------------

cdef int check_deps(object deps) except -1:
    cdef Py_ssize_t i
    if not isinstance(deps, list):
        raise TypeError(f'deps must be a list, not {type(deps).__name__}')
    for i in range(len(<list>deps)):
        item = (<list>deps)[i]
        if isinstance(item, str):
            continue
        if not isinstance(item, dict):
            raise TypeError(f'deps[{i}] must be str or dict[str, str], not {type(item).__name__}')
        for key, value in (<dict>item).items():
            if not isinstance(key, str):
                raise TypeError(f'deps[{i}] has a key of type {type(key).__name__}: {key!r}; keys must be str')
            if not isinstance(value, str):
                raise TypeError(f'deps[{i}][{key!r}] must be str, not {type(value).__name__}')
    return 0


def legacy_canonical(deps: list) -> str:
    """The exact text gokart 1.12.2 hashes: Python's repr of the list of dependency ids and param dicts."""
    check_deps(deps)
    return str(deps)


def legacy_id(deps: list) -> str:
    """md5 hex of legacy_canonical(deps): the unique id that names gokart's cache files."""
    check_deps(deps)
    return md5(str(deps).encode('utf-8')).hexdigest()


# --- json.dumps for luigi's List/Tuple/DictParameter -------------------------------------------------------

cdef int js_hex4(Buf* b, unsigned int c) except -1:
    cdef char out[6]
    out[0] = b'\\'
    out[1] = b'u'
    out[2] = HEX[(c >> 12) & 0xF]
    out[3] = HEX[(c >> 8) & 0xF]
    out[4] = HEX[(c >> 4) & 0xF]
    out[5] = HEX[c & 0xF]
    return buf_put(b, out, 6)


cdef int js_str(Buf* b, str s) except -1:
    """json's ensure_ascii escaping: printable ASCII stays, the rest becomes \\uXXXX (surrogate pairs above the BMP)."""
    cdef Py_UCS4 ch
    cdef unsigned int c, v
    buf_byte(b, b'"')
    for ch in s:
        c = <unsigned int>ch  # Py_UCS4 arithmetic would go through Python str objects
        if 0x20 <= c <= 0x7E and c != 0x22 and c != 0x5C:
            buf_byte(b, <unsigned char>c)
        elif c == 0x22:
            buf_put(b, b'\\"', 2)
        elif c == 0x5C:
            buf_put(b, b'\\\\', 2)
        elif c == 0x0A:
            buf_put(b, b'\\n', 2)
        elif c == 0x0D:
            buf_put(b, b'\\r', 2)
        elif c == 0x09:
            buf_put(b, b'\\t', 2)
        elif c == 0x08:
            buf_put(b, b'\\b', 2)
        elif c == 0x0C:
            buf_put(b, b'\\f', 2)
        elif c >= 0x10000:
            v = c - 0x10000
            js_hex4(b, 0xD800 | (v >> 10))
            js_hex4(b, 0xDC00 | (v & 0x3FF))
        else:
            js_hex4(b, c)
    return buf_byte(b, b'"')


cdef int js_ascii(Buf* b, str s) except -1:
    cdef Py_ssize_t n
    cdef const char* p = PyUnicode_AsUTF8AndSize(s, &n)
    return buf_put(b, p, n)


cdef int js(Buf* b, object o, int depth) except -1:
    """Append json.dumps(o) for plain builtins; return 1 (nothing usable) for anything else."""
    cdef type t = type(o)
    cdef int overflow = 0
    cdef long long v
    cdef double d
    cdef char num[32]
    cdef char* rep
    cdef bint first = True
    if t is str:
        return js_str(b, <str>o)
    if o is None:
        return buf_put(b, b'null', 4)
    if o is True:
        return buf_put(b, b'true', 4)
    if o is False:
        return buf_put(b, b'false', 5)
    if t is int:
        v = PyLong_AsLongLongAndOverflow(o, &overflow)
        if overflow:
            return js_ascii(b, int.__repr__(o))
        return buf_put(b, num, snprintf(num, 32, b'%lld', v))
    if t is float:
        d = <double>o
        if isnan(d):
            return buf_put(b, b'NaN', 3)
        if isinf(d):
            return buf_put(b, b'Infinity', 8) if d > 0 else buf_put(b, b'-Infinity', 9)
        rep = PyOS_double_to_string(d, b'r', 0, Py_DTSF_ADD_DOT_0, NULL)
        try:
            buf_put(b, rep, strlen(rep))
        finally:
            PyMem_Free(rep)
        return 0
    if t is list or t is tuple:
        if depth >= JSON_NATIVE_DEPTH:
            return 1
        buf_byte(b, b'[')
        for item in o:
            if not first:
                buf_put(b, b', ', 2)
            first = False
            if js(b, item, depth + 1):
                return 1
        return buf_byte(b, b']')
    if t is dict or isinstance(o, Mapping):
        # Mappings (luigi's FrozenOrderedDict) encode like the dict of their items, in iteration order.
        if depth >= JSON_NATIVE_DEPTH:
            return 1
        buf_byte(b, b'{')
        for key, value in o.items():
            if type(key) is not str:  # json's key coercions (int, float, bool, None) stay with json
                return 1
            if not first:
                buf_put(b, b', ', 2)
            first = False
            js_str(b, <str>key)
            buf_put(b, b': ', 2)
            if js(b, value, depth + 1):
                return 1
        return buf_byte(b, b'}')
    return 1


def serialize_json(value: object) -> str:
    """json.dumps(value) (luigi's List/Tuple/DictParameter form), with any Mapping encoded as a dict."""
    cdef Buf b
    buf_init(&b, 256)
    try:
        if js(&b, value, 0) == 0:
            return PyUnicode_DecodeASCII(b.data, b.size, NULL)
    finally:
        PyMem_Free(b.data)
    return _py.serialize_json(value)


# --- canonical bytes v1 ---------------------------------------------------------------------------------------

cdef int enc_header(Buf* b, Py_ssize_t size, unsigned char fix_base, Py_ssize_t fix_max,
                    int base8, unsigned char base16) except -1:
    if size <= fix_max:
        return buf_byte(b, fix_base | <unsigned char>size)
    if base8 >= 0 and size <= 0xFF:
        return buf_be(b, <unsigned char>base8, size, 1)
    if size <= 0xFFFF:
        return buf_be(b, base16, size, 2)
    if size <= 0xFFFFFFFF:
        return buf_be(b, base16 + 1, size, 4)
    raise ValueError(f'canonical_bytes: object of size {size} is too large')


cdef int enc_ext(Buf* b, int code, bytes payload) except -1:
    cdef Py_ssize_t n = len(payload)
    if n == 1:
        buf_byte(b, 0xD4)
    elif n == 2:
        buf_byte(b, 0xD5)
    elif n == 4:
        buf_byte(b, 0xD6)
    elif n == 8:
        buf_byte(b, 0xD7)
    elif n == 16:
        buf_byte(b, 0xD8)
    elif n <= 0xFF:
        buf_be(b, 0xC7, n, 1)
    elif n <= 0xFFFF:
        buf_be(b, 0xC8, n, 2)
    else:
        buf_be(b, 0xC9, n, 4)
    buf_byte(b, <unsigned char>code)
    return buf_put(b, payload, n)


cdef int enc_int(Buf* b, object o) except -1:
    cdef int overflow = 0
    cdef long long v = PyLong_AsLongLongAndOverflow(o, &overflow)
    if overflow == 0:
        if v >= 0:
            if v <= 0x7F:
                return buf_byte(b, <unsigned char>v)
            if v <= 0xFF:
                return buf_be(b, 0xCC, v, 1)
            if v <= 0xFFFF:
                return buf_be(b, 0xCD, v, 2)
            if v <= 0xFFFFFFFF:
                return buf_be(b, 0xCE, v, 4)
            return buf_be(b, 0xCF, v, 8)
        if v >= -32:
            return buf_byte(b, <unsigned char>(v & 0xFF))
        if v >= -0x80:
            return buf_be(b, 0xD0, <uint64_t>v, 1)
        if v >= -0x8000:
            return buf_be(b, 0xD1, <uint64_t>v, 2)
        if v >= -0x80000000:
            return buf_be(b, 0xD2, <uint64_t>v, 4)
        return buf_be(b, 0xD3, <uint64_t>v, 8)
    if overflow > 0 and o <= 0xFFFFFFFFFFFFFFFF:
        return buf_be(b, 0xCF, PyLong_AsUnsignedLongLong(int(o)), 8)
    return enc_ext(b, ext.BIGINT, ext.encode_bigint(int(o)))


cdef int enc_float(Buf* b, double d) except -1:
    cdef uint64_t bits
    if isnan(d):
        return buf_put(b, b'\xcb\x7f\xf8\x00\x00\x00\x00\x00\x00', 9)
    memcpy(&bits, &d, 8)
    return buf_be(b, 0xCB, bits, 8)


cdef int enc_str(Buf* b, object o) except -1:
    cdef Py_ssize_t n
    cdef const char* p
    try:
        p = PyUnicode_AsUTF8AndSize(o, &n)
    except UnicodeEncodeError:  # lone surrogates are still strings Python can hold
        data = str.encode(o, 'utf-8', 'surrogatepass')
        enc_header(b, len(data), 0xA0, 31, 0xD9, 0xDA)
        return buf_put(b, data, len(data))
    enc_header(b, n, 0xA0, 31, 0xD9, 0xDA)
    return buf_put(b, p, n)


cdef int enter(int depth) except -1:
    if depth >= C_MAX_DEPTH:
        raise ValueError(f'canonical_bytes: containers nested deeper than {MAX_DEPTH} levels (a cycle?)')
    return 0


cdef int enc_map(Buf* b, object o, int depth) except -1:
    cdef Py_ssize_t start
    cdef list entries = []
    items = (<dict>o).items() if isinstance(o, dict) else o.items()
    for key, value in items:
        # Encode the key at the end of the buffer, copy it out for sorting, then drop it again.
        start = b.size
        enc(b, key, depth)
        entries.append((PyBytes_FromStringAndSize(b.data + start, b.size - start), value))
        b.size = start
    entries.sort(key=_first)
    enc_header(b, len(entries), 0x80, 15, -1, 0xDE)
    previous = None
    for key, value in entries:
        if key == previous:
            raise ValueError('canonical_bytes: two keys of a mapping have the same encoding')
        previous = key
        buf_put(b, <bytes>key, len(<bytes>key))
        enc(b, value, depth)
    return 0


cdef int enc(Buf* b, object o, int depth) except -1:
    cdef type t = type(o)
    if o is None:
        return buf_byte(b, 0xC0)
    if o is False:
        return buf_byte(b, 0xC2)
    if o is True:
        return buf_byte(b, 0xC3)
    if t is int or isinstance(o, int):
        return enc_int(b, o)
    if t is float or isinstance(o, float):
        return enc_float(b, <double>o)
    if t is str or isinstance(o, str):
        return enc_str(b, o)
    if isinstance(o, (bytes, bytearray)):
        enc_header(b, len(o), 0, -1, 0xC4, 0xC5)
        return buf_put(b, o, len(o))
    if t is list or t is tuple or isinstance(o, (list, tuple)):
        enter(depth)
        enc_header(b, len(o), 0x90, 15, -1, 0xDC)
        for item in o:
            enc(b, item, depth + 1)
        return 0
    if isinstance(o, dict) or isinstance(o, Mapping):
        enter(depth)
        return enc_map(b, o, depth + 1)
    if isinstance(o, datetime):
        code, payload = ext.encode_datetime(o)
        return enc_ext(b, code, payload)
    if isinstance(o, date):
        return enc_ext(b, ext.DATE, ext.encode_date(o))
    if isinstance(o, timedelta):
        return enc_ext(b, ext.TIMEDELTA, ext.encode_timedelta(o))
    raise TypeError(f'canonical_bytes: cannot encode an object of type {type(o).__name__}')


def canonical_bytes(obj: object) -> bytes:
    """Version tag b'\\x01' followed by one msgpack object in its canonical form."""
    cdef Buf b
    buf_init(&b, 256)
    try:
        buf_byte(&b, CANONICAL_VERSION)
        enc(&b, obj, 0)
        return PyBytes_FromStringAndSize(b.data, b.size)
    finally:
        PyMem_Free(b.data)


def xxh3_hex(data: bytes) -> str:
    """xxh3-128 hex digest (32 lowercase hex digits, big-endian as xxhash prints it)."""
    return xxh3_128_hexdigest(data)


def xxh3_id(obj: object) -> str:
    return xxh3_128_hexdigest(canonical_bytes(obj))
