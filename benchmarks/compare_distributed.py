"""Tasks per second of the same cold DAG on three executors, each with two workers, on this machine:

    python benchmarks/compare_distributed.py [--python .venv/bin/python] [--sizes 1000,10000] [--cap 600] [--repeat 1]

- dask: `gokart.build(DagRoot(n), executor=client)` on a LocalCluster of 2 worker processes (1 thread each);
- luigid: a luigid on loopback and two `gokart run -m bench_tasks DagRoot --workers 1` processes against it;
- local: `gokart.build(DagRoot(n), workers=2)`.

Each measurement is a fresh temporary workspace; starting the cluster or luigid is not timed. A run past
--cap seconds is stopped and reported as "> cap" (its rate then is an upper bound). Ratios are against the
local engine. See docs/distributed.md.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
WORKLOADS = os.path.join(HERE, 'workloads')
MODES = ('dask', 'luigid', 'local')


def _one(mode: str, n: int) -> None:
    """In a fresh process, cwd a fresh workspace: time one build, print {"seconds": ...}."""
    sys.path.insert(0, WORKLOADS)
    import bench_tasks as bt

    import gokart

    if mode == 'local':
        t0 = time.perf_counter()
        gokart.build(bt.DagRoot(n=n), workers=2, return_value=False)
    else:
        from distributed import Client, LocalCluster

        with (
            LocalCluster(
                n_workers=2, processes=True, threads_per_worker=1, host='127.0.0.1', dashboard_address=':0'
            ) as cluster,
            Client(cluster) as client,
        ):
            client.wait_for_workers(2)
            t0 = time.perf_counter()
            gokart.build(bt.DagRoot(n=n), executor=client, return_value=False)
            seconds = time.perf_counter() - t0
        print(json.dumps({'seconds': seconds}))
        return
    print(json.dumps({'seconds': time.perf_counter() - t0}))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def _wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(('127.0.0.1', port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f'luigid did not listen on port {port}')


def _luigid(python: str, n: int, cap: float, workspace: str) -> float | None:
    port = _free_port()
    luigid = os.path.join(os.path.dirname(python), 'luigid')
    env = {**os.environ, 'PYTHONPATH': WORKLOADS}
    server = subprocess.Popen(
        [luigid, '--port', str(port), '--address', '127.0.0.1', '--state-path', os.path.join(workspace, 'state')],
        cwd=workspace,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for_port(port)
        command = [python, '-m', 'gokart_cli', 'run', '-m', 'bench_tasks', 'DagRoot', '--n', str(n), '--no-progress']
        command += ['--scheduler-host', '127.0.0.1', '--scheduler-port', str(port), '--workers', '1', '--no-lock']
        t0 = time.perf_counter()
        workers = [
            subprocess.Popen(command, cwd=workspace, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for _ in range(2)
        ]
        try:
            for worker in workers:
                worker.wait(timeout=max(0.0, cap - (time.perf_counter() - t0)))
        except subprocess.TimeoutExpired:
            return None
        finally:
            for worker in workers:
                if worker.poll() is None:
                    worker.kill()
                    worker.wait()
        if any(worker.returncode not in (0, 10) for worker in workers):  # 10: some ran by the other worker
            raise RuntimeError(f'gokart run against luigid failed: {[w.returncode for w in workers]}')
        return time.perf_counter() - t0
    finally:
        server.terminate()
        server.wait(timeout=10)


def measure(python: str, mode: str, n: int, cap: float) -> float | None:
    with tempfile.TemporaryDirectory(prefix=f'bench-{mode}-') as workspace:
        if mode == 'luigid':
            return _luigid(python, n, cap, workspace)
        try:
            proc = subprocess.run(
                [python, os.path.abspath(__file__), '--one', mode, str(n)],
                cwd=workspace,
                capture_output=True,
                text=True,
                timeout=cap + 60,  # the cluster's start is not timed
            )
        except subprocess.TimeoutExpired:
            return None
        if proc.returncode != 0:
            raise RuntimeError(f'{mode} at {n} failed:\n{proc.stderr[-3000:]}')
        seconds = json.loads(proc.stdout.strip().splitlines()[-1])['seconds']
        return None if seconds > cap else seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--python', default=sys.executable)
    parser.add_argument('--sizes', default='1000,10000')
    parser.add_argument('--cap', type=float, default=600)
    parser.add_argument('--repeat', type=int, default=1, help='runs per cell; the median is reported')
    parser.add_argument('--modes', default=','.join(MODES))
    parser.add_argument('--one', nargs=2, metavar=('MODE', 'N'), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        _one(args.one[0], int(args.one[1]))
        return
    modes = args.modes.split(',')
    print(
        '| tasks | '
        + ' | '.join(f'{mode} tasks/s' for mode in modes)
        + ' | '
        + ' | '.join(f'{mode} / local' for mode in modes if mode != 'local')
        + ' |'
    )
    for n in (int(size) for size in args.sizes.split(',')):
        tasks = n + 1  # the DAG's nodes and its root
        rates: dict[str, tuple[float, bool]] = {}
        for mode in modes:
            runs = [measure(args.python, mode, n, args.cap) for _ in range(args.repeat)]
            done = [s for s in runs if s is not None]
            if done:
                rates[mode] = (tasks / statistics.median(done), False)
            else:
                rates[mode] = (tasks / args.cap, True)  # at most this fast
            print(f'  {mode} at {n}: {runs}', file=sys.stderr, flush=True)
        cells = [f'{"< " if capped else ""}{rate:.0f}' for rate, capped in (rates[m] for m in modes)]
        local = rates.get('local')
        ratios = [
            f'{"< " if rates[m][1] else ""}{rates[m][0] / local[0]:.2f}x' if local else '-'
            for m in modes
            if m != 'local'
        ]
        print(f'| {n:,} | ' + ' | '.join(cells) + ' | ' + ' | '.join(ratios) + ' |', flush=True)


if __name__ == '__main__':
    main()
