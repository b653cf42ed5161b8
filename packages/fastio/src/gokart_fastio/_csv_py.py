"""Pure twin of _csv_c: the same CSV text from the same columns, in plain Python.

`write_csv(file, labels, columns, nrows, sep, quote_cr)` writes a header line of `labels` and `nrows` rows
to the text file `file` in chunks, fields separated by `sep` and lines ended by '\\n', quoted as the csv
module's QUOTE_MINIMAL does: a field holding `sep`, '"' or '\\n' (and '\\r' when `quote_cr`) is enclosed in
'"' with each '"' doubled, and a row of one empty field is written as '""'. Each column is a tuple whose
first item names its kind; buffers are anything with the buffer protocol (read as C-contiguous), masks are
uint8 buffers (non-zero: missing, an empty field) or None:

- ('i8', int64 values, mask) and ('u8', uint64 values, mask): decimal integers
- ('f8', float64 values, mask): repr() of each value, NaN as an empty field
- ('b1', uint8 values, mask): 'True' / 'False'
- ('str', list of str or None): the text, None as an empty field
- ('utf8', int64 offsets (n + 1), utf-8 bytes, mask): field i is bytes[offsets[i]:offsets[i + 1]]
- ('cat', int64 codes, list of str): categories[code], a negative code as an empty field
- ('dt', int64 wall-clock values, units per second, digits, int64 UTC offsets in seconds or None): values
  counted from 1970-01-01 in units of 1/units-per-second s, int64 min as an empty field (NaT);
  'YYYY-MM-DD HH:MM:SS' followed by `digits` (0, 3, 6 or 9) decimals, or only 'YYYY-MM-DD' when `digits`
  is -1; with offsets, each value is followed by its offset as '+HH:MM' (':SS' when it has seconds).
  Years must lie in 1..9999.

Everything is checked before the first write: a str column or label that is not str (or None) raises
TypeError, a malformed column ValueError, and the file is left untouched.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

__all__ = ('CHUNK_ROWS', 'write_csv')

CHUNK_ROWS = 65536  # rows per write() of the pure twin
NAT = -(2**63)
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


def _quoter(sep: str, quote_cr: bool):
    special = re.compile('[' + re.escape(sep + '"\n' + ('\r' if quote_cr else '')) + ']')
    search = special.search

    def quote(text: str) -> str:
        if search(text) is None:
            return text
        return '"' + text.replace('"', '""') + '"'

    return quote


def _masked(fields: list[str], mask: list[int] | None, start: int) -> list[str]:
    if mask is not None:
        for i in range(len(fields)):
            if mask[start + i]:
                fields[i] = ''
    return fields


def _values(buffer: Any, code: str) -> list[Any]:
    raw: Any = memoryview(buffer).cast('B')
    return raw.cast(code).tolist()


def _offset_text(seconds: int) -> str:
    sign = '-' if seconds < 0 else '+'
    hours, rest = divmod(abs(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    text = f'{sign}{hours:02d}:{minutes:02d}'
    return f'{text}:{secs:02d}' if secs else text


def _datetimes(per_second: int, digits: int, offsets: list[int] | None):
    days_seen: dict[int, str] = {}
    clocks_seen: dict[int, str] = {}
    offsets_seen: dict[int, str] = {}
    scale = 10**digits if digits > 0 else 1

    def day_of(days: int) -> str:
        text = days_seen[days] = date.fromordinal(days + _EPOCH_ORDINAL).isoformat()
        return text

    def clock_of(clock: int) -> str:
        hours, rest = divmod(clock, 3600)
        text = clocks_seen[clock] = f' {hours:02d}:{rest // 60:02d}:{rest % 60:02d}'
        return text

    def offset_of(offset: int) -> str:
        text = offsets_seen[offset] = _offset_text(offset)
        return text

    def format_values(values: list[int], start: int) -> list[str]:
        out: list[str] = []
        append = out.append
        for i, value in enumerate(values, start):
            if value == NAT:
                append('')
                continue
            seconds, fraction = divmod(value, per_second)
            days, clock = divmod(seconds, 86400)
            day = days_seen.get(days) or day_of(days)
            if digits < 0:
                append(day)
                continue
            text = day + (clocks_seen.get(clock) or clock_of(clock))
            if digits > 0:
                text += f'.{fraction * scale // per_second:0{digits}d}'
            if offsets is not None:
                text += offsets_seen.get(offsets[i]) or offset_of(offsets[i])
            append(text)
        return out

    return format_values


def _strings(items: list[Any], quote) -> list[str]:
    out = []
    for item in items:
        if item is None:
            out.append('')
        elif type(item) is str:
            out.append(quote(item))
        else:
            raise TypeError(f'a str column holds {type(item).__name__!r}, not str or None')
    return out


def _mask(buffer: Any) -> list[int] | None:
    return None if buffer is None else _values(buffer, 'B')


def _column(column: tuple, quote):
    """(number of values, a function of (start, stop) giving the fields of those rows)."""
    kind = column[0]
    if kind in ('i8', 'u8'):
        ints, mask = _values(column[1], 'q' if kind == 'i8' else 'Q'), _mask(column[2])
        return len(ints), lambda a, b: _masked(list(map(str, ints[a:b])), mask, a)
    if kind == 'f8':
        floats, mask = _values(column[1], 'd'), _mask(column[2])
        return len(floats), lambda a, b: _masked(['' if v != v else repr(v) for v in floats[a:b]], mask, a)
    if kind == 'b1':
        bools, mask = _values(column[1], 'B'), _mask(column[2])
        return len(bools), lambda a, b: _masked(['True' if v else 'False' for v in bools[a:b]], mask, a)
    if kind == 'str':
        items = column[1]
        for item in items:
            if item is not None and type(item) is not str:
                raise TypeError(f'a str column holds {type(item).__name__!r}, not str or None')
        return len(items), lambda a, b: _strings(items[a:b], quote)
    if kind == 'utf8':
        offsets, mask = _values(column[1], 'q'), _mask(column[3])
        data = bytes(memoryview(column[2]).cast('B'))

        def text(a: int, b: int) -> list[str]:
            found = [quote(data[offsets[i] : offsets[i + 1]].decode('utf-8', 'surrogatepass')) for i in range(a, b)]
            return _masked(found, mask, a)

        return len(offsets) - 1, text
    if kind == 'cat':
        codes, categories = _values(column[1], 'q'), _strings(column[2], quote)
        return len(codes), lambda a, b: [categories[code] if code >= 0 else '' for code in codes[a:b]]
    if kind == 'dt':
        stamps = _values(column[1], 'q')
        utc_offsets = None if column[4] is None else _values(column[4], 'q')
        format_values = _datetimes(column[2], column[3], utc_offsets)
        return len(stamps), lambda a, b: format_values(stamps[a:b], a)
    raise ValueError(f'unknown column kind {kind!r}')


def write_csv(file: Any, labels: list[str], columns: list[tuple], nrows: int, sep: str, quote_cr: bool) -> None:
    if len(sep) != 1 or sep in '"\r\n':
        raise ValueError(f'sep must be one character other than a quote or a line break, not {sep!r}')
    if len(labels) != len(columns):
        raise ValueError(f'{len(labels)} labels for {len(columns)} columns')
    quote = _quoter(sep, quote_cr)
    lone = len(columns) == 1

    def line(fields: list[str]) -> str:
        return '""' if lone and fields == [''] else sep.join(fields)

    header = _strings(labels, quote)
    prepared = [_column(column, quote) for column in columns]
    for count, _ in prepared:
        if count != nrows:
            raise ValueError(f'a column has {count} values, not {nrows}')
    file.write(line(header) + '\n')
    for start in range(0, nrows, CHUNK_ROWS):
        stop = min(start + CHUNK_ROWS, nrows)
        fields = [fields_of(start, stop) for _, fields_of in prepared]
        if lone:
            rows = ['""' if f == '' else f for f in fields[0]]
        else:
            rows = list(map(sep.join, zip(*fields, strict=True)))
        rows.append('')
        file.write('\n'.join(rows))
