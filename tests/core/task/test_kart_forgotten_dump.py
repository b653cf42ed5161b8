"""A run() that forgets self.dump() fails its own task with an error naming the task and the missing file."""

import luigi
import pytest

import gokart
from gokart.build import GokartBuildError, WorkerSchedulerFactory
from gokart.errors import TaskOutputMissingError


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


def test_build_reports_the_task_and_the_missing_output():
    task = ForgetfulSource()
    with pytest.raises(GokartBuildError) as info:
        gokart.build(task, reset_register=False)
    [errors] = info.value.raised_exceptions.values()
    assert isinstance(errors[0], TaskOutputMissingError)
    assert repr(task) in str(errors[0])
    assert task.output().path() in str(errors[0])


def test_dependents_do_not_run_after_a_forgotten_dump():
    ForgetfulConsumer.ran.clear()
    with pytest.raises(GokartBuildError):
        gokart.build(ForgetfulConsumer(), reset_register=False)
    assert ForgetfulConsumer.ran == []


def test_gokart_luigi_worker_fails_the_task_too():
    events = []
    ForgetfulSource.event_handler(luigi.Event.FAILURE)(lambda task, exc: events.append(exc))
    try:
        ok = luigi.build(
            [ForgetfulSource()],
            worker_scheduler_factory=WorkerSchedulerFactory(),
            local_scheduler=True,
            log_level='CRITICAL',
        )
    finally:
        ForgetfulSource._event_callbacks[ForgetfulSource][luigi.Event.FAILURE].clear()
    assert ok is False
    assert len(events) == 1 and isinstance(events[0], TaskOutputMissingError)
