"""legacy_canonical / legacy_id: gokart 1.12.2's md5 over str(deps), with the input checked first."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from strategies import deps_lists


@given(deps=deps_lists)
def test_legacy_canonical_is_str_of_the_list(fastio_impl, deps):
    assert fastio_impl.legacy_canonical(deps) == str(deps)


@given(deps=deps_lists)
def test_legacy_id_is_md5_of_the_utf8_repr(fastio_impl, deps):
    if any(0xD800 <= ord(c) <= 0xDFFF for c in str(deps)):
        with pytest.raises(UnicodeEncodeError):  # gokart itself cannot hash a lone surrogate either
            fastio_impl.legacy_id(deps)
    else:
        assert fastio_impl.legacy_id(deps) == hashlib.md5(str(deps).encode('utf-8')).hexdigest()


def test_quotes_and_non_ascii_use_python_repr(fastio_impl):
    deps = [{'o': "it's", 's': 'a "q" \\ \n'}, '日本']
    assert fastio_impl.legacy_canonical(deps) == """[{'o': "it's", 's': 'a "q" \\\\ \\n'}, '日本']"""


@pytest.mark.parametrize(
    ('deps', 'message'),
    [
        (('a',), 'deps must be a list, not tuple'),
        (['a', 3], r'deps\[1\] must be str or dict\[str, str\], not int'),
        ([None], r'deps\[0\] must be str or dict\[str, str\], not NoneType'),
        (['a', {'x': '1', 2: 'y'}], r'deps\[1\] has a key of type int: 2; keys must be str'),
        ([{'x': 1}], r"deps\[0\]\['x'\] must be str, not int"),
        ([{'x': ['1']}], r"deps\[0\]\['x'\] must be str, not list"),
    ],
)
def test_bad_input_names_the_offending_element(fastio_impl, deps, message):
    with pytest.raises(TypeError, match=message):
        fastio_impl.legacy_canonical(deps)
    with pytest.raises(TypeError, match=message):
        fastio_impl.legacy_id(deps)
