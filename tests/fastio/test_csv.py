"""write_csv: the kernel behind .csv/.tsv dumps. Behaviour on both twins, and the twins' parity on raw columns
(pandas' text itself is checked in tests/core/targets/test_csv_writer.py)."""

from __future__ import annotations

import io
import struct

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

NAT = np.iinfo(np.int64).min
TEXT = st.text(alphabet=st.sampled_from(list('ab ,;|\t"\n\r\\é日\U0001f600\ud800')), max_size=6)


def written(impl, labels, columns, nrows, sep=',', quote_cr=False) -> str:
    buffer = io.StringIO()
    impl.write_csv(buffer, labels, columns, nrows, sep, quote_cr)
    return buffer.getvalue()


def i8(values) -> memoryview:
    return memoryview(np.array(values, dtype=np.int64))


def test_every_kind(fastio_csv_impl) -> None:
    data = b'x,y' + 'é'.encode()
    columns = [
        ('i8', i8([-5, 7]), memoryview(np.array([0, 1], dtype=np.uint8))),
        ('u8', memoryview(np.array([2**64 - 1, 0], dtype=np.uint64)), None),
        ('f8', memoryview(np.array([0.1, np.nan])), None),
        ('b1', memoryview(np.array([1, 0], dtype=np.uint8)), None),
        ('str', ['say "hi"', None]),
        ('utf8', i8([0, 3, 5]), data, None),
        ('cat', i8([1, -1]), ['p', 'q\nr']),
        ('dt', i8([86400 * 1000 + 1500, NAT]), 1000, 3, i8([-3600 * 5, 0])),
        ('dt', i8([0, NAT]), 1, -1, None),
    ]
    labels = ['i', 'u', 'f', 'b', 's', 'b;8', 'c', 't', 'd']
    assert written(fastio_csv_impl, labels, columns, 2) == (
        'i,u,f,b,s,b;8,c,t,d\n'
        '-5,18446744073709551615,0.1,True,"say ""hi""","x,y","q\nr",1970-01-02 00:00:01.500-05:00,1970-01-01\n'
        ',0,,False,,é,,,\n'
    )


@pytest.mark.parametrize('quote_cr', [False, True])
def test_quoting(fastio_csv_impl, quote_cr: bool) -> None:
    text = written(fastio_csv_impl, ['a', 'b'], [('str', ['c\rd', 'e\tf']), ('str', ['', 'x;y'])], 2, ';', quote_cr)
    cr = '"c\rd"' if quote_cr else 'c\rd'
    assert text == f'a;b\n{cr};\ne\tf;"x;y"\n'


def test_a_row_of_one_empty_field_is_quoted(fastio_csv_impl) -> None:
    assert written(fastio_csv_impl, [''], [('f8', memoryview(np.array([np.nan, 1.0])), None)], 2) == '""\n""\n1.0\n'


def test_offsets_with_seconds_and_fractions(fastio_csv_impl) -> None:
    column = ('dt', i8([123_456_789, -1]), 10**9, 9, i8([9 * 3600 + 18 * 60 + 59, -(25 * 60 + 21)]))
    assert written(fastio_csv_impl, ['t'], [column], 2) == (
        't\n1970-01-01 00:00:00.123456789+09:18:59\n1969-12-31 23:59:59.999999999-00:25:21\n'
    )


def test_large_frames_are_written_in_chunks_with_the_same_text(fastio_csv_impl) -> None:
    n = 300_000
    chunks: list[str] = []

    class Sink:
        def write(self, text: str) -> int:
            chunks.append(text)
            return len(text)

    fastio_csv_impl.write_csv(Sink(), ['n', 's'], [('i8', i8(range(n)), None), ('str', ['é,'] * n)], n, ',', False)
    assert len(chunks) > 2
    assert ''.join(chunks) == 'n,s\n' + ''.join(f'{i},"é,"\n' for i in range(n))


@pytest.mark.parametrize(
    ('labels', 'columns', 'nrows', 'error'),
    [
        (['a'], [('str', ['x', 1])], 2, TypeError),
        ([1], [('i8', i8([1]), None)], 1, TypeError),
        (['a'], [('cat', i8([0]), [b'x'])], 1, TypeError),
        (['a'], [('i8', i8([1, 2]), None)], 3, ValueError),
        (['a', 'b'], [('i8', i8([1]), None)], 1, ValueError),
        (['a'], [('nope', i8([1]), None)], 1, ValueError),
    ],
)
def test_bad_columns_raise_before_anything_is_written(fastio_csv_impl, labels, columns, nrows, error) -> None:
    buffer = io.StringIO()
    with pytest.raises(error):
        fastio_csv_impl.write_csv(buffer, labels, columns, nrows, ',', False)
    assert buffer.getvalue() == ''


@pytest.mark.parametrize('sep', ['', ',,', '"', '\n', '\r'])
def test_bad_separators(fastio_csv_impl, sep: str) -> None:
    with pytest.raises(ValueError):
        fastio_csv_impl.write_csv(io.StringIO(), ['a'], [('i8', i8([1]), None)], 1, sep, False)


# ---- parity of the twins on raw columns ----------------------------------------------------------------

DAY_SECONDS = 86400
LOW_SECONDS, HIGH_SECONDS = -30_610_224_000, 253_402_300_799  # 1000-01-01 .. 9999-12-31 23:59:59


@st.composite
def raw_columns(draw, n: int) -> tuple:
    kind = draw(st.sampled_from(['i8', 'u8', 'f8', 'b1', 'str', 'utf8', 'cat', 'dt']))
    masks = st.one_of(
        st.none(), st.lists(st.integers(0, 1), min_size=n, max_size=n).map(lambda m: memoryview(bytes(m)))
    )

    def lists(elements):
        return st.lists(elements, min_size=n, max_size=n)

    if kind == 'i8':
        return ('i8', i8(draw(lists(st.integers(-(2**63), 2**63 - 1)))), draw(masks))
    if kind == 'u8':
        return ('u8', memoryview(np.array(draw(lists(st.integers(0, 2**64 - 1))), dtype=np.uint64)), draw(masks))
    if kind == 'f8':
        bits = lists(
            st.one_of(
                st.integers(0, 2**64 - 1),
                st.floats(width=64).map(lambda f: struct.unpack('<Q', struct.pack('<d', f))[0]),
            )
        )
        return ('f8', memoryview(np.array(draw(bits), dtype=np.uint64).view(np.float64)), draw(masks))
    if kind == 'b1':
        return ('b1', memoryview(bytes(draw(lists(st.integers(0, 255))))), draw(masks))
    if kind == 'str':
        return ('str', draw(lists(st.one_of(TEXT, st.none()))))
    if kind == 'utf8':
        pieces = [t.encode('utf-8', 'surrogatepass') for t in draw(lists(TEXT))]
        offsets = np.cumsum([0] + [len(p) for p in pieces])
        return ('utf8', i8(offsets), b''.join(pieces), draw(masks))
    if kind == 'cat':
        categories = draw(st.lists(TEXT, min_size=1, max_size=4))
        return ('cat', i8(draw(lists(st.integers(-1, len(categories) - 1)))), categories)
    per_second = draw(st.sampled_from([1, 1000, 10**6, 10**9]))
    digits = draw(st.sampled_from([-1, 0, 3, 6, 9]))
    if per_second == 10**9:
        stamps = st.integers(-(2**63) + 1, 2**63 - 1)
    else:
        stamps = st.integers(LOW_SECONDS * per_second, HIGH_SECONDS * per_second)
    values = draw(lists(st.one_of(stamps, st.just(NAT))))
    offsets = draw(st.one_of(st.none(), lists(st.integers(-DAY_SECONDS + 1, DAY_SECONDS - 1)).map(i8)))
    return ('dt', i8(values), per_second, digits, offsets)


@st.composite
def tables(draw) -> tuple:
    n = draw(st.integers(0, 6))
    width = draw(st.integers(1, 4))
    return draw(st.lists(TEXT, min_size=width, max_size=width)), [draw(raw_columns(n)) for _ in range(width)], n


@pytest.mark.c_extension
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table=tables(), sep=st.sampled_from(',\t;|'), quote_cr=st.booleans())
def test_twins_write_the_same_text(table, sep: str, quote_cr: bool) -> None:
    from gokart_fastio import _csv_c, _csv_py

    labels, columns, n = table
    assert written(_csv_c, labels, columns, n, sep, quote_cr) == written(_csv_py, labels, columns, n, sep, quote_cr)


@pytest.mark.c_extension
@settings(max_examples=300, deadline=None)
@given(
    values=st.lists(
        st.one_of(
            st.floats(width=64), st.integers(0, 2**64 - 1).map(lambda b: struct.unpack('<d', struct.pack('<Q', b))[0])
        )
    )
)
def test_compiled_floats_are_repr(values: list[float]) -> None:
    from gokart_fastio import _csv_c

    text = written(_csv_c, ['f'], [('f8', memoryview(np.array(values, dtype=np.float64)), None)], len(values), ',')
    fields = text.split('\n')[1:-1]
    assert fields == ['""' if v != v else repr(v) for v in values]  # one column: an empty field is ""


@pytest.mark.c_extension
def test_compiled_floats_are_repr_on_many_values() -> None:
    from gokart_fastio import _csv_c

    rng = np.random.default_rng(11)
    values = np.concatenate(
        [
            rng.random(50_000) * 1000,
            rng.standard_normal(50_000),
            10.0 ** rng.uniform(-5, 17, 50_000),
            np.frombuffer(rng.bytes(8 * 50_000), dtype=np.float64),
            np.round(rng.random(50_000) * 100, 2),
            2.0 ** np.arange(-20, 60),
            np.nextafter(2.0 ** np.arange(-20, 60), 0),
        ]
    )
    values = values[np.isfinite(values)]
    text = written(
        _csv_c, ['f', 'g'], [('f8', memoryview(values), None), ('f8', memoryview(-values), None)], len(values)
    )
    assert text.split('\n')[1:-1] == [f'{v!r},{-v!r}' for v in values.tolist()]
