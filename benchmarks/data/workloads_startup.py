"""Start-up workloads: the wall time of `python -c 'import gokart'` (and of `import luigi`, the floor the
issue measures against), each the median of SIZE fresh interpreters of the benchmarked environment.
`import_gokart_extra` alternates the two and gives the median of the paired differences, what gokart
adds to luigi's import: pairs taken moments apart keep a drifting machine load out of the difference.

Installers compile bytecode, but an editable install or `PYTHONDONTWRITEBYTECODE` may leave none: one
untimed run of each with bytecode writing allowed comes first, so that neither side pays for compiling.
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


def _run(module: str, workdir: str, env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one fresh interpreter importing `module`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, '-c', f'import {module}'], env=env, check=True, cwd=workdir)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def _startup(modules: tuple[str, ...], name: str):
    def measure(value, workdir: str) -> float:
        env = {k: v for k, v in os.environ.items() if k != 'PYTHONDONTWRITEBYTECODE'}
        for module in modules:
            _run(module, workdir, env)  # untimed: writes missing bytecode
        runs = [[_run(module, workdir, env) for module in modules] for _ in range(value)]
        # CPU seconds beside wall seconds: on a loaded machine they show what the import itself costs
        with open(os.path.join(workdir, f'{name}.json'), 'w') as f:
            json.dump({'modules': modules, 'runs': runs}, f)
        if len(modules) == 1:
            return statistics.median(run[0][0] for run in runs)
        return statistics.median(run[1][0] - run[0][0] for run in runs)

    return measure


WORKLOADS = {
    name: Workload(
        make_input=lambda size, workdir: size, measure=_startup(modules, name), self_timed=True, full=(3,), quick=(1,)
    )
    for name, modules in (
        ('import_gokart', ('gokart',)),
        ('import_luigi', ('luigi',)),
        ('import_gokart_extra', ('luigi', 'gokart')),
    )
}
