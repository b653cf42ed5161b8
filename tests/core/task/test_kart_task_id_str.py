"""TaskOnKart.task_id comes from gokart._kart.identity.task_id_str, which must equal luigi's task_id_str
byte for byte (luigi's function is the reference; its constants are read from luigi at each call)."""

from __future__ import annotations

import json

import luigi
import luigi.task
import pytest
from hypothesis import given
from hypothesis import strategies as st

import gokart
from gokart._kart import identity
from gokart._kart.identity import task_id_str

_names = st.text(min_size=0, max_size=24)
_values = st.text(max_size=40)  # any code point: JSON escapes, non-ASCII, the summary's invalid characters


@given(family=st.text(max_size=30), params=st.dictionaries(_names, _values, max_size=6))
def test_equals_luigis_task_id_str(family, params):
    assert task_id_str(family, params) == luigi.task.task_id_str(family, params)


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)


@given(params=st.dictionaries(st.text(max_size=8), _json_values, max_size=5))
def test_canonical_json_of_any_values_is_json_dumps(params):
    # what an overridden to_str_params may hand over: nested or non-str values go to the encoder itself
    assert identity._canonical_json(params) == json.dumps(params, separators=(',', ':'), sort_keys=True)


@given(params=st.dictionaries(_names, _values, max_size=6))
def test_without_the_c_core_the_encoder_gives_the_same_text(params):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(identity, '_FLAT_ENCODER', None)
        assert task_id_str('Fam', params) == luigi.task.task_id_str('Fam', params)


def test_the_c_core_is_used_for_flat_str_dicts():
    assert identity._FLAT_ENCODER is not None  # CPython has it; the self-check accepted it


def test_luigis_constants_are_honoured(monkeypatch):
    params = {'alpha': 'a-long-value-of-many-characters', 'beta': 'b', 'gamma': 'c', 'delta': 'd'}
    monkeypatch.setattr(luigi.task, 'TASK_ID_TRUNCATE_HASH', 16)
    monkeypatch.setattr(luigi.task, 'TASK_ID_TRUNCATE_PARAMS', 4)
    monkeypatch.setattr(luigi.task, 'TASK_ID_INCLUDE_PARAMS', 2)
    expected = luigi.task.task_id_str('Fam', params)
    assert task_id_str('Fam', params) == expected
    assert expected.startswith('Fam_a_lo_b_') and len(expected.rsplit('_', 1)[1]) == 16


class TidPlain(gokart.TaskOnKart):
    x = luigi.IntParameter()
    secret = luigi.Parameter(default='s', visibility=luigi.parameter.ParameterVisibility.HIDDEN)
    ignored = luigi.Parameter(default='i', significant=False)


class TidOwnParams(gokart.TaskOnKart):
    x = luigi.IntParameter()

    def to_str_params(self, only_significant=False, only_public=False):
        params = super().to_str_params(only_significant, only_public)
        params['extra'] = 'from-override'
        return params


def test_task_id_uses_the_public_significant_params():
    task = TidPlain(x=3, secret='hidden', ignored='no')
    assert task.task_id == luigi.task.task_id_str('TidPlain', {'x': '3'})
    assert task.to_str_params(only_significant=True) == {'x': '3', 'secret': 'hidden'}


def test_task_id_asks_an_overridden_to_str_params():
    task = TidOwnParams(x=4)
    assert task.task_id == luigi.task.task_id_str('TidOwnParams', {'x': '4', 'extra': 'from-override'})


def test_a_circular_value_raises_the_encoders_error():
    params: dict = {'a': []}
    params['a'].append(params)
    with pytest.raises(ValueError, match='Circular reference detected'):
        identity._canonical_json(params)


def test_a_c_core_that_writes_other_text_is_not_used(monkeypatch):
    real = json.encoder.c_make_encoder

    def other_text(*args):
        core = real(*args)
        return lambda value, level: [text.replace(':', ': ') for text in core(value, level)]

    monkeypatch.setattr(json.encoder, 'c_make_encoder', other_text)
    assert identity._flat_encoder() is None
    monkeypatch.setattr(json.encoder, 'c_make_encoder', None)
    assert identity._flat_encoder() is None
    monkeypatch.setattr(json.encoder, 'c_make_encoder', real)
    assert identity._flat_encoder() is not None


class TidAllPublic(gokart.TaskOnKart):
    x = luigi.IntParameter()
    ignored = luigi.Parameter(default='i', significant=False)


def test_the_id_view_stands_in_only_when_every_id_parameter_is_public():
    task = TidPlain(x=5, secret='hidden')
    task.make_unique_id()  # makes the id view, which holds the hidden parameter
    assert task.to_str_params(only_significant=True) == {'x': '5', 'secret': 'hidden'}
    assert task.task_id == luigi.task.task_id_str('TidPlain', {'x': '5'})

    public = TidAllPublic(x=5)
    public.make_unique_id()
    state = public._kart
    assert identity._public_view(public) is state.views[(True, False)]
    assert public.task_id == luigi.task.task_id_str('TidAllPublic', {'x': '5'})


def test_a_value_outside_the_parameters_still_raises_as_to_str_params_does():
    task = TidAllPublic(x=6)
    task.make_unique_id()
    task.param_kwargs['bogus'] = 'b'
    with pytest.raises(KeyError):
        task.task_id  # noqa: B018
