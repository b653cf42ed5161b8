"""gokart.testing: assert_frame_contents_equal and the test-run helpers."""

from __future__ import annotations

import logging

import luigi
import pandas as pd
import pytest

import gokart
from gokart.testing import assert_frame_contents_equal, test_run, try_to_run_test_for_empty_data_frame
from gokart.testing.check_if_run_with_empty_data_frame import _get_all_tasks, _strip_test_run_options

FRAME = pd.DataFrame({'a': [1, 2], 'b': [3, 4]}, index=[10, 20])


def test_frames_equal_up_to_row_and_column_order():
    assert_frame_contents_equal(FRAME, FRAME.iloc[::-1][['b', 'a']])


@pytest.mark.parametrize(
    ('actual', 'expected', 'message'),
    [
        ([1], FRAME, 'actual is not a DataFrame'),
        (FRAME, [1], 'expected is not a DataFrame'),
        (pd.DataFrame({'a': [1, 2]}, index=[0, 0]), FRAME, 'actual index is not unique'),
        (FRAME, pd.DataFrame({'a': [1, 2]}, index=[0, 0]), 'expected index is not unique'),
        (pd.DataFrame([[1, 2]], columns=['a', 'a']), FRAME, 'actual columns is not unique'),
        (FRAME, pd.DataFrame([[1, 2]], columns=['a', 'a']), 'expected columns is not unique'),
        (FRAME, FRAME[['a']], 'columns are not equal'),
        (FRAME, FRAME.iloc[:1], 'indexes are not equal'),
    ],
)
def test_frame_shape_mismatches(actual, expected, message):
    with pytest.raises(AssertionError, match=message):
        assert_frame_contents_equal(actual, expected)


def test_values_and_kwargs_reach_pandas():
    with pytest.raises(AssertionError, match='dtype'):
        assert_frame_contents_equal(FRAME, FRAME.astype(float))
    assert_frame_contents_equal(FRAME, FRAME.astype(float), check_dtype=False)
    with pytest.raises(AssertionError):
        assert_frame_contents_equal(FRAME, FRAME.assign(a=[1, 5]))


@pytest.mark.parametrize(
    ('args', 'expected'),
    [
        (['T', '--test-run-pandas', '--x=1'], ['T', '--x=1']),
        (['T', '--test-run-pandas', '--test-run-namespace=ns'], ['T']),
        (['T', '--test-run-namespace', 'ns', '--x', '1'], ['T', '--x', '1']),
    ],
)
def test_test_run_options_are_stripped(args, expected):
    assert _strip_test_run_options(args) == expected


def test_test_run_options_parse_from_the_command_line():
    with luigi.cmdline_parser.CmdlineParser.global_instance(
        ['HelperLeaf', '--test-run-pandas', '--test-run-namespace=ns']
    ):
        params = test_run()
    assert params.pandas is True and params.namespace == 'ns'
    assert gokart.test_run is test_run


class HelperLeaf(gokart.TaskOnKart):
    def run(self):
        self.dump(1)


class HelperMid(gokart.TaskOnKart):
    def requires(self):
        return {'leaf': HelperLeaf()}


class HelperTop(gokart.TaskOnKart):
    def requires(self):
        return [HelperMid(), HelperLeaf()]


def test_all_tasks_are_listed_depth_first_once_per_path():
    assert [type(t).__name__ for t in _get_all_tasks(HelperTop())] == [
        'HelperTop',
        'HelperMid',
        'HelperLeaf',
        'HelperLeaf',
    ]


def test_without_test_run_pandas_nothing_happens(caplog):
    caplog.set_level(logging.INFO)
    assert try_to_run_test_for_empty_data_frame(['HelperLeaf', '--local-scheduler']) is None
    assert not HelperLeaf().complete()
    assert 'gokart test results' not in caplog.text
