"""Delete workspace files that the given task tree no longer produces (``delete_unnecessary_output_files``)."""

from __future__ import annotations

import os
import pathlib
from logging import getLogger
from typing import Any

import luigi

from gokart import _log_writer
from gokart.utils import flatten

__all__ = ['delete_local_unnecessary_outputs']

logger = getLogger(__name__)


def _tasks_leaves_first(task: Any) -> list[Any]:
    """Every task reachable from ``task``, dependencies before dependants (iterative: pipelines can be deep).

    In this order each unique id is computed once its dependencies' ids are cached, never recursively.
    """
    ordered: list[Any] = []
    seen: set[int] = set()
    stack: list[tuple[Any, bool]] = [(task, False)]
    while stack:
        current, children_done = stack.pop()
        if children_done:
            ordered.append(current)
            continue
        if id(current) in seen:
            continue
        seen.add(id(current))
        stack.append((current, True))
        children = [child for child in flatten(current.requires()) if isinstance(child, luigi.Task)]
        stack.extend((child, False) for child in reversed(children) if id(child) not in seen)
    return ordered


def _get_all_output_file_paths(task: Any) -> list[str]:
    """Output paths of ``task`` and, depth first, of everything it requires (repeated for shared dependencies)."""
    paths: list[str] = []
    stack = [task]
    while stack:  # iterative: pipelines can be deeper than the recursion limit
        current = stack.pop()
        for target in flatten(current.output()):
            path = target.path
            paths.append(path() if callable(path) else path)
        stack.extend(reversed(flatten(current.requires())))
    return paths


def _output_paths(tasks: list[Any]) -> set[str]:
    paths = set()
    for task in tasks:
        for target in flatten(task.output()):
            path = target.path
            paths.add(os.path.abspath(path() if callable(path) else path))
    return paths


def delete_local_unnecessary_outputs(task: Any) -> None:
    """Remove ``*.*`` files under the workspace, except ``log/`` and the outputs of ``task``'s whole tree.

    Paths are compared as absolute normalised paths, so a ``./resources/`` workspace keeps its needed files
    (gokart 1.12.2 compared differently spelled paths and deleted them; docs/compat.md, Q5).
    """
    _log_writer.flush()  # log files still being written must not appear after the listing
    workspace = pathlib.Path(task.workspace_directory)
    needed = _output_paths(_tasks_leaves_first(task))
    unnecessary = sorted(
        str(path)
        for path in workspace.glob('**/*.*')
        if path.is_file() and path.relative_to(workspace).parts[0] != 'log' and os.path.abspath(path) not in needed
    )
    if not unnecessary:
        logger.info('all files are necessary for this task.')
        return
    logger.info('remove following files: \n ' + '\n'.join(unnecessary))
    for path in unnecessary:
        os.remove(path)
