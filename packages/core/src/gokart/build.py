"""`gokart.build()`: run one task (and its dependencies) in-process and return its loaded output."""

from __future__ import annotations

import enum
import functools
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Protocol, TypeVar, overload

import luigi
import luigi.rpc
import luigi.scheduler
import luigi.task_register
from luigi.execution_summary import LuigiStatusCode

import gokart
import gokart.worker
from gokart._build_logging import enter_build_level, exit_build_level
from gokart._kart.session import build_session, outputs_of
from gokart._lazy import LazyModule
from gokart.conflict_prevention_lock.task_lock import TaskLockException
from gokart.errors import GokartBuildError, HasLockedTaskException
from gokart.pandas_type_config import PandasTypeConfig
from gokart.target import TargetOnKart
from gokart.task import TaskOnKart

if TYPE_CHECKING:
    import backoff
else:
    backoff = LazyModule('backoff', globals(), 'backoff')  # lock-collision retries, imported by the first build

__all__ = [
    'GokartBuildError',
    'HasLockedTaskException',
    'LoggerConfig',
    'TaskDumpConfig',
    'TaskDumpMode',
    'TaskDumpOutputType',
    'TaskLockExceptionRaisedFlag',
    'WorkerProtocol',
    'WorkerSchedulerFactory',
    'build',
    'process_task_info',
]

T = TypeVar('T')

logger = logging.getLogger(__name__)

_FAILED_STATUSES = (
    LuigiStatusCode.FAILED,
    LuigiStatusCode.FAILED_AND_SCHEDULING_FAILED,
    LuigiStatusCode.SCHEDULING_FAILED,
)


class LoggerConfig:
    """Silence every log record below `level` for the duration of a build, then restore.

    Records below `level` are dropped in the thread of the build, and in threads that run no build of
    their own; the `gokart.build` logger passes records from `level` up. Builds running at once in
    several threads each keep their own level, and nothing global is left changed afterwards
    (`gokart._build_logging`).
    """

    def __init__(self, level: int):
        self.level = level
        self.logger = logging.getLogger(__name__)

    def __enter__(self) -> LoggerConfig:
        enter_build_level(self.level)
        return self

    def __exit__(self, *exc_info: object) -> None:
        exit_build_level()


class WorkerProtocol(Protocol):
    """What luigi's interface needs from the object `WorkerSchedulerFactory.create_worker` returns."""

    def add(self, task: luigi.Task, multiprocess: bool = False, processes: int = 0) -> bool: ...

    def run(self) -> bool: ...

    def __enter__(self) -> WorkerProtocol: ...

    def __exit__(self, type: Any, value: Any, traceback: Any) -> bool | None: ...


class WorkerSchedulerFactory:
    """luigi's worker/scheduler factory, but handing out gokart's Worker."""

    def create_local_scheduler(self) -> luigi.scheduler.Scheduler:
        return luigi.scheduler.Scheduler(prune_on_get_work=True, record_task_history=False)

    def create_remote_scheduler(self, url: str) -> luigi.rpc.RemoteScheduler:
        return luigi.rpc.RemoteScheduler(url)

    def create_worker(self, scheduler: Any, worker_processes: int, assistant: bool = False) -> WorkerProtocol:
        return gokart.worker.Worker(scheduler=scheduler, worker_processes=worker_processes, assistant=assistant)


class TaskLockExceptionRaisedFlag:
    """Set by the FAILURE handler when a task failed on a redis run lock held by someone else."""

    def __init__(self) -> None:
        self.flag: bool = False


class TaskDumpMode(enum.Enum):
    TREE = 'tree'
    TABLE = 'table'
    NONE = 'none'


class TaskDumpOutputType(enum.Enum):
    PRINT = 'print'
    DUMP = 'dump'
    NONE = 'none'


@dataclass
class TaskDumpConfig:
    mode: TaskDumpMode = TaskDumpMode.NONE
    output_type: TaskDumpOutputType = TaskDumpOutputType.NONE


def process_task_info(task: Any, task_dump_config: TaskDumpConfig = TaskDumpConfig()) -> None:
    """Log or dump the dependency tree/table of `task` before it is built."""
    mode, output = task_dump_config.mode, task_dump_config.output_type
    if mode == TaskDumpMode.NONE and output == TaskDumpOutputType.NONE:
        return
    # Dumps go through a bare TaskOnKart, so the file is named after the root with TaskOnKart's own id (docs/compat.md, Q11).
    path = f'log/task_info/{type(task).__name__}'
    if mode == TaskDumpMode.TREE and output == TaskDumpOutputType.PRINT:
        logger.info(gokart.make_tree_info(task))
    elif mode == TaskDumpMode.TREE and output == TaskDumpOutputType.DUMP:
        tree = gokart.make_tree_info(task)
        TaskOnKart().make_target(f'{path}.txt').dump(tree)
    elif mode == TaskDumpMode.TABLE and output == TaskDumpOutputType.PRINT:
        logger.info(gokart.tree.task_info.make_task_info_as_table(task).to_csv(sep='\t', index=False))
    elif mode == TaskDumpMode.TABLE and output == TaskDumpOutputType.DUMP:
        TaskOnKart().make_target(f'{path}.pkl').dump(gokart.tree.task_info.make_task_info_as_table(task))
    else:
        raise ValueError(f'Unsupported TaskDumpConfig: {task_dump_config}')


def _reset_register(keep: set[str] = {'gokart', 'luigi'}) -> None:  # noqa: B006 - read-only, upstream signature
    """Keep only luigi's registry entries from the `keep` top-level packages plus PandasTypeConfig subclasses."""
    register = luigi.task_register.Register
    register._reg = [
        cls for cls in register._reg if cls.__module__.split('.')[0] in keep or issubclass(cls, PandasTypeConfig)
    ]


def _get_output(task: Any) -> Any:
    """Load the outputs of a finished task, preserving a flat list/tuple/dict structure."""
    output = outputs_of(task)
    if isinstance(output, (list, tuple)):
        return [target.load() for target in output]
    if isinstance(output, dict):
        return {name: target.load() for name, target in output.items()}
    if isinstance(output, TargetOnKart):
        return output.load()
    raise ValueError(f'output type is not supported: {type(output)}')


class _FailureRecorder:
    """Collects failures of TaskOnKart tasks run in this process while registered as a luigi FAILURE handler."""

    def __init__(self) -> None:
        self.lock_flag = TaskLockExceptionRaisedFlag()
        self.raised_exceptions: dict[str, list[Exception]] = {}

    def __call__(self, task: Any, exception: Exception) -> None:
        if isinstance(exception, TaskLockException):
            self.lock_flag.flag = True
        else:
            self.raised_exceptions.setdefault(task.make_unique_id(), []).append(exception)

    def __enter__(self) -> _FailureRecorder:
        TaskOnKart.event_handler(luigi.Event.FAILURE)(self)
        return self

    def __exit__(self, *exc_info: object) -> None:
        # upstream leaves one handler behind per build (docs/compat.md, Q7); ours goes away with the build.
        TaskOnKart.remove_event_handler(luigi.Event.FAILURE, self)


def _execute(task: Any, log_level: int, env_params: dict[str, Any]) -> Any:
    """The single call that runs the tasks; returns luigi's LuigiRunResult (`status`, `summary_text`, ...).

    That is the local engine, or a patched luigi.build if there is one.
    """
    from gokart._engine import build_tasks  # the engine (and multiprocessing) is imported by the first build

    env_params = dict(env_params)
    executor = env_params.pop('executor', None)  # a Dask cluster (gokart._engine._dask), not a luigi parameter

    return build_tasks(
        [task],
        worker_scheduler_factory=WorkerSchedulerFactory(),
        local_scheduler=True,
        detailed_summary=True,
        log_level=logging.getLevelName(log_level),
        executor=executor,
        **env_params,
    )


def _build_once(task: Any, log_level: int, env_params: dict[str, Any]) -> None:
    with _FailureRecorder() as failures:
        result = _execute(task, log_level, env_params)
    if failures.lock_flag.flag:
        raise HasLockedTaskException()
    from gokart._notebook._failure import conclude  # imported by the first build, not by `import gokart`

    # names the failed task and is chained from its exception (gokart/_notebook/_failure.py; docs/compat.md, Q42)
    error = conclude(result, failures.raised_exceptions, failed=result.status in _FAILED_STATUSES)
    if error is not None:
        raise error


def _build_with_retries(task: Any, log_level: int, env_params: dict[str, Any], max_tries: int, max_wait: int) -> None:
    """_build_once, retried with backoff's exponential waits while a redis run lock collides.

    The first attempt runs without backoff, so a build that collides with no lock never imports it. After a
    collision, backoff gets that attempt's failure back as its own first try: tries, waits and its log
    lines are the ones it would have given (max_tries counts the first attempt).
    """
    try:
        _build_once(task, log_level, env_params)
        return
    except HasLockedTaskException as collision:
        first_failure: list[BaseException] = [collision]

    @functools.wraps(_build_once)
    def attempt(*args: Any) -> None:
        if first_failure:
            raise first_failure.pop()
        _build_once(*args)

    backoff.on_exception(backoff.expo, HasLockedTaskException, max_tries=max_tries, max_value=max_wait)(attempt)(
        task, log_level, env_params
    )


@overload
def build(
    task: TaskOnKart[T],
    return_value: Literal[True] = True,
    reset_register: bool = True,
    log_level: int = logging.ERROR,
    task_lock_exception_max_tries: int = 10,
    task_lock_exception_max_wait_seconds: int = 600,
    task_dump_config: TaskDumpConfig = TaskDumpConfig(),
    **env_params: Any,
) -> T: ...


@overload
def build(
    task: TaskOnKart[T],
    return_value: Literal[False],
    reset_register: bool = True,
    log_level: int = logging.ERROR,
    task_lock_exception_max_tries: int = 10,
    task_lock_exception_max_wait_seconds: int = 600,
    task_dump_config: TaskDumpConfig = TaskDumpConfig(),
    **env_params: Any,
) -> None: ...


def build(
    task: Any,
    return_value: bool = True,
    reset_register: bool = True,
    log_level: int = logging.ERROR,
    task_lock_exception_max_tries: int = 10,
    task_lock_exception_max_wait_seconds: int = 600,
    task_dump_config: TaskDumpConfig = TaskDumpConfig(),
    **env_params: Any,
) -> Any:
    """Run `task` with a local scheduler and return its loaded output (None if `return_value` is False).

    `env_params` go to luigi (`workers`, `no_lock`, ...), except `executor`: a distributed.Client or a Dask
    scheduler address runs the tasks on that cluster (needs `pip install gokart[dask]`). A failed run
    raises GokartBuildError; a run that collided with another process's redis run lock is retried with
    exponential backoff.
    """
    __tracebackhide__ = True  # noqa: F841 - IPython and pytest leave this frame out of tracebacks
    from gokart._notebook._failure import user_traceback  # imported by the first build, not by `import gokart`
    from gokart._notebook._progress import BuildProgress

    if reset_register:
        _reset_register()
    # BuildProgress: a live display and summary in a Jupyter kernel, nothing elsewhere (gokart/_notebook/)
    with LoggerConfig(level=log_level), build_session(), BuildProgress(task):
        process_task_info(task, task_dump_config)
        try:
            _build_with_retries(
                task, log_level, env_params, task_lock_exception_max_tries, task_lock_exception_max_wait_seconds
            )
        except GokartBuildError as error:
            # the traceback shown ends in the user's run(), not in the engine; the cause keeps the whole one
            raise error.with_traceback(user_traceback(error)) from error.__cause__
        return _get_output(task) if return_value else None
