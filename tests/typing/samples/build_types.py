"""gokart.build() returns what the task's output holds (None with return_value=False)."""

from typing_extensions import reveal_type

import gokart


class Number(gokart.TaskOnKart[int]):
    def run(self) -> None:
        self.dump(1)


def main(flag: bool) -> None:
    reveal_type(gokart.build(Number()))  # R: int
    reveal_type(gokart.build(Number(), return_value=False))  # R: None
    reveal_type(gokart.build(Number(), log_level=10, workers=2))  # R: int
    text: str = gokart.build(Number())  # E: assignment
    print(text)
    gokart.build(Number(), return_value=flag)  # E: call-overload
