"""`gokart.run()`: luigi's command line (`python main.py Task --local-scheduler ...`) with gokart's extras.

Before running, the command line may select tree-info mode, delete mode or test-run mode, each of which
exits without running the workflow. Otherwise the workflow runs on gokart's worker and the process exits
with luigi's retcodes; a Slack report is sent on the way out when configured.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

import luigi
import luigi.cmdline_parser
import luigi.execution_summary
import luigi.interface
import luigi.retcodes
from luigi.setup_logging import InterfaceLogging

import gokart.slack
import gokart.testing
from gokart._events import remove_task_handlers
from gokart._kart.session import build_session
from gokart.build import WorkerSchedulerFactory
from gokart.object_storage import ObjectStorage

__all__ = ['run']

logger = logging.getLogger(__name__)

# gokart's retcodes (luigi's defaults are 0 for everything but unhandled_exception).
_RETCODES = {'already_running': 10, 'missing_data': 20, 'not_run': 30, 'task_failed': 40, 'scheduling_error': 50}


def _parsed(cmdline_args: list[str]) -> Any:
    """Context manager making `cmdline_args` luigi's global command line (class params read it)."""
    return luigi.cmdline_parser.CmdlineParser.global_instance(cmdline_args)


def _root_task() -> Any:
    # Looked up through get_instance() so that a patched parser is honoured.
    return luigi.cmdline_parser.CmdlineParser.get_instance().get_task_obj()


def _try_tree_info(cmdline_args: list[str]) -> None:
    """With `--tree-info-mode=simple|all`, write the dependency tree to `--tree-info-output-path` and exit 0."""
    with _parsed(cmdline_args):
        options = gokart.tree_info()
        mode = options.mode
        if mode == '':
            return
        output_path = options.output().path()
    if mode not in ('simple', 'all'):
        raise ValueError(f'--tree-info-mode must be "simple" or "all", but "{mode}" is passed.')
    _run_tree_info(cmdline_args, details=mode == 'all')
    logger.info(f'output tree info: {output_path}')
    sys.exit()


def _run_tree_info(cmdline_args: list[str], details: bool) -> None:
    """Dump the dependency tree of the command line's task to tree_info's output."""
    with _parsed(cmdline_args):
        # looked up on gokart at call time, where users patch them (as 1.12.2 does)
        gokart.tree_info().output().dump(gokart.make_tree_info(_root_task(), details=details))


def _try_to_delete_unnecessary_output_file(cmdline_args: list[str]) -> None:
    """With `--delete-unnecessary-output-files` on the root task, delete stale local outputs and exit 0."""
    with _parsed(cmdline_args):
        task = _root_task()
        if not getattr(task, 'delete_unnecessary_output_files', False):
            return
        if ObjectStorage.if_object_storage_path(task.workspace_directory):
            logger.info('delete-unnecessary-output-files is not support s3/gcs.')
        else:
            gokart.delete_local_unnecessary_outputs(task)  # looked up on gokart, where users patch it
    sys.exit()


def _try_get_slack_api(cmdline_args: list[str]) -> gokart.slack.SlackAPI | None:
    """A SlackAPI when the token env var named by SlackConfig and a channel are set, else None."""
    with _parsed(cmdline_args):
        config = gokart.slack.SlackConfig()
        token = os.getenv(config.token_name, '')
        channel, to_user = config.channel, config.to_user
    if token and channel:
        logger.info('Slack notification is activated.')
        return gokart.slack.SlackAPI(token=token, channel=channel, to_user=to_user)
    logger.info('Slack notification is not activated.')
    return None


def _try_to_send_event_summary_to_slack(
    slack_api: gokart.slack.SlackAPI | None, event_aggregator: gokart.slack.EventAggregator, cmdline_args: list[str]
) -> None:
    if slack_api is None:
        return
    with _parsed(cmdline_args):
        task = _root_task()
        if gokart.slack.SlackConfig().send_tree_info:
            tree_text = gokart.make_tree_info(task, details=True)
        else:
            tree_text = 'Please add SlackConfig.send_tree_info to include tree-info'
    comment = os.linesep.join([f'Report of {type(task).__name__}', event_aggregator.get_summary()])
    content = os.linesep.join(
        ['===== Event List ====', event_aggregator.get_event_list(), os.linesep, '==== Tree Info ====', tree_text]
    )
    slack_api.send_snippet(comment=comment, title='event.txt', content=content)


def _execute_cmdline(argv: list[str], *, executor: object = None) -> Any:
    """The single call that runs the workflow; returns luigi's LuigiRunResult."""
    from gokart._engine import run_cmdline_or_patched  # imported by the first run, as in gokart.build

    return run_cmdline_or_patched(argv, worker_scheduler_factory=WorkerSchedulerFactory(), executor=executor)


def _summarize(result: Any, argv: list[str]) -> tuple[dict[str, set[Any]], Any]:
    """luigi's summary categories of a finished run and its root task."""
    with _parsed(argv):
        worker = result.worker
        sets = getattr(result, 'summary_sets', None)  # the engine's run: no recursive walk over requires()
        return sets or luigi.execution_summary._summary_dict(worker), luigi.execution_summary._root_task(worker)


def _exit_code(task_sets: dict[str, set[Any]], root_task: Any, retcodes: Any) -> int:
    """luigi's rule: the largest code among non-empty categories; `not_run` if the root neither ran nor was done."""
    codes_and_categories = (
        (retcodes.missing_data, 'still_pending_ext'),
        (retcodes.task_failed, 'failed'),
        (retcodes.already_running, 'run_by_other_worker'),
        (retcodes.scheduling_error, 'scheduling_error'),
        (retcodes.not_run, 'not_run'),
    )
    code = max(code if task_sets.get(category) else 0 for code, category in codes_and_categories)
    if code == 0 and root_task not in task_sets['completed'] and root_task not in task_sets['already_done']:
        return retcodes.not_run
    return code


def _run_with_retcodes(argv: list[str], *, executor: object = None) -> None:
    """luigi's `run_with_retcodes` on gokart's worker: always raises SystemExit with the run's code."""
    with _parsed(argv):
        retcodes = luigi.retcodes.retcode()
    try:
        with build_session():
            result = _execute_cmdline(argv, executor=executor)
    except luigi.interface.PidLockAlreadyTakenExit:
        sys.exit(retcodes.already_running)
    except Exception:
        InterfaceLogging.setup(luigi.interface.core())  # the failure may precede luigi's logging setup
        logging.getLogger('luigi-interface').exception('Uncaught exception in luigi')
        sys.exit(retcodes.unhandled_exception)
    sys.exit(_exit_code(*_summarize(result, argv), retcodes))


def run(cmdline_args: list[str] | None = None, set_retcode: bool = True, *, executor: object = None) -> None:
    """Run the task named on the command line (default `sys.argv[1:]`); always ends with SystemExit.

    `executor`: a distributed.Client or a Dask scheduler address runs the tasks on that cluster.
    """
    cmdline_args = cmdline_args or sys.argv[1:]
    if set_retcode:
        # Process-wide, as upstream: the class attributes replace luigi's [retcode] parameters.
        for name, code in _RETCODES.items():
            setattr(luigi.retcodes.retcode, name, code)

    _try_tree_info(cmdline_args)
    _try_to_delete_unnecessary_output_file(cmdline_args)
    gokart.testing.try_to_run_test_for_empty_data_frame(cmdline_args)

    slack_api = _try_get_slack_api(cmdline_args)
    event_aggregator = gokart.slack.EventAggregator()
    try:
        event_aggregator.set_handlers()
        _run_with_retcodes(cmdline_args, executor=executor)
    except SystemExit as e:
        _try_to_send_event_summary_to_slack(slack_api, event_aggregator, cmdline_args)
        sys.exit(e.code)
    finally:
        _remove_handlers(event_aggregator)


def _remove_handlers(event_aggregator: gokart.slack.EventAggregator) -> None:
    """Take the report's handlers off luigi.Task once its run is over (1.12.2 leaves them: docs/compat.md, Q57)."""
    remove_task_handlers(
        [(luigi.Event.SUCCESS, event_aggregator._success), (luigi.Event.FAILURE, event_aggregator._failure)]
    )
