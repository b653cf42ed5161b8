"""After run(): a TaskOnKart must have written every output, else its dependents fail obscurely later.

luigi (and gokart 1.12.2) mark such a task DONE; its dependents then fail with "Unfulfilled dependency at
run time" and are retried, and gokart.build of the task itself fails with a bare FileNotFoundError
(docs/compat.md, Q25).
"""

from __future__ import annotations

from typing import Any

from gokart.errors import TaskOutputMissingError
from gokart.utils import flatten


def check_outputs_written(task: Any) -> None:
    from gokart.task import TaskOnKart

    if not isinstance(task, TaskOnKart):
        return
    missing = [target for target in flatten(task.output()) if not target.exists()]
    if missing:
        paths = ', '.join(
            str(t.path() if callable(getattr(t, 'path', None)) else getattr(t, 'path', t)) for t in missing
        )
        raise TaskOutputMissingError(
            f'{task!r} finished run() without writing its output: {paths}. Does run() call self.dump()?'
        )
