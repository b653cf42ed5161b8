"""TaskOnKart.task_id comes from gokart._kart.identity.task_id_str, which must equal luigi's task_id_str
byte for byte (luigi's function is the reference; its constants are read from luigi at each call)."""

from __future__ import annotations

import luigi
import luigi.task
from hypothesis import given
from hypothesis import strategies as st

import gokart
from gokart._kart.identity import task_id_str

_names = st.text(min_size=0, max_size=24)
_values = st.text(max_size=40)  # any code point: JSON escapes, non-ASCII, the summary's invalid characters


@given(family=st.text(max_size=30), params=st.dictionaries(_names, _values, max_size=6))
def test_equals_luigis_task_id_str(family, params):
    assert task_id_str(family, params) == luigi.task.task_id_str(family, params)


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
