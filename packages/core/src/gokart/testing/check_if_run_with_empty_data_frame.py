"""Test-run mode: `--test-run-pandas` runs the workflow, then re-runs each task's `run()` with dumps disabled."""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import luigi
import luigi.cmdline_parser
from luigi.task import flatten

from gokart._lazy import LazyModule
from gokart.task import TaskOnKart

if TYPE_CHECKING:
    from unittest import mock
else:
    mock = LazyModule('unittest.mock', globals(), 'mock')  # test-run mode only

__all__ = ['test_run', 'try_to_run_test_for_empty_data_frame']

test_logger = logging.getLogger(__name__)
# The results are the report of test-run mode: printed bare on stderr whatever the logging setup, as 1.12.2 did
# (a handler of its own, INFO enabled; records still propagate to handlers the user configured).
test_logger.addHandler(logging.StreamHandler())
test_logger.setLevel(logging.INFO)

_OPTION_PREFIX = '--test-run-'


class test_run(TaskOnKart):
    """Command-line options of test-run mode (`--test-run-pandas`, `--test-run-namespace=<ns>`)."""

    __test__ = False  # not a pytest test class despite its name

    pandas = luigi.BoolParameter()
    namespace = luigi.OptionalStrParameter(
        default=None,
        description='Only test tasks of this namespace; tasks without one have "__not_user_specified".',
    )


@dataclass
class _TestStatus:
    task: Any
    exception: Exception | None = None

    def format(self) -> str:
        line = (
            f'status={"NG" if self.exception else "OK"}; namespace={self.task.task_namespace}; '
            f'name={type(self.task).__name__}; id={self.task.make_unique_id()};'
        )
        if self.exception is not None:
            args = ', '.join(map(str, self.exception.args))
            line += f' message={type(self.exception)}: {args}'
        return line


def _strip_test_run_options(cmdline_args: list[str]) -> list[str]:
    stripped, skip_value = [], False
    for arg in cmdline_args:
        if skip_value:
            skip_value = False
        elif arg.startswith(_OPTION_PREFIX):
            # `--test-run-namespace ns` carries its value in the next argument.
            skip_value = arg == f'{_OPTION_PREFIX}namespace'
        else:
            stripped.append(arg)
    return stripped


def _get_all_tasks(task: Any) -> list[Any]:
    """The task and its dependencies, depth first; a shared dependency is listed once per path."""
    return [task, *(sub for dep in flatten(task.requires()) for sub in _get_all_tasks(dep))]


def _run_with_test_status(task: Any) -> _TestStatus:
    try:
        task.run()
    except Exception as e:
        return _TestStatus(task, e)
    return _TestStatus(task)


def _test_run_with_empty_data_frame(cmdline_args: list[str], test_run_params: test_run) -> None:
    # gokart.run() called us: the test run first runs the real workflow through it once more.
    from gokart.run import run

    try:
        run(cmdline_args=cmdline_args)
    except SystemExit as e:
        assert e.code == 0, f'original workflow does not run properly. It exited with error code {e.code}.'
    with luigi.cmdline_parser.CmdlineParser.global_instance(cmdline_args):
        root = luigi.cmdline_parser.CmdlineParser.get_instance().get_task_obj()
    namespace = test_run_params.namespace
    tasks = [t for t in _get_all_tasks(root) if namespace is None or t.task_namespace == namespace]
    with mock.patch('gokart.TaskOnKart.dump', new=lambda *args, **kwargs: None):
        results = [_run_with_test_status(t) for t in tasks]
    test_logger.info('\n'.join(['gokart test results:', *(r.format() for r in results)]))
    sys.exit(1 if any(r.exception is not None for r in results) else 0)


def try_to_run_test_for_empty_data_frame(cmdline_args: list[str]) -> None:
    """In test-run mode, test the workflow and exit (0 if every task's run() passed, else 1); otherwise return."""
    with luigi.cmdline_parser.CmdlineParser.global_instance(cmdline_args):
        test_run_params = test_run()
    if test_run_params.pandas:
        _test_run_with_empty_data_frame(_strip_test_run_options(cmdline_args), test_run_params)
