"""The compiled and pure twins are interchangeable: same names, signatures, bytes and errors."""

from __future__ import annotations

import importlib
import inspect
import json

import pytest
from hypothesis import given
from strategies import canonical_values, deps_lists, json_values

pytestmark = pytest.mark.c_extension


@pytest.fixture(scope='module')
def twins():
    return importlib.import_module('gokart_fastio._canonical_c'), importlib.import_module('gokart_fastio._canonical_py')


def _outcome(func, *args):
    try:
        return 'ok', func(*args)
    except Exception as exc:  # noqa: BLE001 - errors must match too
        return type(exc).__name__, str(exc)


def test_same_public_names(twins):
    c, py = twins
    assert set(c.__all__) == set(py.__all__)


def test_same_signatures(twins):
    c, py = twins
    for name in py.__all__:
        if callable(getattr(py, name)):
            assert inspect.signature(getattr(c, name)) == inspect.signature(getattr(py, name)), name
        else:
            assert getattr(c, name) == getattr(py, name), name


@given(deps=deps_lists)
def test_legacy_ids(twins, deps):
    c, py = twins
    assert _outcome(c.legacy_canonical, deps) == _outcome(py.legacy_canonical, deps)
    assert _outcome(c.legacy_id, deps) == _outcome(py.legacy_id, deps)


@given(value=json_values)
def test_serialize_json(twins, value):
    c, py = twins
    assert c.serialize_json(value) == py.serialize_json(value) == json.dumps(value)


@given(value=canonical_values)
def test_canonical_bytes_and_xxh3(twins, value):
    c, py = twins
    assert c.canonical_bytes(value) == py.canonical_bytes(value)
    assert c.xxh3_id(value) == py.xxh3_id(value)


@pytest.mark.parametrize('value', [{1, 2}, [[[{'k': object()}]]], {'k': 1j}, 2**64 + 0.5j])
def test_same_errors(twins, value):
    c, py = twins
    assert _outcome(c.canonical_bytes, value) == _outcome(py.canonical_bytes, value)
    assert _outcome(c.serialize_json, value) == _outcome(py.serialize_json, value)


def test_dispatcher_picks_the_compiled_twin(twins):
    import gokart_fastio

    assert gokart_fastio.IMPLEMENTATION == 'cython'
    assert gokart_fastio.canonical_bytes is twins[0].canonical_bytes
