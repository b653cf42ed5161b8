"""Task information of a whole pipeline, as text, a DataFrame, or dumped files."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from gokart._lazy import LazyModule
from gokart.target import make_target
from gokart.task import TaskOnKart
from gokart.tree.task_info_formatter import make_task_info_tree, make_tree_info, make_tree_info_table_list

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = LazyModule('pandas', globals(), 'pd')  # the table only

__all__ = ['dump_task_info_table', 'dump_task_info_tree', 'make_task_info_as_table', 'make_task_info_as_tree_str']


def make_task_info_as_tree_str(
    task: TaskOnKart[Any], details: bool = False, abbr: bool = True, ignore_task_names: list[str] | None = None
) -> str:
    """The task tree as text, e.g. ``\\n└─-(PENDING) Double[<id>]\\n   └─-(PENDING) Source[<id>]``.

    ``details`` adds parameters, outputs, processing time and task log; ``abbr`` prints repeated subtrees once.
    """
    task_info = make_task_info_tree(task, ignore_task_names=ignore_task_names)
    return make_tree_info(task_info, indent='', last=True, details=details, abbr=abbr, visited_tasks=set())


def make_task_info_as_table(task: TaskOnKart[Any], ignore_task_names: list[str] | None = None) -> pd.DataFrame:
    task_info = make_task_info_tree(task, ignore_task_names=ignore_task_names)
    return pd.DataFrame(make_tree_info_table_list(task_info=task_info, visited_tasks=set()))


def dump_task_info_table(
    task: TaskOnKart[Any], task_info_dump_path: str, ignore_task_names: list[str] | None = None
) -> None:
    """Dump the table next to the CWD, the root task's unique id inserted into the file name."""
    table = make_task_info_as_table(task=task, ignore_task_names=ignore_task_names)
    target = make_target(file_path=task_info_dump_path, unique_id=task.make_unique_id())
    target.dump(obj=table, lock_at_dump=False)


def dump_task_info_tree(
    task: TaskOnKart[Any],
    task_info_dump_path: str,
    ignore_task_names: list[str] | None = None,
    use_unique_id: bool = True,
) -> None:
    """Pickle the ``TaskInfo`` tree; the path must end with ``.pkl``."""
    extension = os.path.splitext(task_info_dump_path)[1]
    assert extension == '.pkl', f'File extention must be `.pkl`, not `{extension}`.'
    task_info = make_task_info_tree(task, ignore_task_names=ignore_task_names)
    unique_id = task.make_unique_id() if use_unique_id else None
    make_target(file_path=task_info_dump_path, unique_id=unique_id).dump(obj=task_info, lock_at_dump=False)
