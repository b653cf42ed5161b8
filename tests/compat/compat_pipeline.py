"""A small pipeline built by both implementations in one workspace (test_pipeline_reuse.py).

Every run() appends its task family to ./runs.log, so a rerun of a cached task is visible. Imported as the
top-level module `compat_pipeline` by both interpreters, so outputs land in resources/compat_pipeline/.
"""

from __future__ import annotations

import luigi
import pandas as pd

import gokart

RUNS_LOG = 'runs.log'


def _note_run(task: luigi.Task) -> None:
    with open(RUNS_LOG, 'a', encoding='utf-8') as f:
        f.write(task.get_task_family() + '\n')


class Source(gokart.TaskOnKart[pd.DataFrame]):
    task_namespace = 'compat'
    n = luigi.IntParameter(default=4)

    def output(self):
        return self.make_target('compat/source.csv')

    def run(self):
        _note_run(self)
        self.dump(pd.DataFrame({'k': range(self.n), 'v': [i * 1.5 for i in range(self.n)]}))


class Double(gokart.TaskOnKart[pd.DataFrame]):
    task_namespace = 'compat'
    src = gokart.TaskInstanceParameter()

    def run(self):
        _note_run(self)
        df = self.load('src')  # the default requires() is a dict keyed by parameter name
        self.dump(df.assign(v=df['v'] * 2))


class Label(gokart.TaskOnKart[str]):
    task_namespace = 'compat'
    text = luigi.Parameter(default='héllo')

    def run(self):
        _note_run(self)
        self.dump(self.text.upper())


class Combine(gokart.TaskOnKart[pd.DataFrame]):
    task_namespace = 'compat'
    doubled = gokart.TaskInstanceParameter()
    factor = luigi.FloatParameter(default=0.5)

    def requires(self):
        return {'doubled': self.doubled, 'label': Label()}

    def run(self):
        _note_run(self)
        df = self.load('doubled')
        self.dump(df.assign(v=df['v'] * self.factor, label=self.load('label')))


class Report(gokart.TaskOnKart[pd.DataFrame]):
    task_namespace = 'compat'
    combined = gokart.TaskInstanceParameter()
    extras = gokart.ListTaskInstanceParameter(default=[])

    def output(self):
        return {'table': self.make_target('compat/report.csv'), 'total': self.make_target('compat/total.pkl')}

    def run(self):
        _note_run(self)
        df = self.load('combined')
        self.dump(df, 'table')
        self.dump(float(df['v'].sum()), 'total')


def final_task() -> Report:
    return Report(combined=Combine(doubled=Double(src=Source(n=5))), extras=[Label(text='x')])


TASK_COUNT = 6  # Source, Double, Label(default), Label(x), Combine, Report
