"""Tree-info entry points: ``make_tree_info`` and the ``tree_info`` config task behind ``--tree-info-*``."""

from __future__ import annotations

from typing import Any

import luigi

from gokart.task import TaskOnKart
from gokart.tree.task_info import make_task_info_as_tree_str

__all__ = ['make_tree_info', 'tree_info']


def make_tree_info(
    task: TaskOnKart[Any],
    indent: str = '',
    last: bool = True,
    details: bool = False,
    abbr: bool = True,
    visited_tasks: set[str] | None = None,
    ignore_task_names: list[str] | None = None,
) -> str:
    """The task tree as text (see ``gokart.tree.task_info.make_task_info_as_tree_str``).

    ``indent``, ``last`` and ``visited_tasks`` are accepted for compatibility and ignored.
    """
    return make_task_info_as_tree_str(task=task, details=details, abbr=abbr, ignore_task_names=ignore_task_names)


class tree_info(TaskOnKart[Any]):
    """Read from ``--tree-info-mode`` (``simple``/``all``) and ``--tree-info-output-path`` by ``gokart.run``."""

    mode: luigi.StrParameter = luigi.StrParameter(default='', description='This must be in ["simple", "all"].')
    output_path: luigi.StrParameter = luigi.StrParameter(default='tree.txt', description='Output file path.')

    def output(self) -> Any:
        return self.make_target(self.output_path, use_unique_id=False)
