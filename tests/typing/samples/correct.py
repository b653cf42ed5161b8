"""A small, correctly typed pipeline: no errors under gokart 1.12.2 or ours."""

from typing import Any

import luigi

import gokart
from gokart.target import TargetOnKart
from gokart.utils import FlattenableItems


class Numbers(gokart.TaskOnKart[list[int]]):
    count: int = luigi.IntParameter(default=3)

    def run(self) -> None:
        self.dump(list(range(self.count)))


class Total(gokart.TaskOnKart[int]):
    numbers: Numbers = gokart.TaskInstanceParameter(expected_type=Numbers)

    def requires(self) -> Numbers:
        return self.numbers

    def run(self) -> None:
        values: list[int] = self.load(self.numbers)
        self.dump(sum(values))


class Report(gokart.TaskOnKart[str]):
    totals: list[gokart.TaskOnKart[int]] = gokart.ListTaskInstanceParameter()
    label: str = luigi.Parameter(default='total')

    def requires(self) -> FlattenableItems[gokart.TaskOnKart[Any]]:
        return tuple(self.totals)

    def output(self) -> FlattenableItems[TargetOnKart]:
        return {'text': self.make_target('report.txt'), 'raw': self.make_target('raw.pkl')}

    def run(self) -> None:
        grand: int = sum(self.load(self.totals))
        streamed: list[int] = list(self.load_generator(self.totals))
        self.dump(f'{self.label}: {grand}', target='text')
        self.dump(streamed, target='raw')


class Anything(gokart.TaskOnKart[Any]):
    def run(self) -> None:
        self.dump({'free': 'form'})


def main() -> None:
    numbers = Numbers(count=4)
    report = Report(totals=[Total(numbers=numbers)], workspace_directory='./resources/')
    gokart.build(report, return_value=False)
    total: int = gokart.build(Total(numbers=numbers))
    print(total)
