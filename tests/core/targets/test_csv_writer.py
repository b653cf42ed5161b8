"""The fast .csv/.tsv writer writes exactly pandas' to_csv(index=False, header=True) text, on both fastio twins,
and leaves to pandas what it does not reproduce."""

from __future__ import annotations

import datetime
import io
import os

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gokart.file_processor import CsvFileProcessor
from gokart.file_processor._csv_fast import FAST_SEPARATORS, columns_for_csv, csv_quotes_cr, dump_csv
from gokart.target import make_target

SEPARATORS = sorted(FAST_SEPARATORS)
TIMEZONES = [
    'UTC',
    'Asia/Tokyo',
    'America/New_York',
    'Europe/London',
    'Australia/Lord_Howe',  # half-hour DST shifts
    datetime.timezone(datetime.timedelta(hours=-3, minutes=-30)),
]
UNIT_NANOS = {'s': 10**9, 'ms': 10**6, 'us': 10**3, 'ns': 1}
# text the csv module must quote (separators, quote, line breaks) or must not (spaces), and non-ASCII
TEXT = st.text(alphabet=st.sampled_from(list('ab ,;|\t"\'\n\r\\é日\U0001f600')), max_size=6)
settings_ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def pandas_text(frame: pd.DataFrame, sep: str) -> str:
    buffer = io.StringIO()
    frame.to_csv(buffer, mode='wt', index=False, sep=sep, header=True, encoding='utf-8')
    return buffer.getvalue()


def fast_text(impl, frame: pd.DataFrame, sep: str) -> str:
    prepared = columns_for_csv(frame, sep)
    assert prepared is not None, f'the fast writer refused a frame it should write:\n{frame.dtypes}'
    labels, columns = prepared
    buffer = io.StringIO()
    impl.write_csv(buffer, labels, columns, len(frame), sep, csv_quotes_cr())
    return buffer.getvalue()


@st.composite
def datetimes(draw, n: int) -> pd.Series:
    unit = draw(st.sampled_from(sorted(UNIT_NANOS)))
    # a granularity per column, so that every column-wide resolution (dates, seconds, ms, us, ns) appears
    step = draw(st.sampled_from([86400 * 10**9, 10**9, 10**6, 10**3, 1, 60 * 10**9]))
    step = max(step, UNIT_NANOS[unit]) // UNIT_NANOS[unit]
    per_second = 10**9 // UNIT_NANOS[unit]
    if unit == 'ns':
        low, high = -(2**62) // step, (2**62) // step
    else:  # years 1000..9999 (pandas writes years of other lengths unpadded; the fast writer refuses them)
        low, high = -30_000_000_000 * per_second // step, 250_000_000_000 * per_second // step
    values = draw(st.lists(st.one_of(st.integers(low, high), st.none()), min_size=n, max_size=n))
    raw = np.array([np.iinfo(np.int64).min if v is None else v * step for v in values], dtype=np.int64)
    series = pd.Series(raw.view(f'datetime64[{unit}]'))
    tz = draw(st.one_of(st.none(), st.sampled_from(TIMEZONES)))
    if tz is not None:
        series = series.dt.tz_localize('UTC').dt.tz_convert(tz)
    return series


@st.composite
def columns(draw, n: int) -> pd.Series | pd.Categorical | np.ndarray:
    kind = draw(
        st.sampled_from(
            ['int', 'uint', 'float', 'bool', 'object', 'str', 'category', 'Int64', 'UInt64', 'boolean', 'datetime']
        )
    )

    def lists(elements):
        return st.lists(elements, min_size=n, max_size=n)

    if kind == 'int':
        bits = draw(st.sampled_from([8, 16, 32, 64]))
        return np.array(draw(lists(st.integers(-(2 ** (bits - 1)), 2 ** (bits - 1) - 1))), dtype=f'int{bits}')
    if kind == 'uint':
        bits = draw(st.sampled_from([8, 16, 32, 64]))
        return np.array(draw(lists(st.integers(0, 2**bits - 1))), dtype=f'uint{bits}')
    if kind == 'float':
        floats = st.one_of(
            st.floats(width=64), st.floats(-1e6, 1e6).map(lambda x: round(x, 3)), st.integers(-99, 99).map(float)
        )
        return np.array(draw(lists(floats)), dtype=np.float64)
    if kind == 'bool':
        return np.array(draw(lists(st.booleans())), dtype=bool)
    missing = st.sampled_from([None, np.nan, pd.NA])
    if kind == 'object':  # object dtype, str or missing; lone surrogates survive only there
        texts = st.one_of(TEXT, st.just('\ud800x'))
        return np.array(draw(lists(st.one_of(texts, missing))), dtype=object)
    if kind == 'str':
        return pd.array(draw(lists(st.one_of(TEXT, missing))), dtype='str')
    if kind == 'category':
        return pd.Categorical(draw(lists(st.one_of(TEXT, st.none()))))
    if kind in ('Int64', 'UInt64'):
        low = -(2**63) if kind == 'Int64' else 0
        high = 2**63 - 1 if kind == 'Int64' else 2**64 - 1
        return pd.array(draw(lists(st.one_of(st.integers(low, high), st.none()))), dtype=kind)
    if kind == 'boolean':
        return pd.array(draw(lists(st.one_of(st.booleans(), st.none()))), dtype='boolean')
    return draw(datetimes(n))


def as_series(values) -> pd.Series:
    if isinstance(values, pd.Series):
        return values
    if isinstance(values, np.ndarray) and values.dtype == object:
        return pd.Series(values, dtype=object)  # not pandas' inferred str dtype
    return pd.Series(values)


@st.composite
def frames(draw) -> pd.DataFrame:
    n = draw(st.integers(0, 8))
    width = draw(st.integers(1, 4))
    labels = draw(
        st.lists(st.one_of(TEXT, st.integers(-5, 5)), min_size=width, max_size=width, unique_by=lambda v: (type(v), v))
    )
    data = [draw(columns(n)) for _ in labels]
    frame = pd.DataFrame({f'c{i}': as_series(values) for i, values in enumerate(data)})
    frame.columns = pd.Index(labels, dtype=object)
    return frame


@settings_
@given(frame=frames(), sep=st.sampled_from(SEPARATORS))
def test_same_text_as_pandas(fastio_csv_impl, frame: pd.DataFrame, sep: str) -> None:
    assert fast_text(fastio_csv_impl, frame, sep) == pandas_text(frame, sep)


@pytest.mark.parametrize('sep', [',', '\t'])
@pytest.mark.parametrize(
    'frame',
    [
        pd.DataFrame({'': ['', None, 'x']}),  # a row of one empty field is ""
        pd.DataFrame({'a': [np.nan, 1.5]}),
        pd.DataFrame({'a,b': [1], 'q"': [2], 'l\nm': [3], 'r\rs': [4], 't\tu': [5]}),
        pd.DataFrame({'a': ['x,y', 'say "hi"', 'two\nlines', 'cr\rhere', 'tab\there', ' pad ', '']}),
        pd.DataFrame({'a': pd.Series([], dtype='int64'), 'b': pd.Series([], dtype='str')}),
        pd.DataFrame({'t': pd.to_datetime(['2020-01-01', None]), 'u': pd.to_datetime(['2020-01-01 00:00:01', None])}),
        pd.DataFrame({'t': pd.to_datetime(['2020-01-01 00:00:00.5', '1999-12-31 23:59:59'], format='ISO8601')}),
        pd.DataFrame({'t': pd.to_datetime(['2020-01-01']).tz_localize('Asia/Tokyo')}),
        pd.DataFrame(
            {
                't': pd.to_datetime(['1850-01-01 12:00', '2020-07-01 00:00:00.000001'], format='ISO8601').tz_localize(
                    'Asia/Tokyo'
                )
            }
        ),
        pd.DataFrame({'t': pd.Series([pd.NaT, pd.NaT], dtype='datetime64[ns]')}),
        pd.DataFrame({'f': [1e16, 1e-5, 1e-4, 9999999999999998.0, -0.0, 0.0, np.inf, -np.inf, 5e-324, 0.1 + 0.2]}),
        pd.DataFrame(
            {'i': np.array([np.iinfo(np.int64).min, np.iinfo(np.int64).max]), 'u': np.array([0, 2**64 - 1], 'uint64')}
        ),
        pd.DataFrame({'c': pd.Categorical(['b', None, 'a,z'], categories=['b', 'a,z', 'unused'])}),
        pd.DataFrame({0: [1], 1: ['x'], np.int64(7): [True]}),
    ],
)
def test_edge_cases(fastio_csv_impl, frame: pd.DataFrame, sep: str) -> None:
    assert fast_text(fastio_csv_impl, frame, sep) == pandas_text(frame, sep)


LEFT_TO_PANDAS = {
    'float32': pd.DataFrame({'a': np.array([0.1, 1.5], dtype=np.float32)}),
    'timedelta': pd.DataFrame({'a': pd.to_timedelta([1, 2], unit='s')}),
    'mixed object': pd.DataFrame({'a': pd.Series(['x', 1, 2.5], dtype=object)}),
    'python datetimes': pd.DataFrame({'a': pd.Series([datetime.datetime(2020, 1, 1)], dtype=object)}),
    'period': pd.DataFrame({'a': pd.period_range('2020-01', periods=2, freq='M')}),
    'Float64': pd.DataFrame({'a': pd.array([0.5, None], dtype='Float64')}),
    'int category': pd.DataFrame({'a': pd.Categorical([1, 2, 1])}),
    'datetime category': pd.DataFrame({'a': pd.Categorical(pd.to_datetime(['2020-01-01', '2020-01-02']))}),
    'year 999': pd.DataFrame({'a': np.array(['0999-01-01'], dtype='datetime64[s]')}),
    'multiindex columns': pd.DataFrame([[1, 2]], columns=pd.MultiIndex.from_tuples([('a', 'b'), ('a', 'c')])),
    'float labels': pd.DataFrame({1.5: [1]}),
    'no columns': pd.DataFrame(index=[1, 2]),
    'str subclass': pd.DataFrame(
        {'a': pd.Series([type('S', (str,), {'__str__': lambda self: 'other'})('x')], dtype=object)}
    ),
}


def _sliced_and_concatenated() -> list[pd.DataFrame]:
    frame = pd.DataFrame(
        {
            's': pd.array(['a', None, 'b,c', 'é', 'd', None], dtype='str'),
            'i': np.arange(6),
            'f': np.linspace(0, 1, 6),
            'c': pd.Categorical(list('xyxyxy')),
            't': pd.date_range('2020-01-01', periods=6, freq='37min', tz='Asia/Tokyo'),
        }
    )
    return [frame.iloc[2:], frame.iloc[::2], frame.iloc[::-1], pd.concat([frame, frame.iloc[1:3]])]


@pytest.mark.parametrize('index', range(4))
def test_slices_strides_and_chunked_columns(fastio_csv_impl, index: int) -> None:
    frame = _sliced_and_concatenated()[index]
    assert fast_text(fastio_csv_impl, frame, ',') == pandas_text(frame, ',')


@pytest.mark.parametrize('name', sorted(LEFT_TO_PANDAS))
@pytest.mark.parametrize('sep', [',', '\t'])
def test_the_rest_is_left_to_pandas_and_written_as_pandas_writes_it(tmp_path, name: str, sep: str) -> None:
    frame = LEFT_TO_PANDAS[name]
    buffer = io.StringIO()
    assert dump_csv(frame, buffer, sep) is False
    assert buffer.getvalue() == ''
    CsvFileProcessor(sep=sep).dump(frame, buffer)
    assert buffer.getvalue() == pandas_text(frame, sep)


def test_series_and_other_separators_are_left_to_pandas() -> None:
    assert columns_for_csv(pd.Series([1, 2], name='n'), ',') is None
    assert columns_for_csv(pd.DataFrame({'a': [1]}), ' ') is None
    assert columns_for_csv(pd.DataFrame({'a': [1]}), '.') is None
    assert dump_csv(pd.DataFrame({'a': [1]}), io.BytesIO(), ',') is False  # a binary handle


def test_this_pythons_csv_module_is_modelled() -> None:
    assert csv_quotes_cr() is not None


@pytest.mark.parametrize('extension', ['.csv', '.tsv'])
def test_target_bytes_equal_pandas_to_a_file(tmp_path, extension: str) -> None:
    rng = np.random.default_rng(3)
    frame = pd.DataFrame(
        {
            'i': rng.integers(-1000, 1000, 5000),
            'f': rng.standard_normal(5000),
            's': [f'v{i % 7},"{i}"' if i % 11 else None for i in range(5000)],
            'c': pd.Categorical(rng.choice(['x', 'y', 'é'], 5000)),
            't': pd.Timestamp('2021-03-04 05:06:07') + pd.to_timedelta(rng.integers(0, 10**6, 5000), unit='s'),
        }
    )
    sep = '\t' if extension == '.tsv' else ','
    path = os.path.join(tmp_path, f'frame{extension}')
    make_target(path).dump(frame)
    expected = os.path.join(tmp_path, 'expected')
    frame.to_csv(expected, mode='wt', index=False, sep=sep, header=True, encoding='utf-8')
    with open(path, 'rb') as ours, open(expected, 'rb') as theirs:
        assert ours.read() == theirs.read()
    pd.testing.assert_frame_equal(make_target(path).load(), pd.read_csv(expected, sep=sep))
