"""output() is evaluated once per build session and per task, and afresh in every other session, outside
any session and for plain luigi tasks (gokart._kart.session.outputs_of)."""

from __future__ import annotations

import luigi

import gokart
from gokart._kart.session import build_session, outputs_of

calls: list[str] = []


class CountedOutput(gokart.TaskOnKart):
    i = luigi.IntParameter()

    def output(self):
        calls.append(f'kart {self.i}')
        return self.make_target(f'counted_{self.i}.pkl')

    def run(self):
        self.dump(self.i)


class CountedRoot(gokart.TaskOnKart):
    def requires(self):
        return [CountedOutput(i=i) for i in range(3)]

    def output(self):
        calls.append('root')
        return self.make_target('counted_root.pkl')

    def run(self):
        self.dump(sum(self.load()))


class PlainOutput(luigi.Task):
    def output(self):
        calls.append('plain')
        return luigi.LocalTarget('unused')


def test_a_build_asks_each_output_once_and_the_next_build_asks_again(tmp_path):
    calls.clear()
    assert gokart.build(CountedRoot(workspace_directory=str(tmp_path))) == 3
    assert sorted(calls) == ['kart 0', 'kart 1', 'kart 2', 'root']
    calls.clear()
    assert gokart.build(CountedRoot(workspace_directory=str(tmp_path))) == 3
    assert calls == ['root']  # complete now: its dependencies are not asked


def test_outside_a_session_in_a_new_session_and_for_plain_tasks_output_is_asked_again(tmp_path):
    task = CountedOutput(i=7, workspace_directory=str(tmp_path))
    calls.clear()
    outputs_of(task)
    outputs_of(task)
    assert calls == ['kart 7', 'kart 7']
    calls.clear()
    with build_session():
        outputs_of(task)
        outputs_of(task)
        outputs_of(PlainOutput())
        outputs_of(PlainOutput())
    with build_session():
        outputs_of(task)
        outputs_of(task)
    assert calls == ['kart 7', 'plain', 'plain', 'kart 7']
