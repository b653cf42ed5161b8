"""A run() that writes nothing: a root succeeds with one warning (as gokart 1.12.2); a needed output fails fast."""

import warnings

import luigi
import pytest

import gokart
from gokart.build import GokartBuildError, WorkerSchedulerFactory
from gokart.errors import OutputNotWrittenWarning, TaskOutputMissingError


class ForgetfulSource(gokart.TaskOnKart):
    def run(self):
        pass


class ForgetfulConsumer(gokart.TaskOnKart):
    ran = []

    def requires(self):
        return ForgetfulSource()

    def run(self):
        self.ran.append(True)
        self.dump(self.load())


class Aggregator(gokart.TaskOnKart):
    """Only requires(): luigi's Task.run does nothing, so nothing is written."""

    def requires(self):
        return ForgetfulWriterLeaf()


class ForgetfulWriterLeaf(gokart.TaskOnKart):
    def run(self):
        self.dump('leaf')


def _build_collecting_warnings(task, **kwargs):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        result = gokart.build(task, reset_register=False, **kwargs)
    return result, [w for w in caught if issubclass(w.category, OutputNotWrittenWarning)]


@pytest.mark.parametrize('task_class', [ForgetfulSource, Aggregator])
def test_a_root_that_writes_nothing_succeeds_with_one_warning(task_class):
    task = task_class()
    result, caught = _build_collecting_warnings(task, return_value=False)
    assert result is None
    assert len(caught) == 1
    message = str(caught[0].message)
    assert repr(task) in message and task.output().path() in message
    assert caught[0].filename == __file__  # it points at the task's class, not at gokart's engine


def test_loading_the_output_of_such_a_root_fails_as_in_gokart_1_12_2():
    with pytest.raises(FileNotFoundError, match='ForgetfulSource_'):
        _build_collecting_warnings(ForgetfulSource())


@pytest.mark.parametrize('workers', [1, 2])
def test_a_needed_output_fails_its_task_and_the_dependent_never_runs(workers):
    ForgetfulConsumer.ran.clear()
    source = ForgetfulSource()
    with pytest.raises(GokartBuildError) as info:
        gokart.build(ForgetfulConsumer(), reset_register=False, workers=workers)
    assert ForgetfulConsumer.ran == []
    assert 'ForgetfulSource' in str(info.value)
    if workers == 1:  # a forked child's exception does not reach the parent (docs/compat.md, Q7)
        [errors] = info.value.raised_exceptions.values()
        assert isinstance(errors[0], TaskOutputMissingError)
        assert repr(source) in str(errors[0]) and source.output().path() in str(errors[0])


def _luigi_build_with_gokart_worker(task):
    events = []
    handler = gokart.TaskOnKart.event_handler(luigi.Event.FAILURE)(lambda t, exc: events.append(exc))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter('ignore', OutputNotWrittenWarning)
            ok = luigi.build(
                [task], worker_scheduler_factory=WorkerSchedulerFactory(), local_scheduler=True, log_level='CRITICAL'
            )
    finally:
        gokart.TaskOnKart.remove_event_handler(luigi.Event.FAILURE, handler)
    return ok, events


def test_gokart_luigi_worker_lets_a_root_succeed():
    ok, events = _luigi_build_with_gokart_worker(ForgetfulSource())
    assert ok is True and events == []


def test_gokart_luigi_worker_fails_a_needed_output():
    ok, events = _luigi_build_with_gokart_worker(ForgetfulConsumer())
    assert ok is False
    assert len(events) == 1 and isinstance(events[0], TaskOutputMissingError)
