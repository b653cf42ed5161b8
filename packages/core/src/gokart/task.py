"""TaskOnKart: a luigi.Task whose outputs are cached under ids derived from its parameters.

The class is defined here, where user code patches it; the machinery behind it lives in gokart._kart.
"""

from __future__ import annotations

import copy
import functools
import inspect
import os
import random
import sys
import warnings
from collections.abc import Callable, Generator, Iterable
from typing import Any, Generic, TypeVar, overload

import luigi
from luigi.parameter import ParameterVisibility

import gokart.target
from gokart import _log_writer, _paths
from gokart._kart import identity, inputs, logs, outputs, patch_points, register, resolve
from gokart._kart.html import task_html
from gokart._kart.session import flat_requires_of, input_of, outputs_of, requires_of
from gokart._kart.state import state_of
from gokart.conflict_prevention_lock.object_store_lock import LEASE_SUFFIX, lock_backend_of, wrap_run_with_lease
from gokart.conflict_prevention_lock.task_lock import make_task_lock_params, make_task_lock_params_for_run
from gokart.conflict_prevention_lock.task_lock_wrappers import wrap_run_with_lock
from gokart.errors import EmptyDumpError
from gokart.file_processor import FileProcessor, make_file_processor  # noqa: F401  (gokart.task names, as upstream)
from gokart.file_processor.base import DataFrameType
from gokart.pandas_type_config import PandasTypeConfigMap
from gokart.parameter import ExplicitBoolParameter, ListTaskInstanceParameter, TaskInstanceParameter
from gokart.required_task_output import RequiredTaskOutput  # noqa: F401
from gokart.target import LargeDataFrameProcessor, TargetOnKart
from gokart.task_complete_check import task_complete_check_wrapper
from gokart.utils import FlattenableItems, flatten, get_dataframe_type_from_task

__all__ = ['EmptyDumpError', 'TaskOnKart']

T = TypeVar('T')
K = TypeVar('K')

_dataframe_types: dict[type, DataFrameType] = {}
# Types of most instance attributes (parameter values, gokart's own state): skipped without a call.
_NEVER_TASK_TYPES = frozenset({str, int, float, bool, type(None), dict, list, bytes})


def _is_task_value(value: Any) -> bool:
    """A TaskOnKart, or a non-empty tuple of them: what the default requires() collects."""
    kind = type(value)
    if kind is tuple or (kind is not str and issubclass(kind, tuple)):
        return bool(value) and all(register.is_kart(v) for v in value)
    return register.is_kart_type(kind)


def _dataframe_type(cls: type) -> DataFrameType:
    found = _dataframe_types.get(cls)
    if found is None:
        found = _dataframe_types[cls] = get_dataframe_type_from_task(cls)
    return found


class TaskOnKart(luigi.Task, Generic[T], metaclass=register.KartRegister):
    """A luigi.Task with cached outputs named by a unique id; T documents what the default output holds."""

    # Parameters are annotated with their parameter class, as in gokart 1.12.2: luigi's dataclass_transform then
    # types the constructor's keywords (from Parameter.__set__) and instance access gives the value type.
    workspace_directory: luigi.Parameter[str] = luigi.Parameter(
        default='./resources/',
        description='A directory to set outputs on. Please use a path starts with s3:// when you use s3.',
        significant=False,
    )
    local_temporary_directory: luigi.Parameter[str] = luigi.Parameter(
        default='./resources/tmp/', description='A directory to save temporary files.', significant=False
    )
    rerun: luigi.BoolParameter = luigi.BoolParameter(
        default=False,
        description='If this is true, this task will run even if all output files exist.',
        significant=False,
    )
    strict_check: luigi.BoolParameter = luigi.BoolParameter(
        default=False,
        description='If this is true, this task will not run only if all input and output files exist.',
        significant=False,
    )
    modification_time_check: luigi.BoolParameter = luigi.BoolParameter(
        default=False,
        description='If this is true, this task will not run only if all input and output files exist, and all input files are modified before output files are modified.',
        significant=False,
    )
    serialized_task_definition_check: luigi.BoolParameter = luigi.BoolParameter(
        default=False,
        description='If this is true, even if all outputs are present, this task will be executed if any changes have been made to the code.',
        significant=False,
    )
    delete_unnecessary_output_files: luigi.BoolParameter = luigi.BoolParameter(
        default=False, description='If this is true, delete unnecessary output files.', significant=False
    )
    significant: luigi.BoolParameter = luigi.BoolParameter(
        default=True,
        description='If this is false, this task is not treated as a part of dependent tasks for the unique id.',
        significant=False,
    )
    fix_random_seed_methods: luigi.ListParameter[tuple[str, ...]] = luigi.ListParameter(
        default=['random.seed', 'numpy.random.seed'],  # type: ignore[arg-type]  # a list, as in gokart 1.12.2
        description='Fix random seed method list.',
        significant=False,
    )
    FIX_RANDOM_SEED_VALUE_NONE_MAGIC_NUMBER = logs.FIX_RANDOM_SEED_VALUE_NONE_MAGIC_NUMBER
    fix_random_seed_value: luigi.IntParameter = luigi.IntParameter(
        default=FIX_RANDOM_SEED_VALUE_NONE_MAGIC_NUMBER, description='Fix random seed method value.', significant=False
    )
    redis_host: luigi.OptionalParameter = luigi.OptionalParameter(
        default=None, description='Task lock check is deactivated, when None.', significant=False
    )
    redis_port: luigi.OptionalIntParameter = luigi.OptionalIntParameter(
        default=None, description='Task lock check is deactivated, when None.', significant=False
    )
    redis_timeout: luigi.IntParameter = luigi.IntParameter(
        default=180, description='Redis lock will be released after `redis_timeout` seconds', significant=False
    )
    fail_on_empty_dump: ExplicitBoolParameter = ExplicitBoolParameter(
        default=False, description='Fail when task dumps empty DF', significant=False
    )
    store_index_in_feather: ExplicitBoolParameter = ExplicitBoolParameter(
        default=True, description='Wether to store index when using feather as a output object.', significant=False
    )
    cache_unique_id: ExplicitBoolParameter = ExplicitBoolParameter(
        default=True, description='Cache unique id during runtime', significant=False
    )
    should_dump_supplementary_log_files: ExplicitBoolParameter = ExplicitBoolParameter(
        default=True,
        description='Whether to dump supplementary files (task_log, random_seed, task_params, processing_time, module_versions) or not.',
        significant=False,
    )
    complete_check_at_run: ExplicitBoolParameter = ExplicitBoolParameter(
        default=True,
        description='Check if output file exists at run. If exists, run() will be skipped.',
        significant=False,
    )
    should_lock_run: ExplicitBoolParameter = ExplicitBoolParameter(
        default=False, significant=False, description='Whether to use redis lock or not at task run.'
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Values resolved by the metaclass for these args hold unless a subclass __init__ may have changed
        # the arguments or [TaskOnKart] injects more kwargs.
        state = state_of(self)
        param_values, state.param_values = state.param_values, None
        given = len(kwargs)
        self._add_configuration(kwargs, 'TaskOnKart')
        if len(kwargs) != given or type(self).__init__ is not TaskOnKart.__init__:
            param_values = None
        self.task_log: dict[str, Any] = {}
        self.task_unique_id: str | None = None
        if register.plain_luigi_init(type(self)):
            register.init_params(self, args, kwargs, param_values)
        else:
            super().__init__(*args, **kwargs)
        self._rerun_state = self.rerun
        self._lock_at_dump = True

        if self.complete_check_at_run:
            self.run = task_complete_check_wrapper(  # type: ignore[method-assign]
                run_func=self.run, complete_check_func=functools.partial(outputs.complete_check_in_run, self)
            )

        if self.should_lock_run and lock_backend_of(self) == 'object_store':
            self._lock_at_dump = False
            self.run = wrap_run_with_lease(  # type: ignore[method-assign]
                run_func=self.run, lease_path=self._lease_path, ttl=self.redis_timeout
            )
        elif self.should_lock_run:
            self._lock_at_dump = False
            assert self.redis_host is not None, 'redis_host must be set when should_lock_run is True.'
            assert self.redis_port is not None, 'redis_port must be set when should_lock_run is True.'
            task_lock_params = make_task_lock_params_for_run(task_self=self)
            self.run = wrap_run_with_lock(run_func=self.run, task_lock_params=task_lock_params)  # type: ignore[method-assign]

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled as its class and parameter values and rebuilt by construction, which re-applies the
        # instance-level run() wrappers above (they do not pickle): docs/compat.md, Q60.
        return (register.rebuild, (type(self), self.param_kwargs))

    def __copy__(self) -> Any:
        # copy keeps what it did before __reduce__ existed: a new instance sharing the attributes
        clone = object.__new__(type(self))
        clone.__dict__.update(self.__dict__)
        return clone

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        clone = object.__new__(type(self))
        memo[id(self)] = clone
        clone.__dict__.update(copy.deepcopy(self.__dict__, memo))
        return clone

    def _lease_path(self) -> str:
        """Where the run lease of lock_backend=object_store lives: beside the task's first output."""
        paths = [outputs.output_path(target) for target in flatten(outputs_of(self)) if hasattr(target, 'path')]
        if not paths or not str(paths[0]).startswith(('s3://', 'gs://')):
            raise ValueError(
                f'{self!r}: lock_backend=object_store needs an S3 or GCS output to hold its run lease, '
                f'but the outputs are {paths}; set workspace_directory to an s3:// or gs:// path.'
            )
        return f'{paths[0]}{LEASE_SUFFIX}'

    # ---- luigi parameter machinery, cached (same results as luigi's) ----

    @classmethod
    def get_params(cls) -> list[tuple[str, luigi.Parameter]]:
        # The cached list itself: luigi and our get_param_values recognise it and skip rebuilding dicts.
        return register.class_params(cls).params

    @classmethod
    def get_param_values(
        cls, params: list[tuple[str, Any]], args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> list[tuple[str, Any]]:
        return resolve.get_param_values(cls, params, args, kwargs)

    @classmethod
    def _add_configuration(cls, kwargs: dict[str, Any], section: str) -> None:
        resolve.add_configuration(cls, kwargs, section, TaskOnKart)

    def _warn_on_wrong_param_types(self) -> None:
        resolve.warn_wrong_param_types(self)

    def to_str_params(self, only_significant: bool = False, only_public: bool = False) -> dict[str, str]:
        return dict(identity.view(self, only_significant, only_public))

    # luigi's task_id and hash, computed on first use instead of in __init__ (see gokart._kart.identity).
    task_id = identity.LazyTaskId()

    def __hash__(self) -> int:
        # the known hash read here (a KartState is truthy): sets and dicts of tasks ask ~8 times per task
        found = (self.__dict__.get('_kart') or state_of(self)).hash
        return found if found is not None else identity.task_hash(self)

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if self.__class__ != other.__class__:
            return False
        # Equal task_ids imply equal hashes (see gokart._kart.identity), so unequal hashes settle it without
        # computing task_id, which for deep task-parameter chains means bz2-compressing the whole chain.
        if hash(self) != hash(other):
            return False
        return self.task_id == other.task_id  # type: ignore[attr-defined]

    @property
    def priority(self) -> float:  # type: ignore[override]
        # A fresh random priority on every access, as in gokart 1.12.2 (docs/compat.md, Q10).
        return random.random()

    # ---- dependencies and outputs ----

    def requires(self) -> FlattenableItems[TaskOnKart[Any]]:
        tasks = self.make_task_instance_dictionary()
        return tasks or []  # type: ignore[return-value]  # dict is invariant in its values

    def _requires(self) -> Any:
        # What luigi's deps() flattens; within a build, requires() is evaluated once (gokart._kart.session).
        return list(flat_requires_of(self))  # a copy: the session's list is shared

    def input(self) -> FlattenableItems[TargetOnKart]:
        return input_of(self)

    def make_task_instance_dictionary(self) -> dict[str, TaskOnKart[Any]]:
        never = _NEVER_TASK_TYPES
        return {
            key: value for key, value in self.__dict__.items() if type(value) not in never and _is_task_value(value)
        }

    @staticmethod
    def is_task_on_kart(value: Any) -> bool:
        return _is_task_value(value)

    def output(self) -> FlattenableItems[TargetOnKart]:
        return self.make_target()

    def make_target(
        self, relative_file_path: str | None = None, use_unique_id: bool = True, processor: FileProcessor | None = None
    ) -> TargetOnKart:
        # A target depends only on immutable parameters and the id, so each is built once per task (the
        # log files ask for theirs from every event). The key also holds what users patch, so a patch
        # still takes effect.
        if processor is not None or not self.cache_unique_id:
            return self._make_target(relative_file_path, use_unique_id, processor)
        unique_id = self.make_unique_id() if use_unique_id else None
        key = (relative_file_path, unique_id, *patch_points.target_factories())
        targets = (self.__dict__.get('_kart') or state_of(self)).targets  # state_of inlined (a hot path)
        target = targets.get(key)
        if target is None:
            target = targets[key] = self._make_target(relative_file_path, use_unique_id, processor)
        return target

    def _target_location(self, relative_file_path: str, use_unique_id: bool) -> tuple[str, str | None, Any]:
        """Full path, id and redis lock parameters of a target (locks key on the path before the id)."""
        file_path = _paths.join(self.workspace_directory, relative_file_path)
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
            relative_file_path = _paths.join(self.__module__.replace('.', '/'), f'{type(self).__name__}.pkl')
        elif processor is None:
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
    ) -> TargetOnKart:
        if relative_file_path is None:
            relative_file_path = os.path.join(self.__module__.replace('.', '/'), f'{type(self).__name__}.zip')
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
    ) -> TargetOnKart:
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

    @overload
    def load(self, target: None | str | TargetOnKart = None) -> Any: ...

    @overload
    def load(self, target: TaskOnKart[K]) -> K: ...

    @overload
    def load(self, target: list[TaskOnKart[K]]) -> list[K]: ...

    def load(self, target: Any = None) -> Any:
        # several S3/GCS inputs are fetched at once, then loaded in order (docs/compat.md Q54)
        return inputs.load(self._get_input_targets(target))

    @overload
    def load_generator(self, target: None | str | TargetOnKart = None) -> Generator[Any, None, None]: ...

    @overload
    def load_generator(self, target: list[TaskOnKart[K]]) -> Generator[K, None, None]: ...

    def load_generator(self, target: Any = None) -> Generator[Any, None, None]:
        # a bounded window of S3/GCS inputs fetched ahead (docs/compat.md Q54)
        return inputs.load_generator(self._get_input_targets(target))

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

    @overload
    def dump(self, obj: T, target: None = None, custom_labels: dict[Any, Any] | None = None) -> None: ...

    @overload
    def dump(self, obj: Any, target: str | TargetOnKart, custom_labels: dict[Any, Any] | None = None) -> None: ...

    def dump(self, obj: Any, target: Any = None, custom_labels: dict[str, Any] | None = None) -> None:
        pd = sys.modules.get('pandas')
        if pd is not None and isinstance(obj, pd.DataFrame):
            # Both checks concern DataFrames only; building the config map per dump is not free.
            PandasTypeConfigMap().check(obj, task_namespace=self.task_namespace)
            if self.fail_on_empty_dump and obj.empty:
                raise EmptyDumpError()
        self._get_output_target(target).dump(
            obj,
            lock_at_dump=self._lock_at_dump,
            task_params=self.to_str_params(only_significant=True, only_public=True),
            custom_labels=custom_labels,
            required_task_outputs=outputs.required_outputs(self),
        )

    def _get_input_targets(self, target: Any) -> Any:
        if target is None:
            return self.input()
        if isinstance(target, str):
            inputs = self.input()
            assert isinstance(inputs, dict), f'input must be dict[str, TargetOnKart], but {type(inputs)} is passed.'
            return inputs[target]
        if isinstance(target, TaskOnKart):
            required_ids = [t.make_unique_id() for t in flatten(requires_of(self)) if isinstance(t, TaskOnKart)]
            assert target.make_unique_id() in required_ids, f'{target} should be in requires method'
            return outputs_of(target)
        if isinstance(target, Iterable):
            return [self._get_input_targets(t) for t in target]
        return target

    def _get_output_target(self, target: Any) -> Any:
        if target is None:
            output = outputs_of(self)
            assert isinstance(output, TargetOnKart), f'output must be TargetOnKart, but {type(output)} is passed.'
            return output
        if isinstance(target, str):
            output = outputs_of(self)
            assert isinstance(output, dict), f'output must be dict[str, TargetOnKart], but {type(output)} is passed.'
            return output[target]
        return target

    # ---- completeness ----

    def complete(self) -> bool:
        if self._rerun_state:
            for target in flatten(outputs_of(self)):
                target.remove()
            self._rerun_state = False
            return False

        is_completed = all(t.exists() for t in flatten(outputs_of(self)))
        if self.strict_check or self.modification_time_check:
            requirements = flatten(requires_of(self))
            inputs = flatten(self.input())
            is_completed = (
                is_completed and all(task.complete() for task in requirements) and all(i.exists() for i in inputs)
            )
        if not self.modification_time_check or not is_completed or not self.input():
            return is_completed
        return self._check_modification_time()

    def _check_modification_time(self) -> bool:
        common_path = set(t.path() for t in flatten(self.input())) & set(t.path() for t in flatten(outputs_of(self)))
        input_mtimes = [t.last_modification_time() for t in flatten(self.input()) if t.path() not in common_path]
        output_mtimes = [t.last_modification_time() for t in flatten(outputs_of(self)) if t.path() not in common_path]
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
        unique_id = identity.compute_unique_id(self)
        if self.cache_unique_id:
            self.task_unique_id = unique_id
        return unique_id

    def _make_representation(self, only_public: bool) -> str:
        by_name = register.class_params(type(self)).by_name
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
                text = identity.serialized(self, name)
            parts.append(f'{name}={text}')
        return f'{self.get_task_family()}[{self.make_unique_id()}]({", ".join(parts)})'

    def __repr__(self) -> str:
        return self._make_representation(only_public=False)

    def __str__(self) -> str:
        return self._make_representation(only_public=True)

    def _repr_html_(self) -> str:
        """Jupyter's rich display: class, parameters, unique id, outputs and whether it is cached."""
        return task_html(self)

    def get_info(self, only_significant: bool = False) -> dict[str, str]:
        by_name = register.class_params(type(self)).by_name
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

        with warnings.catch_warnings():
            # getmembers of a task instance reads luigi's deprecated properties (param_args, ...), whose
            # warnings say nothing to the user.
            warnings.simplefilter('ignore', DeprecationWarning)
            members = inspect.getmembers(target_class, is_code)
        return {inspect.getsource(member) for _, member in members}

    def get_own_code(self) -> str:
        return ''.join(sorted(self.get_code(self) - self.get_code(TaskOnKart)))

    # ---- supplementary logs ----

    def get_task_log(self) -> dict[str, Any]:
        if self.task_log:
            return self.task_log
        loaded = logs.load_log(self, 'task_log')
        return loaded if loaded is not None else {}

    def get_task_params(self) -> dict[str, Any]:
        # gokart 1.12.2 returns the task_log here (docs/compat.md, Q2); the task_params log is what the name promises.
        loaded = logs.load_log(self, 'task_params')
        return loaded if loaded is not None else {}

    def get_processing_time(self) -> str:
        loaded = logs.load_log(self, 'processing_time')
        return loaded if loaded is not None else 'unknown'

    @classmethod
    def restore(cls, unique_id: str) -> Any:
        _log_writer.flush()
        params = TaskOnKart().make_target(f'log/task_params/{cls.__name__}_{unique_id}.pkl', use_unique_id=False).load()
        return cls.from_str_params(params)

    @staticmethod
    def try_set_seed(methods: list[str], random_seed: int) -> list[str]:
        return logs.try_set_seed(methods, random_seed)

    def _get_random_seed(self) -> int:
        return logs.random_seed(self)

    def _set_random_seed(self) -> None:
        logs.on_start_seed(self)

    def _dump_task_params(self) -> None:
        logs.on_start_params(self)

    def _dump_module_versions(self) -> None:
        logs.on_start_module_versions(self)

    def _dump_processing_time(self, processing_time: float) -> None:
        logs.on_processing_time(self, processing_time)

    def _dump_task_log(self) -> None:
        logs.on_success(self)

    def _log_unique_id(self, exception: BaseException) -> None:
        logs.on_failure(self, exception)


patch_points.record_task_class(TaskOnKart)
logs.register(TaskOnKart)
