"""Private local engine behind gokart.build() and gokart.run(--local-scheduler).

It replaces luigi's worker + local scheduler for one process: iterative discovery (`_graph`), a ready
queue (`_scheduler`, `_state`), task execution with luigi's events (`_runner`, `_pool`) and luigi's
summary and status codes (`_summary`). Central-scheduler runs stay on luigi.
"""

from gokart._engine._entry import build_tasks, run_cmdline, run_cmdline_or_patched, schedule_and_run
from gokart._engine._summary import summary_dict

__all__ = ['build_tasks', 'run_cmdline', 'run_cmdline_or_patched', 'schedule_and_run', 'summary_dict']
