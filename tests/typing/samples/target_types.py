"""make_target() and friends return TargetOnKart; output(), input() and requires() are flattenable structures."""

from typing import Any

from typing_extensions import reveal_type

import gokart
from gokart.file_processor import CsvFileProcessor
from gokart.utils import FlattenableItems, flatten


class Model(gokart.TaskOnKart[Any]):
    def run(self) -> None:
        reveal_type(self.make_target('m.pkl'))  # R: gokart.target.TargetOnKart
        reveal_type(self.make_target('m.csv', False, CsvFileProcessor()))  # R: gokart.target.TargetOnKart
        reveal_type(self.make_large_data_frame_target())  # R: gokart.target.TargetOnKart
        # R: gokart.target.TargetOnKart
        reveal_type(self.make_model_target('m.zip', save_function=lambda obj, path: None, load_function=lambda path: 1))
        # R: gokart.target.TargetOnKart | list[gokart.target.TargetOnKart | list[...] | tuple[..., ...] | dict[str, ...]] | tuple[gokart.target.TargetOnKart | list[...] | tuple[..., ...] | dict[str, ...], ...] | dict[str, gokart.target.TargetOnKart | list[...] | tuple[..., ...] | dict[str, ...]]
        reveal_type(self.output())
        # R: gokart.target.TargetOnKart | list[gokart.target.TargetOnKart | list[...] | tuple[..., ...] | dict[str, ...]] | tuple[gokart.target.TargetOnKart | list[...] | tuple[..., ...] | dict[str, ...], ...] | dict[str, gokart.target.TargetOnKart | list[...] | tuple[..., ...] | dict[str, ...]]
        reveal_type(self.input())
        # R: gokart.task.TaskOnKart[Any] | list[gokart.task.TaskOnKart[Any] | list[...] | tuple[..., ...] | dict[str, ...]] | tuple[gokart.task.TaskOnKart[Any] | list[...] | tuple[..., ...] | dict[str, ...], ...] | dict[str, gokart.task.TaskOnKart[Any] | list[...] | tuple[..., ...] | dict[str, ...]]
        reveal_type(self.requires())
        reveal_type(self.make_task_instance_dictionary())  # R: dict[str, gokart.task.TaskOnKart[Any]]
        reveal_type(flatten(self.output()))  # R: list[gokart.target.TargetOnKart]
        reveal_type(self.get_processing_time())  # R: str
        self.make_target(1)  # E: arg-type
        self.make_target('m.pkl', processor='csv')  # E: arg-type
        self.make_model_target('m.zip')  # E: call-arg
        self.dump(1)


class NamedOutputs(gokart.TaskOnKart[Any]):
    def output(self) -> FlattenableItems[gokart.target.TargetOnKart]:
        return {'a': self.make_target('a.pkl'), 'b': self.make_large_data_frame_target('b.zip')}

    def run(self) -> None:
        self.dump(1, target='a')


class SingleOutput(gokart.TaskOnKart[Any]):
    def output(self) -> gokart.target.TargetOnKart:
        return self.make_target('single.pkl')


class NarrowedOutputs(gokart.TaskOnKart[Any]):
    # FlattenableItems holds its leaves in invariant containers: a dict[str, TargetOnKart] does not override it.
    def output(self) -> dict[str, gokart.target.TargetOnKart]:  # E: override
        return {'a': self.make_target('a.pkl')}

    def requires(self) -> list[gokart.TaskOnKart[int]]:  # E: override
        return []
