"""is_plain_tree: when dumps() may pickle without a memo (nothing shared, nothing but builtin plain data)."""

from __future__ import annotations

import pickle
import pickletools
from collections import OrderedDict

import dill
import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import json_values

import gokart_fastio
from gokart_fastio import _plain

SHARED_TEXT = 'shared ' * 10
SHARED_LIST = [1, 2]
SELF: list = []
SELF.append(SELF)
DEEP: list = []
for _ in range(120):
    DEEP = [DEEP]


@pytest.mark.parametrize(
    ('value', 'expected'),
    [
        ({'a': [1, 2.5, None, True, 'x', b'y'], 'b': (1, ('t',))}, True),
        ({f'k{i}': f'v{i}' for i in range(1000)}, True),
        ('top-level str', True),
        (3, True),
        ([SHARED_TEXT, SHARED_TEXT], False),  # pickle's memo would keep one str object
        ({SHARED_TEXT: SHARED_TEXT}, False),
        ([SHARED_LIST, SHARED_LIST], False),
        ([(), ()], True),  # the empty tuple is a singleton pickle never memoizes
        ([tuple([f'{n}']) for n in (10, 10)], True),  # equal but distinct objects
        (SELF, False),
        (DEEP, False),
        ([{1, 2}], False),
        (OrderedDict(a=1), False),
        ([object()], False),
    ],
)
def test_answers(fastio_plain_impl, value, expected):
    assert fastio_plain_impl.is_plain_tree(value) is expected


def _memo_gets(value) -> int:
    return sum(op.name.endswith('GET') for op, _, _ in pickletools.genops(pickle.dumps(value, 5)))


@given(value=st.one_of(json_values, st.lists(json_values).map(lambda items: items + items[::2])))
def test_plain_exactly_when_pickle_never_reuses_a_memoized_object(fastio_plain_impl, value):
    # Interned strings ('' and one-character text) are shared objects too: pickle's memo sees them as repeats.
    assert fastio_plain_impl.is_plain_tree(value) is (_memo_gets(value) == 0)


def test_memo_free_dumps_load_to_the_same_value_everywhere():
    value = {f'key_{i}': [i, i * 0.5, f'value_{i}', None, (True, bytes([i % 256, 0]))] for i in range(300)}
    data = gokart_fastio.dumps(value)
    opcodes = {op.name for op, _, _ in pickletools.genops(data)}
    assert ('MEMOIZE' not in opcodes) is _plain.MEMO_FREE_DUMPS
    for loader in (pickle.loads, dill.loads, gokart_fastio.loads):
        assert loader(data) == value


def test_shared_objects_stay_shared_after_a_round_trip():
    inner = ['one list']
    loaded = gokart_fastio.loads(gokart_fastio.dumps({'a': inner, 'b': inner}))
    assert loaded['a'] is loaded['b']


@pytest.mark.c_extension
@given(value=st.one_of(json_values, st.lists(json_values).map(lambda items: items + items)))
def test_twins_agree(value):
    from gokart_fastio import _plain_c, _plain_py

    assert _plain_c.is_plain_tree(value) is _plain_py.is_plain_tree(value)
