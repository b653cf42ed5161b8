"""A small task module written per test, importable by a fresh name so that no test sees another's classes."""

from __future__ import annotations

import itertools
import sys
import textwrap
from pathlib import Path

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The gokart command runs the same core in both legs: its tests run once, in the compiled leg."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.single_leg)


TASKS = """
import luigi

import gokart


class CliSource(gokart.TaskOnKart):
    size: int = luigi.IntParameter(default=3)

    def run(self):
        self.dump(list(range(self.size)))


class CliDouble(gokart.TaskOnKart):
    size: int = luigi.IntParameter(default=3)
    crash: bool = luigi.BoolParameter(default=False)

    def requires(self):
        return CliSource(size=self.size)

    def run(self):
        if self.crash:
            raise ValueError('boom')
        self.dump([x * 2 for x in self.load()])


class CliPair(gokart.TaskOnKart):
    def output(self):
        return {'left': self.make_target('pair/left.pkl'), 'right': self.make_target('pair/right.pkl')}

    def run(self):
        self.dump(1, 'left')
        self.dump(2, 'right')


class CliNeedsLabel(gokart.TaskOnKart):
    label: str = luigi.Parameter()


class CliPlainLuigi(luigi.Task):
    pass
"""

PIPELINE = """
import luigi

import gokart


class PipeRaw(luigi.ExternalTask):
    path: str = luigi.Parameter(default='raw.txt')

    def output(self):
        return luigi.LocalTarget(self.path)


class PipeLoad(gokart.TaskOnKart):
    n: int = luigi.IntParameter(default=2)

    def run(self):
        self.dump(list(range(self.n)))


class PipeScale(gokart.TaskOnKart):
    task_namespace = 'demo'
    src = gokart.TaskInstanceParameter()
    factor: int = luigi.IntParameter(default=2)

    def run(self):
        self.dump([x * self.factor for x in self.load('src')])


class PipeTotal(gokart.TaskOnKart):
    \"\"\"Sum of the scaled numbers.\"\"\"

    n: int = luigi.IntParameter(default=2, description='how many numbers')
    factor: int = luigi.IntParameter(default=2)

    def requires(self):
        return {'scaled': PipeScale(src=PipeLoad(n=self.n), factor=self.factor)}

    def run(self):
        self.dump(sum(self.load('scaled')))


class PipeParent(gokart.TaskOnKart):
    def requires(self):
        return PipeLoad()

    def run(self):
        self.dump(len(self.load()))


class PipeWithRaw(gokart.TaskOnKart):
    def requires(self):
        return {'raw': PipeRaw(), 'load': PipeLoad()}

    def run(self):
        self.dump(1)


class PipeHello(gokart.TaskOnKart):
    task_namespace = 'demo'

    def run(self):
        self.dump('hello')
"""

_counter = itertools.count()


@pytest.fixture
def write_module(tmp_path, monkeypatch):
    """write_module(source) -> name of a new module holding `source`, importable for this test only."""
    directory = tmp_path / 'modules'
    directory.mkdir()
    monkeypatch.syspath_prepend(str(directory))
    written: list[str] = []

    def write(source: str) -> str:
        name = f'cli_tasks_{next(_counter)}'
        (directory / f'{name}.py').write_text(textwrap.dedent(source))
        written.append(name)
        return name

    yield write
    for name in written:
        sys.modules.pop(name, None)


@pytest.fixture
def tasks(write_module):
    """Name of a module defining CliSource, CliDouble, CliPair, CliNeedsLabel and CliPlainLuigi (not imported yet)."""
    return write_module(TASKS)


@pytest.fixture
def pipeline(write_module):
    """Name of a module defining the Pipe* tasks: an external input, a namespace, a TaskInstanceParameter."""
    return write_module(PIPELINE)
