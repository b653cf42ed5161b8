"""Start-up workloads: the wall time of `python -c 'import gokart'` (and of `import luigi`, the floor the
issue measures against), each the median of SIZE fresh interpreters of the benchmarked environment.

Installers compile bytecode, but an editable install or `PYTHONDONTWRITEBYTECODE` may leave none: one
untimed run with bytecode writing allowed comes first, so that neither side pays for compiling.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import time

from run_data import Workload


def _import(module: str):
    def measure(value, workdir: str) -> float:
        command = [sys.executable, '-c', f'import {module}']
        env = {k: v for k, v in os.environ.items() if k != 'PYTHONDONTWRITEBYTECODE'}
        subprocess.run(command, env=env, check=True, cwd=workdir)  # untimed: writes missing bytecode
        runs, cpu = [], []
        for _ in range(value):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run(command, env=env, check=True, cwd=workdir)
            runs.append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        # CPU seconds beside wall seconds: on a loaded machine they show what the import itself costs
        with open(os.path.join(workdir, f'import_{module}.json'), 'w') as f:
            json.dump({'command': command, 'runs': runs, 'cpu': cpu}, f)
        return statistics.median(runs)

    return measure


WORKLOADS = {
    f'import_{module}': Workload(
        make_input=lambda size, workdir: size, measure=_import(module), self_timed=True, full=(3,), quick=(1,)
    )
    for module in ('gokart', 'luigi')
}
