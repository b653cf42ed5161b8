"""Run one data-format workload in this process and print one JSON line: {"seconds"} or {"error"}.

    python run_data.py NAME SIZE WORKDIR [--phase all|prepare|measure]
    python run_data.py --list     # the workloads as JSON: sizes, flags, goals

Workloads live in `workloads_*.py` beside this file, each a dict `WORKLOADS = {name: Workload}`. `prepare`
(untimed, e.g. writing the file a load reads) can run in an earlier process (`--phase prepare`), so that
the timed part starts in a fresh one; `make_input` (untimed) builds what `measure` consumes; only
`measure` is timed (a `self_timed` one returns its own seconds). They use only the public API that
gokart 1.12.2 and ours share.
"""

from __future__ import annotations

import argparse
import glob
import importlib
import json
import os
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))


@dataclass
class Workload:
    measure: Callable[[Any, str], Any]
    make_input: Callable[[int, str], Any] = lambda size, workdir: None
    prepare: Callable[[int, str], None] = lambda size, workdir: None
    fresh_process: bool = False  # prepare in an earlier process than measure
    full: tuple = ()
    quick: tuple = ()
    goal: float | None = None  # the ratio (1.12.2 time / ours) the issue asks for
    self_timed: bool = False  # measure returns its own seconds (e.g. a median of subprocess runs)


def registry() -> dict[str, Workload]:
    found: dict[str, Workload] = {}
    for path in sorted(glob.glob(os.path.join(HERE, 'workloads_*.py'))):
        module = importlib.import_module(os.path.splitext(os.path.basename(path))[0])
        found.update(module.WORKLOADS)
    return found


def main() -> int:
    if sys.argv[1:] == ['--list']:
        table = {
            name: {'full': w.full, 'quick': w.quick, 'fresh': w.fresh_process, 'goal': w.goal}
            for name, w in registry().items()
        }
        print(json.dumps(table))
        return 0
    parser = argparse.ArgumentParser()
    parser.add_argument('name')
    parser.add_argument('size', type=int)
    parser.add_argument('workdir')
    parser.add_argument('--phase', choices=('all', 'prepare', 'measure'), default='all')
    args = parser.parse_args()
    os.chdir(args.workdir)
    try:
        workload = registry()[args.name]
        if args.phase in ('all', 'prepare'):
            workload.prepare(args.size, args.workdir)
        if args.phase == 'prepare':
            print(json.dumps({'seconds': 0.0}))
            return 0
        value = workload.make_input(args.size, args.workdir)
        start = time.perf_counter()
        result = workload.measure(value, args.workdir)
        seconds = time.perf_counter() - start
        if workload.self_timed:
            seconds = float(result)
    except Exception as error:  # reported, not raised: the driver prints it in the table
        traceback.print_exc()
        print(json.dumps({'error': f'{type(error).__name__}: {error}'[:300]}))
        return 1
    print(json.dumps({'seconds': seconds}))
    return 0


if __name__ == '__main__':
    sys.path.insert(0, HERE)
    sys.exit(main())
