"""TaskInstanceParameter and ListTaskInstanceParameter are generic over the task type; task keywords are typed."""

import luigi
from typing_extensions import reveal_type

import gokart


class Number(gokart.TaskOnKart[int]):
    n: int = luigi.IntParameter(default=1)

    def run(self) -> None:
        self.dump(self.n)


class Word(gokart.TaskOnKart[str]):
    def run(self) -> None:
        self.dump('w')


class Uses(gokart.TaskOnKart[int]):
    typed: Number = gokart.TaskInstanceParameter(expected_type=Number)
    typed_list: list[Number] = gokart.ListTaskInstanceParameter(expected_elements_type=Number)
    untyped = gokart.TaskInstanceParameter(expected_type=Number)
    with_default = gokart.TaskInstanceParameter(expected_type=Number, default=Number(), significant=False)
    list_default = gokart.ListTaskInstanceParameter(expected_elements_type=Number, default=[Number()])

    def run(self) -> None:
        reveal_type(self.typed)  # R: task_parameter_types.Number
        reveal_type(self.typed.n)  # R: int
        reveal_type(self.typed_list)  # R: list[task_parameter_types.Number]
        reveal_type(self.untyped)  # R: Any
        reveal_type(self.load(self.typed))  # R: int
        reveal_type(self.workspace_directory)  # R: str
        reveal_type(self.rerun)  # R: bool
        reveal_type(self.redis_host)  # R: str | None
        reveal_type(self.redis_port)  # R: int | None
        reveal_type(self.fix_random_seed_methods)  # R: tuple[str, ...]
        reveal_type(self.fail_on_empty_dump)  # R: bool
        self.dump(self.load(self.typed))


# The plugin types a parameter call as its default (Any without one); its arguments are still checked.
reveal_type(gokart.TaskInstanceParameter(expected_type=Number))  # R: Any
gokart.TaskInstanceParameter(expected_type=Number, default=1)  # E: arg-type
gokart.TaskInstanceParameter(expected_type=Word, default=Word(), description='a word', significant=True)
gokart.TaskInstanceParameter(expected_type=Number, description=1)  # E: arg-type
gokart.TaskInstanceParameter(expected_type=Number, is_global=True)  # E: call-arg
gokart.ListTaskInstanceParameter(expected_elements_type=Number, default=(Number(),))  # E: arg-type

Uses(typed=Number(), typed_list=[Number()])
# Unannotated parameters without a default are no keywords of the constructor (luigi's dataclass_transform).
Uses(untyped=Number())  # E: call-arg
Uses(typed=Word())  # E: arg-type
Uses(typed_list=[Word()])  # E: list-item
Uses(workspace_directory='w', rerun=True, redis_host=None, redis_port=6379, fix_random_seed_methods=('random.seed',))
Uses(rerun='yes')  # E: arg-type
Uses(fix_random_seed_methods=['random.seed'])  # E: arg-type
Uses(no_such_parameter=1)  # E: call-arg
