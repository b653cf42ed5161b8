"""Compare DataFrames by content, ignoring row and column order."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gokart._lazy import LazyModule

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = LazyModule('pandas', globals(), 'pd')

__all__ = ['assert_frame_contents_equal']


def assert_frame_contents_equal(actual: pd.DataFrame, expected: pd.DataFrame, **kwargs: Any) -> None:
    """Assert both frames hold the same labelled cells; `kwargs` go to `pandas.testing.assert_frame_equal`."""
    for name, frame in (('actual', actual), ('expected', expected)):
        assert isinstance(frame, pd.DataFrame), f'{name} is not a DataFrame'
    # Reordering by label is only well defined when labels are unique.
    for name, frame in (('actual', actual), ('expected', expected)):
        assert frame.index.is_unique, f'{name} index is not unique'
        assert frame.columns.is_unique, f'{name} columns is not unique'
    assert set(actual.columns) == set(expected.columns), 'columns are not equal'
    assert set(actual.index) == set(expected.index), 'indexes are not equal'
    pd.testing.assert_frame_equal(actual, expected.loc[actual.index, actual.columns], **kwargs)
