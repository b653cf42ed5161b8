"""Run one workload in this process and print one JSON line: {"seconds", "peak_rss_mb", "error"}.

    python run_workload.py NAME SIZE [--workers N] [--prepare]

Timed: from constructing the root to the end of the build (imports excluded). The workload runs in a thread
with a 1 GiB stack and a high recursion limit, so both implementations get as deep as their algorithms allow
(gokart 1.12.2 recurses through deep graphs; with Python's default limit it fails at a few hundred levels).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import threading
import time

import bench_tasks as bt
import luigi.configuration
import plain_pipeline

import gokart


def _build(root, workers: int) -> None:
    gokart.build(root, reset_register=False, return_value=False, workers=workers)


def _construct_ids(n: int, workers: int) -> None:
    tasks = [bt.Leaf(i=i) for i in range(n)]
    for task in tasks:
        task.make_unique_id()
        task.task_id  # noqa: B018 - luigi's id, computed at construction


def _floor(n: int, workers: int) -> float:
    """The cold-build floor of `dag` n: the seconds to create the files a cold build creates (same paths
    and bytes, each written to a temporary sibling and renamed) in a tight loop. The build that finds them
    is not timed."""
    home = os.getcwd()
    scratch = tempfile.mkdtemp(prefix='scratch-', dir=home)
    os.chdir(scratch)
    try:
        _build(bt.DagRoot(n=n), 1)
    finally:
        os.chdir(home)
    files = []
    for directory, _, names in os.walk(scratch):
        for name in names:
            path = os.path.join(directory, name)
            with open(path, 'rb') as f:
                files.append((os.path.join(home, 'floor', os.path.relpath(path, scratch)), f.read()))
    start = time.perf_counter()
    for path, data in files:
        plain_pipeline.create_atomically(path, data)
    return time.perf_counter() - start


def _plain_floor(n: int, workers: int) -> float:
    """The plain-Python floor of `dag` n: the same graph, ids and file creations as the least Python
    does them, without luigi or gokart (plain_pipeline.py)."""
    start = time.perf_counter()
    plain_pipeline.build(n, os.getcwd())
    return time.perf_counter() - start


WORKLOADS = {
    'floor': _floor,
    'plain_floor': _plain_floor,
    'construct_ids': _construct_ids,
    'fan': lambda n, w: _build(bt.FanRoot(n=n), w),
    'dag': lambda n, w: _build(bt.DagRoot(n=n), w),
    'chain': lambda n, w: _build(bt.ChainLink(k=n - 1), w),
    'tip_new': lambda n, w: bt.tip_chain(n),  # construction alone (ours defers the ids)
    'tip_construct': lambda n, w: bt.tip_chain(n).make_unique_id(),  # construction + unique id
    'tip': lambda n, w: _build(bt.tip_chain(n), w),
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument('name')
    parser.add_argument('size', type=int)
    parser.add_argument('--workers', type=int, default=1)
    parser.add_argument('--default-stack', action='store_true', help="keep Python's default recursion limit")
    args = parser.parse_args()
    kind = args.name.removesuffix('_cold').removesuffix('_warm')
    outcome = {'error': None}

    def work():
        start = time.perf_counter()
        timed = None
        try:
            timed = WORKLOADS[kind](args.size, args.workers)
        except BaseException as ex:  # reported, not raised: the comparison table shows it
            outcome['error'] = f'{type(ex).__name__}: {str(ex)[:200]}'
        # a workload that times only part of itself returns that time
        outcome['seconds'] = timed if isinstance(timed, float) else time.perf_counter() - start

    if args.default_stack:
        work()
    else:
        # luigi's worker installs a signal handler, which only the main thread may do: ask it not to
        config = luigi.configuration.get_config()
        for section in ('worker', 'gokart_worker'):
            if not config.has_section(section):
                config.add_section(section)
            config.set(section, 'no_install_shutdown_handler', 'true')
        sys.setrecursionlimit(1_000_000)
        threading.stack_size(1 << 30)
        thread = threading.Thread(target=work)
        thread.start()
        thread.join()
    error, seconds = outcome['error'], outcome['seconds']
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({'seconds': seconds, 'peak_rss_mb': peak_kb / 1024, 'error': error}))


if __name__ == '__main__':
    main()
