"""Worker options the engine honours, read from gokart's `[gokart_worker]` or luigi's `[worker]` section."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import luigi.interface
    import luigi.task

__all__ = ['EngineOptions', 'unsupported_reason']


class EngineOptions(NamedTuple):  # immutable; a NamedTuple costs the first build a third of a dataclass's setup
    worker_id: str = ''
    max_reschedules: int = 1
    timeout: int = 0
    task_limit: int | None = None
    retry_external_tasks: bool = False
    send_failure_email: bool = True
    check_unfulfilled_deps: bool = True
    check_complete_on_run: bool = False
    force_multiprocessing: bool = False
    task_process_context: str | None = None
    cache_task_completion: bool = False
    keep_alive: bool = False
    # gokart's worker only: re-check complete() right before run() and skip it when already done
    task_completion_check_at_run: bool = False
    # gokart's worker insists that complete() returns a real bool; luigi accepts 0/1 too
    strict_complete_value: bool = False
    # gokart's worker fails a TaskOnKart whose run() left an output unwritten (a forgotten dump)
    check_outputs_after_run: bool = False
    logger_name: str = 'luigi-interface'

    @classmethod
    def from_config(cls, config: luigi.task.Config, *, gokart_semantics: bool) -> EngineOptions:
        """`config` is an instance of `gokart.worker.gokart_worker` or `luigi.worker.worker`."""
        fields = set(cls._fields) - {
            'worker_id',
            'logger_name',
            'strict_complete_value',
            'check_outputs_after_run',
        }
        values = {name: getattr(config, name) for name in fields if hasattr(config, name)}
        return cls(
            worker_id=getattr(config, 'id', '') or '',
            strict_complete_value=gokart_semantics,
            check_outputs_after_run=gokart_semantics,
            logger_name='gokart.worker' if gokart_semantics else 'luigi-interface',
            **values,
        )


def unsupported_reason(options: EngineOptions, env_params: luigi.interface.core) -> str | None:
    """Why this run must go through luigi's worker instead (None: the engine handles it).

    These are the options that need a long-lived worker or a timed-out child per task; they are rare
    in gokart pipelines, and luigi's worker already implements them.
    """
    if not env_params.local_scheduler:
        return 'central scheduler'
    if env_params.assistant:
        return 'assistant mode'
    if env_params.parallel_scheduling:
        return 'parallel scheduling'
    if options.timeout:
        return 'worker timeout'
    if options.keep_alive:
        return 'keep-alive'
    if options.retry_external_tasks:
        return 'retry of external tasks'
    if options.task_process_context:
        return 'task process context'
    if options.force_multiprocessing and env_params.workers <= 1:
        return 'forced multiprocessing'
    return None
