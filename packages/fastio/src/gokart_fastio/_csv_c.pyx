# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, annotation_typing=False
"""Compiled twin of _csv_py (which documents the columns): the same text, assembled as utf-8 in one C
buffer and handed to file.write() as str about every CHUNK_BYTES."""

from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_GET_SIZE
from cpython.mem cimport PyMem_Free, PyMem_Malloc, PyMem_Realloc
from cpython.unicode cimport PyUnicode_Check, PyUnicode_DecodeUTF8
from libc.stdint cimport int64_t, uint8_t, uint64_t
from libc.math cimport ceil, fabs, log10, signbit
from libc.string cimport memcpy

cdef extern from *:
    ctypedef unsigned long long u128 "unsigned __int128"

cdef extern from "Python.h":
    const char* PyUnicode_AsUTF8AndSize(object, Py_ssize_t*) except? NULL
    char* PyOS_double_to_string(double, char, int, int, int*) except NULL
    int Py_DTSF_ADD_DOT_0

__all__ = ('CHUNK_BYTES', 'write_csv')

CHUNK_BYTES = 1 << 20

cdef int64_t NAT = -0x7FFFFFFFFFFFFFFF - 1

cdef enum Kind:
    K_I8, K_U8, K_F8, K_B1, K_STR, K_UTF8, K_CAT, K_DT


cdef struct Buf:
    char* data
    Py_ssize_t size
    Py_ssize_t cap


cdef int grow(Buf* b, Py_ssize_t extra) except -1:
    cdef Py_ssize_t cap = b.cap
    cdef char* data
    if b.size + extra <= cap:
        return 0
    while cap < b.size + extra:
        cap = cap * 2 if cap else 1 << 16
    data = <char*>PyMem_Realloc(b.data, cap)
    if data == NULL:
        raise MemoryError()
    b.data = data
    b.cap = cap
    return 0


cdef inline int put(Buf* b, const char* s, Py_ssize_t n) except -1:
    if b.size + n > b.cap:
        grow(b, n)
    memcpy(b.data + b.size, s, n)
    b.size += n
    return 0


cdef inline int put_char(Buf* b, char c) except -1:
    if b.size + 1 > b.cap:
        grow(b, 1)
    b.data[b.size] = c
    b.size += 1
    return 0


cdef class Quoting:
    cdef char sep
    cdef bint cr

    cdef inline bint needs(self, const char* s, Py_ssize_t n):
        cdef Py_ssize_t i
        cdef char c
        for i in range(n):
            c = s[i]
            if c == self.sep or c == b'"' or c == b'\n' or (self.cr and c == b'\r'):
                return True
        return False

    cdef int field(self, Buf* b, const char* s, Py_ssize_t n) except -1:
        cdef Py_ssize_t i
        if not self.needs(s, n):
            return put(b, s, n)
        grow(b, 2 * n + 2)
        b.data[b.size] = b'"'
        b.size += 1
        for i in range(n):
            if s[i] == b'"':
                b.data[b.size] = b'"'
                b.size += 1
            b.data[b.size] = s[i]
            b.size += 1
        b.data[b.size] = b'"'
        b.size += 1
        return 0

    cdef int text(self, Buf* b, object value) except -1:
        cdef Py_ssize_t n
        cdef const char* s
        try:
            s = PyUnicode_AsUTF8AndSize(value, &n)
        except UnicodeEncodeError:  # lone surrogates: carried through, and decoded back the same way
            encoded = (<str>value).encode('utf-8', 'surrogatepass')
            return self.field(b, PyBytes_AS_STRING(encoded), PyBytes_GET_SIZE(encoded))
        return self.field(b, s, n)


cdef inline int put_uint(Buf* b, uint64_t v) except -1:
    cdef char tmp[24]
    cdef int i = 24
    while True:
        i -= 1
        tmp[i] = <char>(48 + v % 10)
        v //= 10
        if v == 0:
            break
    return put(b, tmp + i, 24 - i)


cdef inline int put_int(Buf* b, int64_t v) except -1:
    if v < 0:
        put_char(b, b'-')
        return put_uint(b, <uint64_t>0 - <uint64_t>v)
    return put_uint(b, <uint64_t>v)


cdef inline int put_digits(Buf* b, int64_t v, int width) except -1:
    """v (non-negative) as exactly `width` decimal digits, zero-padded."""
    cdef int i
    grow(b, width)
    for i in range(width - 1, -1, -1):
        b.data[b.size + i] = <char>(48 + v % 10)
        v //= 10
    b.size += width
    return 0


cdef inline int64_t floor_div(int64_t a, int64_t d):
    cdef int64_t q = a // d
    if (a % d != 0) and ((a < 0) != (d < 0)):
        q -= 1
    return q


cdef int put_date(Buf* b, int64_t days) except -1:
    """days since 1970-01-01 as YYYY-MM-DD (proleptic Gregorian, years 1..9999)."""
    cdef int64_t z = days + 719468
    cdef int64_t era = floor_div(z, 146097)
    cdef int64_t doe = z - era * 146097
    cdef int64_t yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    cdef int64_t y = yoe + era * 400
    cdef int64_t doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    cdef int64_t mp = (5 * doy + 2) // 153
    cdef int64_t d = doy - (153 * mp + 2) // 5 + 1
    cdef int64_t m = mp + 3 if mp < 10 else mp - 9
    if m <= 2:
        y += 1
    put_digits(b, y, 4)
    put_char(b, b'-')
    put_digits(b, m, 2)
    put_char(b, b'-')
    return put_digits(b, d, 2)


cdef int put_offset(Buf* b, int64_t seconds) except -1:
    if seconds < 0:
        put_char(b, b'-')
        seconds = -seconds
    else:
        put_char(b, b'+')
    put_digits(b, seconds // 3600, 2)
    put_char(b, b':')
    put_digits(b, (seconds // 60) % 60, 2)
    if seconds % 60:
        put_char(b, b':')
        put_digits(b, seconds % 60, 2)
    return 0


cdef class Column:
    cdef int kind
    cdef const int64_t[::1] i8
    cdef const uint64_t[::1] u8
    cdef const double[::1] f8
    cdef const uint8_t[::1] b1
    cdef const uint8_t[::1] mask
    cdef bint masked
    cdef list items
    cdef const int64_t[::1] offsets
    cdef const uint8_t[::1] data
    cdef list formatted
    cdef int64_t per_second
    cdef int digits
    cdef int64_t scale
    cdef const int64_t[::1] utc_offsets
    cdef bint aware
    cdef Py_ssize_t length


cdef object as_mask(Column c, object mask):
    if mask is not None:
        c.mask = memoryview(mask).cast('B')
        c.masked = True
        if c.mask.shape[0] != c.length:
            raise ValueError(f'a mask has {c.mask.shape[0]} values, not {c.length}')


cdef Column prepare(tuple column, Quoting quoting):
    cdef Column c = Column()
    cdef Buf tmp
    cdef Py_ssize_t i
    kind = column[0]
    c.masked = False
    c.aware = False
    if kind == 'i8':
        c.kind = K_I8
        c.i8 = memoryview(column[1]).cast('B').cast('q')
        c.length = c.i8.shape[0]
        as_mask(c, column[2])
    elif kind == 'u8':
        c.kind = K_U8
        c.u8 = memoryview(column[1]).cast('B').cast('Q')
        c.length = c.u8.shape[0]
        as_mask(c, column[2])
    elif kind == 'f8':
        c.kind = K_F8
        c.f8 = memoryview(column[1]).cast('B').cast('d')
        c.length = c.f8.shape[0]
        as_mask(c, column[2])
    elif kind == 'b1':
        c.kind = K_B1
        c.b1 = memoryview(column[1]).cast('B')
        c.length = c.b1.shape[0]
        as_mask(c, column[2])
    elif kind == 'str':
        c.kind = K_STR
        c.items = list(column[1])
        for item in c.items:
            if item is not None and type(item) is not str:
                raise TypeError(f'a str column holds {type(item).__name__!r}, not str or None')
        c.length = len(c.items)
    elif kind == 'utf8':
        c.kind = K_UTF8
        c.offsets = memoryview(column[1]).cast('B').cast('q')
        c.data = memoryview(column[2]).cast('B')
        c.length = c.offsets.shape[0] - 1
        if c.length < 0:
            raise ValueError('utf8 offsets must hold n + 1 values')
        if c.length and (c.offsets[0] < 0 or c.offsets[c.length] > c.data.shape[0]):
            raise ValueError('utf8 offsets point outside the data')
        for i in range(c.length):
            if c.offsets[i] > c.offsets[i + 1]:
                raise ValueError('utf8 offsets must not decrease')
        as_mask(c, column[3])
    elif kind == 'cat':
        c.kind = K_CAT
        c.i8 = memoryview(column[1]).cast('B').cast('q')
        c.length = c.i8.shape[0]
        c.formatted = []
        for label in column[2]:
            if type(label) is not str:
                raise TypeError(f'a str column holds {type(label).__name__!r}, not str or None')
            tmp.data = NULL
            tmp.size = tmp.cap = 0
            try:
                quoting.text(&tmp, label)
                c.formatted.append(tmp.data[:tmp.size] if tmp.size else b'')
            finally:
                PyMem_Free(tmp.data)
        for i in range(c.length):
            if c.i8[i] >= len(c.formatted):
                raise ValueError(f'category code {c.i8[i]} without a category')
    elif kind == 'dt':
        c.kind = K_DT
        c.i8 = memoryview(column[1]).cast('B').cast('q')
        c.length = c.i8.shape[0]
        c.per_second = column[2]
        c.digits = column[3]
        if c.per_second <= 0 or c.digits not in (-1, 0, 3, 6, 9):
            raise ValueError('a dt column needs units per second > 0 and digits in -1, 0, 3, 6, 9')
        c.scale = 1
        for _ in range(max(c.digits, 0)):
            c.scale *= 10
        if column[4] is not None:
            c.aware = True
            c.utc_offsets = memoryview(column[4]).cast('B').cast('q')
            if c.utc_offsets.shape[0] != c.length:
                raise ValueError('a dt column needs one offset per value')
    else:
        raise ValueError(f'unknown column kind {kind!r}')
    return c


cdef int put_datetime(Buf* b, Column c, Py_ssize_t i) except -1:
    cdef int64_t value = c.i8[i]
    cdef int64_t seconds, fraction, days, clock
    if value == NAT:
        return 0
    seconds = floor_div(value, c.per_second)
    fraction = value - seconds * c.per_second
    days = floor_div(seconds, 86400)
    clock = seconds - days * 86400
    put_date(b, days)
    if c.digits < 0:
        return 0
    put_char(b, b' ')
    put_digits(b, clock // 3600, 2)
    put_char(b, b':')
    put_digits(b, (clock // 60) % 60, 2)
    put_char(b, b':')
    put_digits(b, clock % 60, 2)
    if c.digits > 0:
        put_char(b, b'.')
        if c.scale >= c.per_second:
            put_digits(b, fraction * (c.scale // c.per_second), c.digits)
        else:
            put_digits(b, fraction // (c.per_second // c.scale), c.digits)
    if c.aware:
        put_offset(b, c.utc_offsets[i])
    return 0


cdef int put_repr(Buf* b, double v) except -1:
    """repr(v) by CPython's own formatter."""
    cdef char* s = PyOS_double_to_string(v, b'r', 0, Py_DTSF_ADD_DOT_0, NULL)
    cdef Py_ssize_t n = 0
    try:
        while s[n]:
            n += 1
        put(b, s, n)
    finally:
        PyMem_Free(s)
    return 0


cdef int shortest_digits(double x, char* digits, int* exponent):
    """The shortest decimal digits that read back as x (0 < x, 1e-4 <= x < 1e16), the nearest to x among
    them, with x = 0.DIGITS * 10**exponent: Steele & White's free-format digit generation as Burger and
    Dybvig state it, in exact 128-bit integers (x in this range keeps every quantity below 2**112).
    Returns the number of digits, or 0 where repr() must decide (an exact tie between two last digits)."""
    cdef uint64_t bits
    memcpy(&bits, &x, 8)
    cdef uint64_t f = bits & ((<uint64_t>1 << 52) - 1)
    cdef int e = <int>((bits >> 52) & 0x7FF)
    f |= <uint64_t>1 << 52
    e -= 1075  # x = f * 2**e
    cdef bint even = (f & 1) == 0
    cdef bint unequal = f == (<uint64_t>1 << 52)
    cdef u128 r, s, m_plus, m_minus, ten = 10
    if e >= 0:
        if not unequal:
            r = (<u128>f << e) * 2
            s = 2
            m_plus = m_minus = <u128>1 << e
        else:
            r = (<u128>f << (e + 1)) * 2
            s = 4
            m_plus = <u128>1 << (e + 1)
            m_minus = <u128>1 << e
    else:
        if not unequal:
            r = <u128>f * 2
            s = <u128>1 << (1 - e)
            m_plus = m_minus = 1
        else:
            r = <u128>f * 4
            s = <u128>1 << (2 - e)
            m_plus = 2
            m_minus = 1
    cdef int k = <int>ceil(log10(x) - 1e-10)
    cdef int i
    if k >= 0:
        for i in range(k):
            s *= ten
    else:
        for i in range(-k):
            r *= ten
            m_plus *= ten
            m_minus *= ten
    while (r + m_plus >= s) if even else (r + m_plus > s):
        s *= ten
        k += 1
    while ((r + m_plus) * ten < s) if even else ((r + m_plus) * ten <= s):
        r *= ten
        m_plus *= ten
        m_minus *= ten
        k -= 1
    exponent[0] = k
    cdef int n = 0, d
    cdef bint low, high
    while n < 20:
        r *= ten
        m_plus *= ten
        m_minus *= ten
        d = 0
        while r >= s:
            r -= s
            d += 1
        low = (r <= m_minus) if even else (r < m_minus)
        high = (r + m_plus >= s) if even else (r + m_plus > s)
        if not low and not high:
            digits[n] = <char>(48 + d)
            n += 1
            continue
        if low and high:
            if 2 * r == s:
                return 0
            if 2 * r > s:
                d += 1
        elif high:
            d += 1
        if d > 9:
            return 0
        digits[n] = <char>(48 + d)
        return n + 1
    return 0


cdef int put_float(Buf* b, double v) except -1:
    cdef char digits[24]
    cdef int exponent = 0, n, i
    cdef double a = fabs(v)
    if v != v:
        return 0
    if v == 0.0:
        if signbit(v):
            return put(b, '-0.0', 4)
        return put(b, '0.0', 3)
    n = shortest_digits(a, digits, &exponent) if 1e-4 <= a < 1e16 else 0
    if n == 0:
        return put_repr(b, v)
    grow(b, 48)
    if v < 0:
        put_char(b, b'-')
    if exponent <= 0:
        put(b, '0.', 2)
        for i in range(-exponent):
            put_char(b, b'0')
        return put(b, digits, n)
    if exponent >= n:
        put(b, digits, n)
        for i in range(exponent - n):
            put_char(b, b'0')
        return put(b, '.0', 2)
    put(b, digits, exponent)
    put_char(b, b'.')
    return put(b, digits + exponent, n - exponent)


cdef int put_field(Buf* b, Column c, Py_ssize_t i, Quoting quoting) except -1:
    cdef int64_t code
    cdef bytes text
    cdef int64_t start
    if c.masked and c.mask[i]:
        return 0
    if c.kind == K_I8:
        return put_int(b, c.i8[i])
    if c.kind == K_F8:
        return put_float(b, c.f8[i])
    if c.kind == K_B1:
        if c.b1[i]:
            return put(b, 'True', 4)
        return put(b, 'False', 5)
    if c.kind == K_STR:
        item = c.items[i]
        if item is None:
            return 0
        return quoting.text(b, item)
    if c.kind == K_UTF8:
        start = c.offsets[i]
        return quoting.field(b, <const char*>&c.data[0] + start, c.offsets[i + 1] - start)
    if c.kind == K_CAT:
        code = c.i8[i]
        if code < 0:
            return 0
        text = <bytes>c.formatted[code]
        return put(b, PyBytes_AS_STRING(text), PyBytes_GET_SIZE(text))
    if c.kind == K_DT:
        return put_datetime(b, c, i)
    if c.kind == K_U8:
        return put_uint(b, c.u8[i])
    return 0


cdef int flush(Buf* b, object write) except -1:
    if b.size:
        write(PyUnicode_DecodeUTF8(b.data, b.size, 'surrogatepass'))
        b.size = 0
    return 0


def write_csv(file, list labels, list columns, Py_ssize_t nrows, str sep, bint quote_cr):
    if len(sep) != 1 or sep in '"\r\n' or ord(sep) > 127:
        raise ValueError(f'sep must be one ASCII character other than a quote or a line break, not {sep!r}')
    if len(labels) != len(columns):
        raise ValueError(f'{len(labels)} labels for {len(columns)} columns')
    cdef Quoting quoting = Quoting()
    quoting.sep = <char>ord(sep)
    quoting.cr = quote_cr
    cdef char c_sep = quoting.sep
    for label in labels:
        if type(label) is not str:
            raise TypeError(f'a label is {type(label).__name__!r}, not str')
    cdef list prepared = [prepare(column, quoting) for column in columns]
    cdef Column col
    for col in prepared:
        if col.length != nrows:
            raise ValueError(f'a column has {col.length} values, not {nrows}')
    cdef Py_ssize_t ncols = len(prepared)
    cdef Py_ssize_t i, j, before
    cdef bint lone = ncols == 1
    cdef Buf b
    b.data = NULL
    b.size = b.cap = 0
    write = file.write
    try:
        grow(&b, CHUNK_BYTES + 4096)
        for j in range(ncols):
            if j:
                put_char(&b, c_sep)
            quoting.text(&b, labels[j])
        if lone and b.size == 0:
            put(&b, '""', 2)
        put_char(&b, b'\n')
        for i in range(nrows):
            for j in range(ncols):
                col = <Column>prepared[j]
                if j:
                    put_char(&b, c_sep)
                before = b.size
                put_field(&b, col, i, quoting)
                if lone and b.size == before:
                    put(&b, '""', 2)
            put_char(&b, b'\n')
            if b.size >= CHUNK_BYTES:
                flush(&b, write)
        flush(&b, write)
    finally:
        PyMem_Free(b.data)
