"""Entry points mirroring luigi.interface._schedule_and_run and _run, with the engine for local runs."""

from __future__ import annotations

import signal
import sys
from typing import TYPE_CHECKING, Any

import luigi.interface
import luigi.worker
from luigi import lock
from luigi.cmdline_parser import CmdlineParser
from luigi.setup_logging import InterfaceLogging

import gokart.worker
from gokart._engine._engine import Engine
from gokart._engine._options import EngineOptions, unsupported_reason
from gokart._kart import patch_points

if TYPE_CHECKING:
    from collections.abc import Iterable

    from luigi.execution_summary import LuigiRunResult
    from luigi.task import Task

__all__ = ['build_tasks', 'run_cmdline', 'run_cmdline_or_patched', 'schedule_and_run']


def _options(gokart_worker: bool) -> EngineOptions:
    if gokart_worker:
        return EngineOptions.from_config(gokart.worker.gokart_worker(), gokart_semantics=True)
    return EngineOptions.from_config(luigi.worker.worker(), gokart_semantics=False)


def schedule_and_run(
    tasks: Iterable[Task],
    worker_scheduler_factory: object = None,
    override_defaults: dict[str, Any] | None = None,
    *,
    gokart_worker: bool = True,
    executor: object = None,
) -> LuigiRunResult:
    """luigi.interface._schedule_and_run; local-scheduler runs go through the engine.

    Runs that name a central scheduler, or that need worker features the engine leaves to luigi
    (see `unsupported_reason`), are handed to luigi unchanged. `executor` (a distributed.Client or a
    scheduler address) runs the tasks on a Dask cluster instead (`_dask.py`).
    """
    override_defaults = dict(override_defaults or {})
    env_params = luigi.interface.core(**override_defaults)
    options = _options(gokart_worker)
    if executor is None and unsupported_reason(options, env_params) is not None:
        return luigi.interface._schedule_and_run(tasks, worker_scheduler_factory, override_defaults=override_defaults)
    InterfaceLogging.setup(env_params)
    kill_signal = signal.SIGUSR1 if env_params.take_lock else None
    if not env_params.no_lock and not lock.acquire_for(env_params.lock_pid_dir, env_params.lock_size, kill_signal):
        raise luigi.interface.PidLockAlreadyTakenExit()
    if executor is not None:
        from gokart._engine._dask import build_on_dask  # distributed is imported by the first Dask build

        return build_on_dask(tasks, options, executor)
    return Engine(options, env_params.workers).build(tasks)


def run_cmdline(
    cmdline_args: list[str] | tuple[str, ...] | None = None,
    worker_scheduler_factory: object = None,
    *,
    gokart_worker: bool = True,
    executor: object = None,
) -> LuigiRunResult:
    """luigi.interface._run(cmdline_args, worker_scheduler_factory=...) through `schedule_and_run`."""
    if cmdline_args is not None and not isinstance(cmdline_args, (list, tuple)):
        raise TypeError(
            f'cmdline_args must be a list or tuple of command-line arguments, got {type(cmdline_args).__name__!r}. '
            "Example: ['MyTask', '--param', 'value']"
        )
    cmdline_args = sys.argv[1:] if cmdline_args is None else list(cmdline_args)
    with CmdlineParser.global_instance(cmdline_args) as cp:
        return schedule_and_run(
            [cp.get_task_obj()], worker_scheduler_factory, gokart_worker=gokart_worker, executor=executor
        )


def build_tasks(
    tasks: Iterable[Task],
    worker_scheduler_factory: object = None,
    detailed_summary: bool = False,
    *,
    executor: object = None,
    **env_params: Any,
) -> LuigiRunResult | bool:
    """luigi.build with the engine (same signature, so misuse raises the same TypeError).

    A luigi.build patched by a user or a test is called instead, so it keeps seeing every build (but
    not with an `executor`: that run is ours).
    """
    if executor is None and not patch_points.luigi_build_is_original():
        return luigi.build(
            tasks, worker_scheduler_factory=worker_scheduler_factory, detailed_summary=detailed_summary, **env_params
        )
    env_params.setdefault('no_lock', True)
    result = schedule_and_run(tasks, worker_scheduler_factory, override_defaults=env_params, executor=executor)
    return result if detailed_summary else result.scheduling_succeeded


def run_cmdline_or_patched(
    cmdline_args: list[str] | tuple[str, ...] | None, worker_scheduler_factory: object = None, executor: object = None
) -> LuigiRunResult:
    """run_cmdline, unless luigi.interface._run was patched (and no `executor` is given)."""
    if executor is None and not patch_points.luigi_run_is_original():
        return luigi.interface._run(cmdline_args, worker_scheduler_factory=worker_scheduler_factory)
    return run_cmdline(cmdline_args, worker_scheduler_factory, executor=executor)
