"""Side by side on an S3 workspace: gokart 1.12.2 and ours, cold and warm builds, requests and wall time.

    python benchmarks/remote/compare_remote.py --ours .venv/bin/python --upstream .venv-upstream/bin/python \
        [--sizes 1000,10000] [--kinds cold,warm] [--latency-ms 20]

One counting moto server over HTTP on loopback (tests/remote/object_store_server.py) serves every build,
each in a bucket of its own. Per size and implementation: a cold build of a fan (Root over n Leaf tasks,
s3_workload.py), then a warm build (the leaves cached, a new root). The server counts what each build asks:
requests per task, and existence requests per task (HEAD, directory-marker GETs, listings).

Ours keeps a local read cache of the objects it uploads or downloads (docs/compat.md Q53), so its warm build
is reported two ways: `warm`, with the cache of the machine that ran the cold build (the usual case), and
`warm-empty`, with an empty cache (another machine wrote the leaves): every input is then one GET, sent by
a pool of threads (Q54). Each runs with a cache directory of its own under a temporary XDG_CACHE_HOME.

Real S3 answers in 10-30 ms, moto on loopback in about 2-5 ms; so, beside the measured wall time, the
model column gives the time the requests alone would take at --latency-ms each, sent one after another (as
one worker sends them): requests x latency; except that ours sends a task's reads (its GETs) ten at a time
(boto3's connection pool, docs/compat.md Q54), counted at a tenth of the latency each. The smoke size
(--sizes 20) runs in seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.request
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SERVER = os.path.join(ROOT, 'tests', 'remote', 'object_store_server.py')
WORKLOAD = os.path.join(HERE, 's3_workload.py')
EXISTENCE = ('head', 'marker_get', 'list')
PARALLEL_READS = 10  # ours: a task's GETs at once (boto3's default max_pool_connections)


class Server:
    def __init__(self, python: str) -> None:
        self.proc = subprocess.Popen(
            [python, SERVER, '--port', '0'], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line.startswith('READY '):
            self.proc.kill()
            raise SystemExit(f'the moto server did not start: {line!r}')
        self.endpoint = f'http://127.0.0.1:{line.split()[1]}'

    def counts(self) -> dict[str, int]:
        with urllib.request.urlopen(self.endpoint + '/_counts') as response:
            return json.load(response)

    def reset(self) -> None:
        urllib.request.urlopen(urllib.request.Request(self.endpoint + '/_counts', method='POST')).close()

    def bucket(self) -> str:
        import boto3

        name = f'bench-{uuid.uuid4().hex[:12]}'
        boto3.client(
            's3', endpoint_url=self.endpoint, region_name='us-east-1', aws_access_key_id='t', aws_secret_access_key='t'
        ).create_bucket(Bucket=name)
        return name

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)
        if self.proc.stdout is not None:
            self.proc.stdout.close()


def _build(server: Server, python: str, bucket: str, n: int, tag: str, cap: float, cache: str | None = None) -> dict:
    """One build; `cache`: the XDG_CACHE_HOME it runs with (ours keeps its read cache there)."""
    server.reset()
    cmd = [python, WORKLOAD, '--endpoint', server.endpoint, '--bucket', bucket, '--n', str(n), '--tag', tag]
    env = dict(os.environ)
    if cache is not None:
        env['XDG_CACHE_HOME'] = cache
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=cap, env=env)
    except subprocess.TimeoutExpired:
        return {'error': f'> {cap:.0f} s'}
    counts = server.counts()
    lines = [line for line in proc.stdout.splitlines() if line.startswith('{')]
    if proc.returncode != 0 or not lines:
        return {'error': (proc.stderr.strip().splitlines() or ['no output'])[-1][:200]}
    result = json.loads(lines[-1])
    if result['value'] != sum(range(n)):
        return {'error': f'root value {result["value"]}, expected {sum(range(n))}'}
    tasks = n + 1
    total = sum(counts.values())
    existence = sum(counts.get(kind, 0) for kind in EXISTENCE)
    return {
        'wall': result['wall'],
        'requests': total,
        'per_task': total / tasks,
        'existence_per_task': existence / tasks,
        'counts': counts,
    }


def _model(row: dict, latency: float) -> float:
    """Seconds the build's requests take at `latency` each, one after another (ours: GETs ten at once)."""
    if row['impl'] != 'ours':
        return row['requests'] * latency
    gets = row['counts'].get('get', 0)
    return (row['requests'] - gets) * latency + gets * latency / PARALLEL_READS


def _upstream_row(rows: list[dict], row: dict) -> dict | None:
    """gokart 1.12.2's row to compare `row` with (it has no read cache: its warm row serves both of ours)."""
    kind = 'warm' if row['kind'].startswith('warm') else row['kind']
    return next((r for r in rows if r['impl'] == 'upstream' and r['kind'] == kind and r['n'] == row['n']), None)


def _targets(rows: list[dict]) -> list[str]:
    """The targets of issue 14, for the rows measured in this run."""
    lines = []
    for row in rows:
        if row['impl'] != 'ours' or 'error' in row:
            continue
        up = _upstream_row(rows, row) or {}
        speed = up['wall'] / row['wall'] if 'wall' in up else None
        if row['kind'].startswith('warm'):
            goal = f'existence requests/task {row["existence_per_task"]:.4f} (goal <= 0.05)'
            met = row['existence_per_task'] <= 0.05 and (speed is None or row['n'] < 10_000 or speed >= 20)
            speed_goal = ' (goal >= 20x at 10,000)'
        else:
            goal = f'requests/task {row["per_task"]:.3f} (goal <= 8)'
            met = row['per_task'] <= 8 and (speed is None or speed >= 2.5)
            speed_goal = ' (goal >= 2.5x)'
        shown = f'{speed:.1f}x' if speed is not None else 'no upstream'
        lines.append(f'{row["kind"]} {row["n"]}: {goal}, wall {shown}{speed_goal} {"met" if met else "NOT met"}')
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--ours', default=sys.executable)
    parser.add_argument('--upstream', required=True)
    parser.add_argument('--sizes', default='20')
    parser.add_argument('--kinds', default='cold,warm')
    parser.add_argument('--latency-ms', type=float, default=20.0)
    parser.add_argument('--cap', type=float, default=3600.0)
    parser.add_argument('--json', help='also write the rows to this file')
    args = parser.parse_args()
    kinds = args.kinds.split(',')
    server = Server(args.ours)
    caches = tempfile.mkdtemp(prefix='gokart-bench-cache-')
    rows = []

    def add(row: dict) -> None:
        rows.append(row)
        print(json.dumps(row), file=sys.stderr, flush=True)

    try:
        for n in (int(size) for size in args.sizes.split(',')):
            here = os.path.join(caches, f'here-{n}')  # the read cache of the machine that built the leaves
            if 'cold' not in kinds:
                # warm only: one cache, filled once by ours (the caches are interchangeable); each
                # implementation then builds a new root of its own over the cached leaves
                bucket = server.bucket()
                fill = _build(server, args.ours, bucket, n, 'cold', args.cap, cache=here)
                for name, python in (('upstream', args.upstream), ('ours', args.ours)):
                    row = fill if 'error' in fill else _build(server, python, bucket, n, f'warm-{name}', args.cap, here)
                    add({'impl': name, 'kind': 'warm', 'n': n, **row})
                if 'error' not in fill:
                    empty = os.path.join(caches, f'empty-{n}')
                    add(
                        {
                            'impl': 'ours',
                            'kind': 'warm-empty',
                            'n': n,
                            **_build(server, args.ours, bucket, n, 'warm-empty', args.cap, empty),
                        }
                    )
                continue
            for name, python in (('upstream', args.upstream), ('ours', args.ours)):
                bucket = server.bucket()
                cold = _build(server, python, bucket, n, 'cold', args.cap, cache=here)
                add({'impl': name, 'kind': 'cold', 'n': n, **cold})
                if 'warm' in kinds and 'error' not in cold:
                    add(
                        {
                            'impl': name,
                            'kind': 'warm',
                            'n': n,
                            **_build(server, python, bucket, n, 'warm', args.cap, here),
                        }
                    )
                    if name == 'ours':
                        empty = os.path.join(caches, f'empty-{n}')
                        warm_empty = _build(server, python, bucket, n, 'warm-empty', args.cap, empty)
                        add({'impl': name, 'kind': 'warm-empty', 'n': n, **warm_empty})
    finally:
        server.stop()
        shutil.rmtree(caches, ignore_errors=True)
    latency = args.latency_ms / 1000
    print(
        f'{"kind":10} {"tasks":>6} {"impl":9} {"req/task":>9} {"exist/task":>10} {"GET/task":>9} {"wall s":>8} '
        f'{"x":>6} {"model s":>9} {"x":>6}'
    )
    for row in rows:
        up = _upstream_row(rows, row)
        if 'error' in row:
            print(f'{row["kind"]:10} {row["n"]:>6} {row["impl"]:9} error: {row["error"]}')
            continue
        model = _model(row, latency)
        speed = model_speed = ''
        if row['impl'] == 'ours' and up and 'error' not in up:
            speed = f'{up["wall"] / row["wall"]:.1f}x'
            model_speed = f'{_model(up, latency) / model:.1f}x' if model else 'inf'
        gets = row['counts'].get('get', 0) / (row['n'] + 1)
        print(
            f'{row["kind"]:10} {row["n"] + 1:>6} {row["impl"]:9} {row["per_task"]:>9.3f} '
            f'{row["existence_per_task"]:>10.4f} {gets:>9.3f} {row["wall"]:>8.2f} {speed:>6} {model:>9.1f} '
            f'{model_speed:>6}'
        )
    for line in _targets(rows):
        print(line)
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(rows, f, indent=1)


if __name__ == '__main__':
    main()
