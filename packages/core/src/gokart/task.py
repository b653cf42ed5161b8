"""TaskOnKart: a luigi.Task whose outputs are cached under ids derived from its parameters."""

from __future__ import annotations

import inspect
import os
import random
import sys
from collections.abc import Callable, Generator, Iterable
from typing import Any, Generic, TypeVar

import luigi
from luigi.parameter import ParameterVisibility

import gokart
from gokart import _kart_identity, _kart_params, _log_writer, _task_logs
from gokart._unique_id import compute_unique_id
from gokart.errors import EmptyDumpError
from gokart.parameter import ExplicitBoolParameter, ListTaskInstanceParameter, TaskInstanceParameter
from gokart.utils import flatten, get_dataframe_type_from_task, map_flattenable_items

__all__ = ['EmptyDumpError', 'TaskOnKart']

T = TypeVar('T')
K = TypeVar('K')

_dataframe_types: dict[type, str] = {}
# Types of most instance attributes (parameter values, gokart's own state): skipped without a call.
_NEVER_TASK_TYPES = frozenset({str, int, float, bool, type(None), dict, list, bytes})

# type -> is it a TaskOnKart subclass; isinstance against luigi's ABCMeta-based classes is slow on hot paths.
_task_types: dict[type, bool] = {}


def _is_task_type(kind: type) -> bool:
    found = _task_types.get(kind)
    if found is None:
        found = _task_types[kind] = issubclass(kind, TaskOnKart)
    return found


def _is_task_value(value: Any) -> bool:
    """A TaskOnKart, or a non-empty tuple of them: what the default requires() collects."""
    kind = type(value)
    if kind is tuple or (kind is not str and issubclass(kind, tuple)):
        return bool(value) and all(_is_task_type(type(v)) for v in value)
    return _is_task_type(kind)


def _dataframe_type(cls: type) -> str:
    found = _dataframe_types.get(cls)
    if found is None:
        found = _dataframe_types[cls] = get_dataframe_type_from_task(cls)
    return found


class TaskOnKart(luigi.Task, Generic[T], metaclass=_kart_params.KartRegister):
    """A luigi.Task with cached outputs named by a unique id; T documents what the default output holds."""

    workspace_directory = luigi.Parameter(
        default='./resources/',
        description='A directory to set outputs on. Please use a path starts with s3:// when you use s3.',
        significant=False,
    )
    local_temporary_directory = luigi.Parameter(
        default='./resources/tmp/', description='A directory to save temporary files.', significant=False
    )
    rerun = luigi.BoolParameter(
        default=False,
        description='If this is true, this task will run even if all output files exist.',
        significant=False,
    )
    strict_check = luigi.BoolParameter(
        default=False,
        description='If this is true, this task will not run only if all input and output files exist.',
        significant=False,
    )
    modification_time_check = luigi.BoolParameter(
        default=False,
        description='If this is true, this task will not run only if all input and output files exist, and all input files are modified before output files are modified.',
        significant=False,
    )
    serialized_task_definition_check = luigi.BoolParameter(
        default=False,
        description='If this is true, even if all outputs are present, this task will be executed if any changes have been made to the code.',
        significant=False,
    )
    delete_unnecessary_output_files = luigi.BoolParameter(
        default=False, description='If this is true, delete unnecessary output files.', significant=False
    )
    significant = luigi.BoolParameter(
        default=True,
        description='If this is false, this task is not treated as a part of dependent tasks for the unique id.',
        significant=False,
    )
    fix_random_seed_methods = luigi.ListParameter(
        default=['random.seed', 'numpy.random.seed'], description='Fix random seed method list.', significant=False
    )
    FIX_RANDOM_SEED_VALUE_NONE_MAGIC_NUMBER = _task_logs.FIX_RANDOM_SEED_VALUE_NONE_MAGIC_NUMBER
    fix_random_seed_value = luigi.IntParameter(
        default=FIX_RANDOM_SEED_VALUE_NONE_MAGIC_NUMBER, description='Fix random seed method value.', significant=False
    )
    redis_host = luigi.OptionalParameter(
        default=None, description='Task lock check is deactivated, when None.', significant=False
    )
    redis_port = luigi.OptionalIntParameter(
        default=None, description='Task lock check is deactivated, when None.', significant=False
    )
    redis_timeout = luigi.IntParameter(
        default=180, description='Redis lock will be released after `redis_timeout` seconds', significant=False
    )
    fail_on_empty_dump: bool = ExplicitBoolParameter(
        default=False, description='Fail when task dumps empty DF', significant=False
    )
    store_index_in_feather: bool = ExplicitBoolParameter(
        default=True, description='Wether to store index when using feather as a output object.', significant=False
    )
    cache_unique_id: bool = ExplicitBoolParameter(
        default=True, description='Cache unique id during runtime', significant=False
    )
    should_dump_supplementary_log_files: bool = ExplicitBoolParameter(
        default=True,
        description='Whether to dump supplementary files (task_log, random_seed, task_params, processing_time, module_versions) or not.',
        significant=False,
    )
    complete_check_at_run: bool = ExplicitBoolParameter(
        default=True,
        description='Check if output file exists at run. If exists, run() will be skipped.',
        significant=False,
    )
    should_lock_run: bool = ExplicitBoolParameter(
        default=False, significant=False, description='Whether to use redis lock or not at task run.'
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Values resolved by the metaclass for these args hold unless a subclass __init__ may have changed
        # the arguments or [TaskOnKart] injects more kwargs.
        param_values = self.__dict__.pop('_kart_param_values', None)
        given = len(kwargs)
        self._add_configuration(kwargs, 'TaskOnKart')
        if len(kwargs) != given or type(self).__init__ is not TaskOnKart.__init__:
            param_values = None
        self.task_log: dict[str, Any] = {}
        self.task_unique_id: str | None = None
        if _kart_identity.plain_luigi_init(type(self)):
            _kart_identity.init_params(self, args, kwargs, param_values)
        else:
            super().__init__(*args, **kwargs)
        self._rerun_state = self.rerun
        self._lock_at_dump = True

        if self.complete_check_at_run:
            from gokart.task_complete_check import task_complete_check_wrapper

            self.run = task_complete_check_wrapper(run_func=self.run, complete_check_func=self.complete)  # type: ignore[method-assign]

        if self.should_lock_run:
            self._lock_at_dump = False
            assert self.redis_host is not None, 'redis_host must be set when should_lock_run is True.'
            assert self.redis_port is not None, 'redis_port must be set when should_lock_run is True.'
            from gokart.conflict_prevention_lock.task_lock import make_task_lock_params_for_run
            from gokart.conflict_prevention_lock.task_lock_wrappers import wrap_run_with_lock

            task_lock_params = make_task_lock_params_for_run(task_self=self)
            self.run = wrap_run_with_lock(run_func=self.run, task_lock_params=task_lock_params)  # type: ignore[method-assign]

    # ---- luigi parameter machinery, cached (same results as luigi's) ----

    @classmethod
    def get_params(cls) -> list[tuple[str, luigi.Parameter]]:
        # The cached list itself: luigi and our get_param_values recognise it and skip rebuilding dicts.
        return _kart_params.class_params(cls).params

    @classmethod
    def get_param_values(
        cls, params: list[tuple[str, Any]], args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> list[tuple[str, Any]]:
        return _kart_params.get_param_values(cls, params, args, kwargs)

    @classmethod
    def _add_configuration(cls, kwargs: dict[str, Any], section: str) -> None:
        _kart_params.add_configuration(cls, kwargs, section, TaskOnKart)

    def _warn_on_wrong_param_types(self) -> None:
        _kart_params.warn_wrong_param_types(self)

    _kart_memoized_params = True

    def to_str_params(self, only_significant: bool = False, only_public: bool = False) -> dict[str, str]:
        return dict(_kart_params.str_params_of(self).view(only_significant, only_public))

    def _str_param(self, name: str) -> str:
        return _kart_params.str_params_of(self).serialized(name, _kart_params.class_params(type(self)).by_name[name])

    # luigi's task_id and hash, computed on first use instead of in __init__ (see _kart_identity).
    task_id = _kart_identity.LazyTaskId()

    def __hash__(self) -> int:
        return _kart_identity.task_hash(self)

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if self.__class__ != other.__class__:
            return False
        # Equal task_ids imply equal hashes (see _kart_identity), so unequal hashes settle it without
        # computing task_id, which for deep task-parameter chains means bz2-compressing the whole chain.
        if hash(self) != hash(other):
            return False
        return self.task_id == other.task_id  # type: ignore[attr-defined]

    @property
    def priority(self) -> float:  # type: ignore[override]
        # A fresh random priority on every access, as in gokart 1.12.2 (docs/compat.md, Q10).
        return random.random()

    # ---- dependencies and outputs ----

    def requires(self) -> Any:
        tasks = self.make_task_instance_dictionary()
        return tasks or []

    def make_task_instance_dictionary(self) -> dict[str, Any]:
        never = _NEVER_TASK_TYPES
        return {
            key: value for key, value in self.__dict__.items() if type(value) not in never and _is_task_value(value)
        }

    @staticmethod
    def is_task_on_kart(value: Any) -> bool:
        return _is_task_value(value)

    def output(self) -> Any:
        return self.make_target()

    def make_target(
        self, relative_file_path: str | None = None, use_unique_id: bool = True, processor: Any = None
    ) -> Any:
        # output() is asked for many times per build (completeness, dumps, dependents' loads); its target
        # depends only on immutable parameters and the id, so it is built once. The key also holds what
        # users patch (luigi.LocalTarget, gokart.target.make_target), so a patch still takes effect.
        key = None
        if processor is None and self.cache_unique_id:
            key = (relative_file_path, use_unique_id, self.task_unique_id, luigi.LocalTarget, gokart.target.make_target)
            memo = self.__dict__.get('_kart_targets')
            if memo is not None and key in memo:
                return memo[key]
        target = self._make_target(relative_file_path, use_unique_id, processor)
        if key is not None:
            self.__dict__.setdefault('_kart_targets', {})[key] = target
        return target

    def _target_location(self, relative_file_path: str, use_unique_id: bool) -> tuple[str, str | None, Any]:
        """Full path, id and redis lock parameters of a target (locks key on the path before the id)."""
        from gokart.conflict_prevention_lock.task_lock import make_task_lock_params

        file_path = os.path.join(self.workspace_directory, relative_file_path)
        unique_id = self.make_unique_id() if use_unique_id else None
        task_lock_params = make_task_lock_params(
            file_path=file_path,
            unique_id=unique_id,
            redis_host=self.redis_host,
            redis_port=self.redis_port,
            redis_timeout=self.redis_timeout,
            raise_task_lock_exception_on_collision=False,
        )
        return file_path, unique_id, task_lock_params

    def _make_target(self, relative_file_path: str | None, use_unique_id: bool, processor: Any) -> Any:
        if relative_file_path is None:
            relative_file_path = os.path.join(self.__module__.replace('.', '/'), f'{type(self).__name__}.pkl')
        elif processor is None:
            from gokart.file_processor import make_file_processor

            processor = make_file_processor(
                relative_file_path,
                store_index_in_feather=self.store_index_in_feather,
                dataframe_type=_dataframe_type(type(self)),
            )
        file_path, unique_id, task_lock_params = self._target_location(relative_file_path, use_unique_id)
        return gokart.target.make_target(
            file_path=file_path,
            unique_id=unique_id,
            processor=processor,
            task_lock_params=task_lock_params,
            store_index_in_feather=self.store_index_in_feather,
        )

    def make_large_data_frame_target(
        self, relative_file_path: str | None = None, use_unique_id: bool = True, max_byte: int = int(2**26)
    ) -> Any:
        if relative_file_path is None:
            relative_file_path = os.path.join(self.__module__.replace('.', '/'), f'{type(self).__name__}.zip')
        from gokart.target import LargeDataFrameProcessor

        processor = LargeDataFrameProcessor(max_byte=max_byte)
        return self.make_model_target(
            relative_file_path,
            save_function=processor.save,
            load_function=LargeDataFrameProcessor.load,
            use_unique_id=use_unique_id,
        )

    def make_model_target(
        self,
        relative_file_path: str,
        save_function: Callable[[Any, str], None],
        load_function: Callable[[str], Any],
        use_unique_id: bool = True,
    ) -> Any:
        assert relative_file_path[-3:] == 'zip', f'extension must be zip, but {relative_file_path} is passed.'
        file_path, unique_id, task_lock_params = self._target_location(relative_file_path, use_unique_id)
        return gokart.target.make_model_target(
            file_path=file_path,
            temporary_directory=self.local_temporary_directory,
            unique_id=unique_id,
            save_function=save_function,
            load_function=load_function,
            task_lock_params=task_lock_params,
        )

    # ---- load and dump ----

    def load(self, target: Any = None) -> Any:
        def _load(targets: Any) -> Any:
            if isinstance(targets, (list, tuple)):
                return [_load(t) for t in targets]
            if isinstance(targets, dict):
                return {k: _load(t) for k, t in targets.items()}
            return targets.load()

        return _load(self._get_input_targets(target))

    def load_generator(self, target: Any = None) -> Generator[Any, None, None]:
        def _load(targets: Any) -> Generator[Any, None, None]:
            if isinstance(targets, (list, tuple)):
                for t in targets:
                    yield from _load(t)
            elif isinstance(targets, dict):
                # gokart 1.12.2 yields the dict's keys here (docs/compat.md, Q3); callers want the loaded values.
                for t in targets.values():
                    yield from _load(t)
            else:
                yield targets.load()

        return _load(self._get_input_targets(target))

    def load_data_frame(
        self, target: Any = None, required_columns: set[str] | None = None, drop_columns: bool = False
    ) -> Any:
        """Load DataFrame input(s) (several are concatenated), checking and optionally keeping only required columns."""
        import pandas as pd

        def _flatten_frames(data: Any) -> list[Any]:
            if isinstance(data, pd.DataFrame):
                return [data]
            if isinstance(data, dict):
                return [f for v in data.values() for f in _flatten_frames(v)]
            if isinstance(data, (list, tuple)):
                return [f for v in data for f in _flatten_frames(v)]
            raise TypeError(f'{self.get_task_family()}: load_data_frame expects DataFrame inputs, got {type(data)}')

        frames = _flatten_frames(self.load(target=target))
        data = frames[0] if len(frames) == 1 else pd.concat(frames)
        required = set(required_columns or ())
        if required and data.empty and len(data.columns) == 0:
            return pd.DataFrame(columns=sorted(required))
        missing = required - set(data.columns)
        if missing:
            raise ValueError(
                f'{self.get_task_family()}: columns {sorted(missing)} must be in the loaded DataFrame, which has {list(data.columns)}.'
            )
        if drop_columns and required:
            data = data[[c for c in data.columns if c in required]]
        return data

    def dump(self, obj: Any, target: Any = None, custom_labels: dict[str, Any] | None = None) -> None:
        pd = sys.modules.get('pandas')
        if pd is not None and isinstance(obj, pd.DataFrame):
            # Both checks concern DataFrames only; building the config map per dump is not free.
            from gokart.pandas_type_config import PandasTypeConfigMap

            PandasTypeConfigMap().check(obj, task_namespace=self.task_namespace)
            if self.fail_on_empty_dump and obj.empty:
                raise EmptyDumpError()
        self._get_output_target(target).dump(
            obj,
            lock_at_dump=self._lock_at_dump,
            task_params=self.to_str_params(only_significant=True, only_public=True),
            custom_labels=custom_labels,
            required_task_outputs=self._required_task_outputs(),
        )

    def _required_task_outputs(self) -> Any:
        # Every dump (the output and five log files) passes this; requires() and outputs are fixed per instance.
        found = self.__dict__.get('_kart_required_outputs')
        if found is None:
            found = self.__dict__['_kart_required_outputs'] = self._make_required_task_outputs()
        return found

    def _make_required_task_outputs(self) -> Any:
        from gokart.required_task_output import RequiredTaskOutput

        def _output_path(target: Any) -> Any:
            # A plain luigi target has a `path` attribute, not a method (docs/compat.md, Q18).
            return target.path() if callable(target.path) else target.path

        def _outputs_of(task: Any) -> Any:
            return map_flattenable_items(
                lambda output: RequiredTaskOutput(task_name=task.get_task_family(), output_path=_output_path(output)),
                task.output(),
            )

        return map_flattenable_items(_outputs_of, self.requires())

    def _get_input_targets(self, target: Any) -> Any:
        if target is None:
            return self.input()
        if isinstance(target, str):
            inputs = self.input()
            assert isinstance(inputs, dict), f'input must be dict[str, TargetOnKart], but {type(inputs)} is passed.'
            return inputs[target]
        if isinstance(target, TaskOnKart):
            required_ids = [t.make_unique_id() for t in flatten(self.requires()) if isinstance(t, TaskOnKart)]
            assert target.make_unique_id() in required_ids, f'{target} should be in requires method'
            return target.output()
        if isinstance(target, Iterable):
            return [self._get_input_targets(t) for t in target]
        return target

    def _get_output_target(self, target: Any) -> Any:
        from gokart.target import TargetOnKart

        if target is None:
            output = self.output()
            assert isinstance(output, TargetOnKart), f'output must be TargetOnKart, but {type(output)} is passed.'
            return output
        if isinstance(target, str):
            output = self.output()
            assert isinstance(output, dict), f'output must be dict[str, TargetOnKart], but {type(output)} is passed.'
            return output[target]
        return target

    # ---- completeness ----

    def complete(self) -> bool:
        if self._rerun_state:
            for target in flatten(self.output()):
                target.remove()
            self._rerun_state = False
            return False

        is_completed = all(t.exists() for t in flatten(self.output()))
        if self.strict_check or self.modification_time_check:
            requirements = flatten(self.requires())
            inputs = flatten(self.input())
            is_completed = (
                is_completed and all(task.complete() for task in requirements) and all(i.exists() for i in inputs)
            )
        if not self.modification_time_check or not is_completed or not self.input():
            return is_completed
        return self._check_modification_time()

    def _check_modification_time(self) -> bool:
        common_path = set(t.path() for t in flatten(self.input())) & set(t.path() for t in flatten(self.output()))
        input_mtimes = [t.last_modification_time() for t in flatten(self.input()) if t.path() not in common_path]
        output_mtimes = [t.last_modification_time() for t in flatten(self.output()) if t.path() not in common_path]
        if len(input_mtimes) == 0 or len(output_mtimes) == 0:
            return True
        return max(input_mtimes) <= min(output_mtimes)

    def clone(self, cls: type | None = None, **kwargs: Any) -> Any:
        # rerun and the check flags apply to the instance they were given to, not to its clones.
        cls = cls or type(self)
        new_kwargs = {}
        skipped = {'rerun', 'strict_check', 'modification_time_check'}
        for name, _ in cls.get_params():  # type: ignore[attr-defined]
            if name in kwargs:
                new_kwargs[name] = kwargs[name]
            elif name not in skipped and hasattr(self, name):
                new_kwargs[name] = getattr(self, name)
        return cls(**new_kwargs)

    # ---- identity ----

    def make_unique_id(self) -> str:
        if self.task_unique_id is not None:
            return self.task_unique_id
        unique_id = compute_unique_id(self)
        if self.cache_unique_id:
            self.task_unique_id = unique_id
        return unique_id

    def _make_representation(self, only_public: bool) -> str:
        by_name = _kart_params.class_params(type(self)).by_name
        parts = []
        for name, value in self.param_kwargs.items():
            param = by_name[name]
            if not param.significant:
                continue
            if only_public and param.visibility != ParameterVisibility.PUBLIC:
                continue
            if isinstance(param, TaskInstanceParameter):
                text = f'{value.get_task_family()}({value.make_unique_id()})'
            elif isinstance(param, ListTaskInstanceParameter):
                text = '[' + ', '.join(f'{v.get_task_family()}({v.make_unique_id()})' for v in value) + ']'
            else:
                text = self._str_param(name)
            parts.append(f'{name}={text}')
        return f'{self.get_task_family()}[{self.make_unique_id()}]({", ".join(parts)})'

    def __repr__(self) -> str:
        return self._make_representation(only_public=False)

    def __str__(self) -> str:
        return self._make_representation(only_public=True)

    def get_info(self, only_significant: bool = False) -> dict[str, str]:
        by_name = _kart_params.class_params(type(self)).by_name
        info = {}
        for name, value in self.param_kwargs.items():
            param = by_name[name]
            if only_significant and not param.significant:
                continue
            if isinstance(param, TaskInstanceParameter):
                info[name] = f'{type(value).__name__}-{value.make_unique_id()}'
            else:
                info[name] = param.serialize(value)
        return info

    @staticmethod
    def get_code(target_class: Any) -> set[str]:
        def is_code(member: Any) -> bool:
            return (
                inspect.ismethod(member)
                or inspect.isfunction(member)
                or inspect.isframe(member)
                or inspect.iscode(member)
            )

        return {inspect.getsource(member) for _, member in inspect.getmembers(target_class, is_code)}

    def get_own_code(self) -> str:
        return ''.join(sorted(self.get_code(self) - self.get_code(TaskOnKart)))

    # ---- supplementary logs ----

    def get_task_log(self) -> dict[str, Any]:
        if self.task_log:
            return self.task_log
        loaded = _task_logs.load_log(self, 'task_log')
        return loaded if loaded is not None else {}

    def get_task_params(self) -> dict[str, Any]:
        # gokart 1.12.2 returns the task_log here (docs/compat.md, Q2); the task_params log is what the name promises.
        loaded = _task_logs.load_log(self, 'task_params')
        return loaded if loaded is not None else {}

    def get_processing_time(self) -> Any:
        loaded = _task_logs.load_log(self, 'processing_time')
        return loaded if loaded is not None else 'unknown'

    @classmethod
    def restore(cls, unique_id: str) -> Any:
        _log_writer.flush()
        params = TaskOnKart().make_target(f'log/task_params/{cls.__name__}_{unique_id}.pkl', use_unique_id=False).load()
        return cls.from_str_params(params)

    @staticmethod
    def try_set_seed(methods: list[str], random_seed: int) -> list[str]:
        return _task_logs.try_set_seed(methods, random_seed)

    def _get_random_seed(self) -> int:
        return _task_logs.random_seed(self)

    def _set_random_seed(self) -> None:
        _task_logs.on_start_seed(self)

    def _dump_task_params(self) -> None:
        _task_logs.on_start_params(self)

    def _dump_module_versions(self) -> None:
        _task_logs.on_start_module_versions(self)

    def _dump_processing_time(self, processing_time: float) -> None:
        _task_logs.on_processing_time(self, processing_time)

    def _dump_task_log(self) -> None:
        _task_logs.on_success(self)

    def _log_unique_id(self, exception: BaseException) -> None:
        _task_logs.on_failure(self, exception)


_task_logs.register(TaskOnKart)
