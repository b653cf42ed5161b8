import datetime

import luigi
import numpy as np
import pandas as pd
import pytest

from gokart.errors import PandasTypeError
from gokart.pandas_type_config import PandasTypeConfig, PandasTypeConfigMap


def _config(types, namespace=None):
    class Typed(PandasTypeConfig):
        task_namespace = namespace

        @classmethod
        def type_dict(cls):
            return types

    return Typed


def test_first_offending_value_is_reported():
    config = _config({'a': int, 'b': str})
    with pytest.raises(PandasTypeError) as e:
        config.check(pd.DataFrame({'a': [1, 2], 'b': ['s', 3]}))
    assert str(e.value) == 'expected type is "<class \'str\'>", but "<class \'int\'>" is passed in column "b".'


@pytest.mark.parametrize(
    ('values', 'expected'),
    [
        (np.array([1, 2], dtype=np.int32), int),  # numpy scalars are boxed to Python ones
        ([1.5], float),
        ([True], int),
        (pd.to_datetime(['2020-01-01']), datetime.datetime),
    ],
)
def test_boxed_values_pass(values, expected):
    _config({'a': expected}).check(pd.DataFrame({'a': values}))


def test_missing_values_are_floats():
    with pytest.raises(PandasTypeError, match='"<class \'float\'>" is passed in column "a"'):
        _config({'a': str}).check(pd.DataFrame({'a': ['x', None]}))


def test_missing_columns_are_ignored():
    _config({'zzz': int}).check(pd.DataFrame({'a': ['x']}))


def test_type_dict_is_abstract():
    class Untyped(PandasTypeConfig):
        pass

    with pytest.raises(TypeError):
        Untyped()


def test_map_checks_only_data_frames_of_mapped_namespaces():
    _config({'a': int}, namespace='typed_ns')
    type_map = PandasTypeConfigMap()
    assert PandasTypeConfigMap() is type_map  # luigi's instance cache: built once
    bad = pd.DataFrame({'a': ['x']})
    type_map.check(bad, task_namespace='other_ns')
    type_map.check(['x'], task_namespace='typed_ns')
    with pytest.raises(PandasTypeError):
        type_map.check(bad, task_namespace='typed_ns')


def test_is_a_luigi_config():
    assert issubclass(PandasTypeConfig, luigi.Config)
    assert issubclass(PandasTypeConfigMap, luigi.Config)
