"""load_generator(): a list[TaskOnKart[K]] yields K; names, targets and None yield Any."""

from typing_extensions import reveal_type

import gokart


class Number(gokart.TaskOnKart[int]):
    def run(self) -> None:
        self.dump(1)


class Sum(gokart.TaskOnKart[int]):
    numbers: list[gokart.TaskOnKart[int]] = gokart.ListTaskInstanceParameter()
    number: Number = gokart.TaskInstanceParameter(expected_type=Number)

    def run(self) -> None:
        reveal_type(self.load_generator(self.numbers))  # R: typing.Generator[int, None, None]
        reveal_type(self.load_generator())  # R: typing.Generator[Any, None, None]
        reveal_type(self.load_generator('numbers'))  # R: typing.Generator[Any, None, None]
        # A single task matches no overload of load_generator (load() takes it).
        self.load_generator(self.number)  # E: call-overload
        self.dump(sum(self.load_generator(self.numbers)))
