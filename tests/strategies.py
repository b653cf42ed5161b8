"""Hypothesis strategies shared by the fastio tests: task dependency lists, JSON-able parameter values and
everything canonical_bytes accepts."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import timedelta, timezone

from hypothesis import strategies as st

# Every code point, lone surrogates included: str() and json must escape them identically in both twins.
any_text = st.text(st.characters(exclude_categories=()), max_size=40)
# Text that tends to need escaping in repr/json: quotes, backslashes, controls, non-ASCII.
tricky_text = st.text(
    st.sampled_from(['a', "'", '"', '\\', '\n', '\t', '\x00', '\x7f', 'é', '日', '\U0001f600', '\ud800']), max_size=12
)
texts = st.one_of(any_text, tricky_text)

deps_lists = st.lists(st.one_of(texts, st.dictionaries(texts, texts, max_size=6)), max_size=8)

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(allow_nan=True, allow_infinity=True),
    texts,
)
json_keys = st.one_of(texts, st.integers(), st.floats(), st.booleans(), st.none())
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5),
        st.lists(inner, max_size=5).map(tuple),
        st.dictionaries(texts, inner, max_size=5),
        st.dictionaries(json_keys, inner, max_size=4),
    ),
    max_leaves=30,
)

fixed_offsets = st.integers(min_value=-(24 * 60 - 1), max_value=24 * 60 - 1).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)
canonical_scalars = st.one_of(
    json_scalars,
    st.binary(max_size=40),
    st.dates(),
    st.datetimes(),
    st.datetimes(timezones=fixed_offsets),
    st.timedeltas(),
)
hashable_keys = st.one_of(
    texts,
    st.integers(),
    st.floats(allow_nan=False),
    st.booleans(),
    st.none(),
    st.binary(max_size=8),
    st.dates(),
    st.tuples(st.integers(), texts),
)
canonical_values = st.recursive(
    canonical_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5),
        st.lists(inner, max_size=5).map(tuple),
        st.dictionaries(hashable_keys, inner, max_size=5),
    ),
    max_leaves=30,
)


def _encodable(text: str) -> bool:
    return not any(0xD800 <= ord(c) <= 0xDFFF for c in text)


utf8_texts = texts.filter(_encodable)
# Plain data that survives a .msgpack round trip unchanged (no tuples, no NaN, keys msgpack can hash back).
msgpack_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=False),
        utf8_texts,
        st.binary(max_size=40),
        st.dates(),
        st.datetimes(),
        st.datetimes(timezones=fixed_offsets),
        st.timedeltas(),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=5),
        st.dictionaries(st.one_of(utf8_texts, st.integers()), inner, max_size=5),
    ),
    max_leaves=30,
)


class ReadOnlyMapping(Mapping):
    """A Mapping that is not a dict, like luigi's FrozenOrderedDict."""

    def __init__(self, data: dict) -> None:
        self._data = dict(data)

    def __getitem__(self, key: object) -> object:
        return self._data[key]

    def __iter__(self) -> Iterator[object]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)
