"""Run one workload in this process and print one JSON line: {"seconds", "peak_rss_mb", "error"}.

    python run_workload.py NAME SIZE [--workers N] [--prepare]

Timed: from constructing the root to the end of the build (imports excluded). `--prepare` runs the build
untimed, to leave a warm cache for a following `*_warm` run in the same directory.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time

import bench_tasks as bt

import gokart


def _build(root, workers: int) -> None:
    gokart.build(root, reset_register=False, return_value=False, workers=workers)


def _construct_ids(n: int, workers: int) -> None:
    tasks = [bt.Leaf(i=i) for i in range(n)]
    for task in tasks:
        task.make_unique_id()
        task.task_id  # noqa: B018 - luigi's id, computed at construction


WORKLOADS = {
    'construct_ids': _construct_ids,
    'fan': lambda n, w: _build(bt.FanRoot(n=n), w),
    'dag': lambda n, w: _build(bt.DagRoot(n=n), w),
    'chain': lambda n, w: _build(bt.ChainLink(k=n - 1), w),
    'tip_construct': lambda n, w: bt.tip_chain(n).make_unique_id(),
    'tip': lambda n, w: _build(bt.tip_chain(n), w),
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument('name')
    parser.add_argument('size', type=int)
    parser.add_argument('--workers', type=int, default=1)
    parser.add_argument('--prepare', action='store_true')
    args = parser.parse_args()
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 1000))
    kind = args.name.removesuffix('_cold').removesuffix('_warm')
    error = None
    start = time.perf_counter()
    try:
        WORKLOADS[kind](args.size, args.workers)
    except BaseException as ex:  # reported, not raised: the comparison table shows it
        error = f'{type(ex).__name__}: {str(ex)[:200]}'
    seconds = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({'seconds': seconds, 'peak_rss_mb': peak_kb / 1024, 'error': error}))


if __name__ == '__main__':
    main()
