"""dump() of a TaskOnKart[int]: the default output takes an int; a named output or a target takes anything."""

from typing import Any

import gokart
from gokart.target import TargetOnKart
from gokart.utils import FlattenableItems


class Count(gokart.TaskOnKart[int]):
    def run(self) -> None:
        self.dump(1)
        self.dump('one')  # E: call-overload
        self.dump(None)  # E: call-overload


class Pair(gokart.TaskOnKart[int]):
    def output(self) -> FlattenableItems[TargetOnKart]:
        return {'a': self.make_target('a.pkl'), 'b': self.make_target('b.txt')}

    def run(self) -> None:
        self.dump('text', target='b')
        self.dump([1, 2], target=self.make_target('c.pkl'))
        self.dump(3, custom_labels={'k': 'v'})
        self.dump('x', target=1)  # E: call-overload


class Untyped(gokart.TaskOnKart[Any]):
    def run(self) -> None:
        self.dump('anything')
