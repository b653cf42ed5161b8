"""A failed gokart.build(): GokartBuildError names the task and its exception and is chained from it (Q42)."""

from __future__ import annotations

import pickle
import traceback

import luigi
import pytest

import gokart
from gokart._notebook._failure import TaskRunError
from gokart.build import GokartBuildError


def _raise(message: str) -> None:
    raise KeyError(message)


class Fails(gokart.TaskOnKart):
    n = luigi.IntParameter(default=0)

    def run(self):
        _raise(f'missing {self.n}')


class NeedsFails(gokart.TaskOnKart):
    def requires(self):
        return Fails(n=7)

    def run(self):
        self.dump(1)


def test_one_worker_the_cause_is_the_exception_and_the_traceback_ends_in_user_code():
    with pytest.raises(GokartBuildError) as info:
        gokart.build(NeedsFails())
    error = info.value
    assert str(error).startswith(f"{Fails(n=7)} failed: KeyError: 'missing 7'\n")
    assert 'Luigi Execution Summary' in str(error)
    assert isinstance(error.__cause__, KeyError)
    frames = traceback.extract_tb(error.__traceback__)
    # build()'s own frame, then the user's run() and what it called; no engine frame
    assert [f.name for f in frames][-2:] == ['run', '_raise']
    assert not any('_engine' in f.filename for f in frames)
    # the cause keeps its whole traceback
    assert any('_runner' in f.filename for f in traceback.extract_tb(error.__cause__.__traceback__))


def test_several_workers_the_cause_carries_the_worker_traceback():
    with pytest.raises(GokartBuildError) as info:
        gokart.build(NeedsFails(), workers=2)
    error = info.value
    assert str(error).startswith(f"{Fails(n=7)} failed: KeyError: 'missing 7'\n")
    cause = error.__cause__
    assert isinstance(cause, TaskRunError)
    assert 'in _raise' in str(cause) and str(cause).rstrip().endswith("KeyError: 'missing 7'")


def test_the_error_still_pickles_without_its_cause():
    with pytest.raises(GokartBuildError) as info:
        gokart.build(Fails())
    restored = pickle.loads(pickle.dumps(info.value))
    assert type(restored) is GokartBuildError and str(restored) == str(info.value)
    assert list(restored.raised_exceptions) == [Fails().make_unique_id()]
