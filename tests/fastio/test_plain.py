"""plain_dumps: protocol-5 pickles of builtin plain data with a table of repeated strings instead of the
memo, loading to the graph pickle's own output loads to; refused (None) when a container is shared."""

from __future__ import annotations

import io
import json
import pickle
import pickletools
import sys
from collections import OrderedDict
from pathlib import Path

import dill
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import json_values

import gokart_fastio
from gokart_fastio import _plain

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / 'scripts'))
from gen_golden_fastio import value_of  # noqa: E402

PLAIN_VECTORS = json.loads((Path(__file__).parent / 'golden' / 'plain_pickles.json').read_text('utf-8'))['vectors']

SHARED_TEXT = 'shared ' * 10
SHARED_BYTES = b'shared bytes ' * 3
SHARED_LIST = [1, 2]
SHARED_DICT = {'k': 'v'}
SHARED_TUPLE = (1, 'two')
SELF: list = []
SELF.append(SELF)
DEEP: list = []
for _ in range(120):
    DEEP = [DEEP]


def _memo_free_pickle(value) -> bytes:
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, 5)
    pickler.fast = True
    pickler.dump(value)
    return buffer.getvalue()


def _sharing(value) -> list:
    """The aliasing of a loaded graph: for each str/bytes/container in walk order, the index of its first
    occurrence (so two graphs with the same list have the same sharing exactly when their objects alias alike)."""
    first: dict[int, int] = {}
    out: list = []
    stack = [value]
    while stack:
        item = stack.pop()
        if type(item) in (int, float, bool, type(None)) or item == ():
            continue
        out.append(first.setdefault(id(item), len(first)))
        if type(item) is dict:
            stack.extend(reversed([part for pair in item.items() for part in pair]))
        elif type(item) in (list, tuple):
            stack.extend(reversed(item))
    return out


@pytest.mark.parametrize(
    'value',
    [
        [SHARED_LIST, SHARED_LIST],
        {'a': SHARED_DICT, 'b': [SHARED_DICT]},
        [SHARED_TUPLE, SHARED_TUPLE],
        SELF,
        DEEP,
        [{1, 2}],
        OrderedDict(a=1),
        [object()],
        [bytearray(b'x')],
        [True, 1, SHARED_TEXT, frozenset()],
    ],
)
def test_refuses_what_must_take_the_memo_pickler(fastio_plain_impl, value):
    assert fastio_plain_impl.plain_dumps(value) is None


@pytest.mark.parametrize(
    'value',
    [
        {'a': [1, 2.5, None, True, 'x', b'y'], 'b': (1, ('t',))},
        {f'k{i}': f'v{i}' for i in range(1000)},
        'top-level str',
        3,
        [(), ()],  # the empty tuple is a singleton pickle never memoizes
        [tuple([f'{n}']) for n in (10, 10)],  # equal but distinct objects
        [99] * 120,
    ],
)
def test_without_repeated_strings_the_bytes_are_a_memo_free_c_pickle(fastio_plain_impl, value):
    assert fastio_plain_impl.plain_dumps(value) == _memo_free_pickle(value)


def test_repeated_strings_are_written_once_and_stay_one_object(fastio_plain_impl):
    value = [SHARED_TEXT, {SHARED_TEXT: [SHARED_BYTES, SHARED_BYTES]}, SHARED_TEXT]
    data = fastio_plain_impl.plain_dumps(value)
    assert data.count(SHARED_TEXT.encode()) == 1 and data.count(SHARED_BYTES) == 1
    ops = [op.name for op, _, _ in pickletools.genops(data)]
    assert ops.count('MEMOIZE') == 2 and ops.count('BINGET') == 3
    loaded = pickle.loads(data)
    assert loaded == value
    assert loaded[0] is loaded[2] is next(iter(loaded[1]))
    assert loaded[1][SHARED_TEXT][0] is loaded[1][SHARED_TEXT][1]


def test_memo_indexes_past_255_use_long_binget(fastio_plain_impl):
    texts = [f'text number {i}' for i in range(300)]
    data = fastio_plain_impl.plain_dumps(texts + texts)
    ops = [op.name for op, _, _ in pickletools.genops(data)]
    assert ops.count('BINGET') == 256 and ops.count('LONG_BINGET') == 44
    loaded = pickle.loads(data)
    assert loaded == texts + texts and all(loaded[i] is loaded[i + 300] for i in range(300))


def test_records_with_repeated_keys_are_smaller_than_pickle_writes_them(fastio_plain_impl):
    records = [{'id': i, 'name': f'user-{i}', 'tags': ['a', 'b'], 'ok': i % 3 == 0} for i in range(5000)]
    data = fastio_plain_impl.plain_dumps(records)
    assert len(data) < len(pickle.dumps(records, 5)) < len(_memo_free_pickle(records))
    assert pickle.loads(data) == records


@pytest.mark.parametrize('vector', PLAIN_VECTORS, ids=[v['expr'][:60] for v in PLAIN_VECTORS])
def test_golden_bytes(fastio_plain_impl, vector):
    value = value_of(vector['expr'])
    data = fastio_plain_impl.plain_dumps(value)
    assert (None if data is None else data.hex()) == vector['hex']
    if data is not None:
        for loader in (pickle.loads, dill.loads):
            loaded = loader(data)
            assert loaded == value and type(loaded) is type(value)
            assert _sharing(loaded) == _sharing(pickle.loads(pickle.dumps(value, 5)))


POOL = [SHARED_TEXT, 'tag', 'x' * 300, SHARED_BYTES, b'b', SHARED_LIST, SHARED_DICT, SHARED_TUPLE]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False),
    st.text(max_size=8),
    st.binary(max_size=8),
    st.sampled_from(POOL),  # the same objects again and again: repeated strings, shared containers
)
trees = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=6),
        st.lists(inner, max_size=4).map(tuple),
        st.dictionaries(st.one_of(st.text(max_size=4), st.sampled_from(POOL[:5]), st.integers()), inner, max_size=5),
    ),
    max_leaves=40,
)
shares_a_container = st.lists(trees, min_size=1, max_size=4).map(lambda items: items + items[:1])


def _shares_a_container(value) -> bool:
    seen: set[int] = set()
    stack = [value]
    while stack:
        item = stack.pop()
        if type(item) in (list, dict, tuple) and item != ():
            if id(item) in seen:
                return True
            seen.add(id(item))
            stack.extend([*item.keys(), *item.values()] if type(item) is dict else item)
    return False


@settings(max_examples=300)
@given(value=st.one_of(trees, shares_a_container, json_values.filter(lambda v: pickle.loads(pickle.dumps(v)) == v)))
def test_loads_to_pickles_own_graph_or_refuses(fastio_plain_impl, value):
    data = fastio_plain_impl.plain_dumps(value)
    assert (data is None) is _shares_a_container(value)
    if data is None:
        return
    reference = pickle.loads(pickle.dumps(value, 5))
    for loaded in (pickle.loads(data), dill.loads(data), gokart_fastio.loads(data)):
        assert loaded == value and type(loaded) is type(value)
        assert _sharing(loaded) == _sharing(reference)
    assert len(data) <= len(pickle.dumps(value, 5))


@pytest.mark.c_extension
@settings(max_examples=300)
@given(value=st.one_of(trees, shares_a_container, json_values))
def test_twins_write_identical_bytes(value):
    from gokart_fastio import _plain_c, _plain_py

    assert _plain_c.plain_dumps(value) == _plain_py.plain_dumps(value)


@pytest.mark.c_extension
def test_twins_agree_on_large_frames_and_batches():
    from gokart_fastio import _plain_c, _plain_py

    value = {f'k{i}': (i, -i, i * 0.5, 2**70 + i, -(2**40), None, True, b'b', (), 'x' * (i % 300)) for i in range(6000)}
    value['big'] = ['y' * 70000, b'z' * 70000, SHARED_TEXT, SHARED_TEXT]
    assert _plain_c.plain_dumps(value) == _plain_py.plain_dumps(value)


def test_dumps_uses_the_writer_only_with_the_compiled_twin():
    value = {f'key_{i}': [i, i * 0.5, 'repeated', None, (True, bytes([i % 256, 0]))] for i in range(300)}
    data = gokart_fastio.dumps(value)
    assert (data == _plain.plain_dumps(value)) is _plain.MEMO_FREE_DUMPS
    assert (data == pickle.dumps(value, 5)) is not _plain.MEMO_FREE_DUMPS
    for loader in (pickle.loads, dill.loads, gokart_fastio.loads):
        assert loader(data) == value


def test_shared_containers_stay_shared_after_a_round_trip():
    inner = ['one list']
    loaded = gokart_fastio.loads(gokart_fastio.dumps({'a': inner, 'b': inner}))
    assert loaded['a'] is loaded['b']
