"""load(): a TaskOnKart[K] loads as K, a list[TaskOnKart[K]] as list[K]; names, targets and None as Any."""

from typing import Any

from typing_extensions import reveal_type

import gokart
from gokart.target import TargetOnKart
from gokart.utils import FlattenableItems


class Number(gokart.TaskOnKart[int]):
    def run(self) -> None:
        self.dump(1)


class Word(gokart.TaskOnKart[str]):
    def run(self) -> None:
        self.dump('w')


class Loader(gokart.TaskOnKart[str]):
    number: Number = gokart.TaskInstanceParameter(expected_type=Number)
    word: Word = gokart.TaskInstanceParameter(expected_type=Word)
    numbers: list[gokart.TaskOnKart[int]] = gokart.ListTaskInstanceParameter()
    subclassed: list[Number] = gokart.ListTaskInstanceParameter(expected_elements_type=Number)

    def requires(self) -> FlattenableItems[gokart.TaskOnKart[Any]]:
        return {'number': self.number}

    def run(self) -> None:
        reveal_type(self.load(self.number))  # R: int
        reveal_type(self.load(self.word))  # R: str
        reveal_type(self.load(self.numbers))  # R: list[int]
        reveal_type(self.load([self.number, self.number]))  # R: list[int]
        reveal_type(self.load('number'))  # R: Any
        reveal_type(self.load())  # R: Any
        reveal_type(self.load(self.make_target('x.pkl')))  # R: Any
        # A dict of tasks matches no overload (at run time load() would look its keys up in input()).
        self.load({'n': self.number})  # E: call-overload
        # list is invariant: a list[Number] is not a list[TaskOnKart[int]].
        self.load(self.subclassed)  # E: arg-type
        self.load(1)  # E: call-overload
        total: int = self.load(self.number) + 1
        text: str = self.load(self.number)  # E: assignment
        self.dump(self.load(self.word) + str(total) + text)


def load_outside(task: Loader, target: TargetOnKart) -> None:
    reveal_type(task.load(target))  # R: Any
