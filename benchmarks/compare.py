"""Side by side: the same workload scripts on our gokart and on gokart 1.12.2, in one run, with ratios.

    python benchmarks/compare.py --ours .venv/bin/python --upstream .venv-upstream/bin/python [--quick] [--only fan_cold,dag_cold:3000]

Each measurement is a fresh process in a fresh temporary workspace (cwd). Warm workloads first fill the
cache with our implementation (the caches are interchangeable, so this also checks that upstream reuses
ours), then time a new process. A run that exceeds --cap seconds is reported as "> cap" and its ratio
becomes a lower bound.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field

HERE = os.path.dirname(os.path.abspath(__file__))
RUNNER = os.path.join(HERE, 'workloads', 'run_workload.py')


@dataclass
class Case:
    name: str
    size: int
    upstream: bool = True  # False: ours only (upstream would not finish in any useful time)
    result: dict = field(default_factory=dict)


FULL = [
    *[Case('construct_ids', 10_000)],
    *[
        Case(f'{kind}_{temp}', n)
        for kind in ('fan', 'dag')
        for temp in ('cold', 'warm')
        for n in (1_000, 3_000, 10_000)
    ],
    *[Case(name, n) for name in ('tip_new', 'tip_construct') for n in (100, 300, 10_000)],
    *[Case('tip_cold', n) for n in (100, 300, 10_000)],
    *[Case('chain_cold', n) for n in (100, 300, 10_000)],
    Case('dag_cold', 300),  # beside floor 300: the floor multiple at both sizes (issue 11)
    Case('fan_warm', 100_000, upstream=False),
    *[Case(floor, n, upstream=False) for floor in ('floor', 'plain_floor') for n in (300, 3_000)],
]
QUICK = [
    Case('construct_ids', 1_000),
    *[Case(f'{kind}_{temp}', n) for kind in ('fan', 'dag') for temp in ('cold', 'warm') for n in (100, 300)],
    *[Case('tip_construct', n) for n in (30, 100)],
    Case('tip_cold', 30),
    *[Case('chain_cold', n) for n in (100, 300)],
    *[Case(floor, n, upstream=False) for floor in ('floor', 'plain_floor') for n in (100, 300)],
]


def _measure(python: str, name: str, size: int, workdir: str, cap: float, workers: int) -> dict:
    cmd = [python, RUNNER, name, str(size), '--workers', str(workers)]
    env = dict(os.environ, PYTHONPATH=os.path.dirname(RUNNER))
    try:
        proc = subprocess.run(cmd, cwd=workdir, env=env, capture_output=True, text=True, timeout=cap)
    except subprocess.TimeoutExpired:
        return {'seconds': None, 'capped': True}
    lines = [line for line in proc.stdout.splitlines() if line.startswith('{')]
    if proc.returncode != 0 or not lines:
        return {'seconds': None, 'error': (proc.stderr.strip().splitlines() or ['no output'])[-1][:200]}
    return json.loads(lines[-1])


# Workspaces are removed at the end of the run: deleting tens of thousands of files right before the
# next measurement slows the file creations of that measurement (seen on ext4 mounted with `discard`).
_WORKDIRS: list = []


def _run_case(case: Case, python: str, ours: str, cap: float, workers: int) -> dict:
    workdir_holder = tempfile.TemporaryDirectory(prefix='gokart-bench-')
    _WORKDIRS.append(workdir_holder)
    workdir = workdir_holder.name
    if case.name.endswith('_warm'):
        cold = case.name.replace('_warm', '_cold')
        prep = _measure(ours, cold, case.size, workdir, cap * 10, workers)
        if prep.get('error') or prep.get('seconds') is None:
            return {'seconds': None, 'error': f'preparing the cache failed: {prep}'}
    return _measure(python, case.name, case.size, workdir, cap, workers)


def _targets(rows: list, cap: float) -> list[str]:
    """The targets of issues 5 and 11, checked against the rows measured in this run."""
    by_key = {(r['name'], r['size']): r for r in rows}
    lines = []

    def ratio(name, size, goal):
        row = by_key.get((name, size))
        if row is None:
            return
        text = _ratio(row['ours'], row['upstream'], cap)
        value = row['ours'].get('seconds')
        up = row['upstream']
        if up.get('error') or row['ours'].get('error'):
            lines.append(f'{name} {size}: no ratio (an implementation failed, see the table) (goal >= {goal}x)')
        elif value and (up.get('capped') or up.get('seconds')):
            achieved = (cap if up.get('capped') else up['seconds']) / value
            verdict = 'met' if achieved >= goal else 'NOT met'
            lines.append(f'{name} {size}: {text} (goal >= {goal}x) {verdict}')

    def per_task(name):
        small, big = by_key.get((name, 1_000)), by_key.get((name, 10_000))
        if small and big and small['ours'].get('seconds') and big['ours'].get('seconds'):
            growth = (big['ours']['seconds'] / 10_000) / (small['ours']['seconds'] / 1_000)
            verdict = 'met' if growth <= 1.3 else 'NOT met'
            lines.append(f'{name}: per-task cost at 10,000 = {growth:.2f}x the cost at 1,000 (goal <= 1.3x) {verdict}')

    ratio('dag_cold', 3_000, 20)
    ratio('fan_warm', 10_000, 10)
    ratio('tip_new', 300, 100)
    ratio('tip_construct', 300, 100)
    for name in ('fan_cold', 'dag_cold', 'fan_warm', 'dag_warm'):
        per_task(name)
    chain = by_key.get(('chain_cold', 10_000))
    if chain:
        ok = chain['ours'].get('seconds') is not None and not chain['ours'].get('error')
        lines.append(f'chain_cold 10000 builds: {"met" if ok else "NOT met"} ({_fmt(chain["ours"], cap)} s)')
    for n in (100, 300, 3_000):
        floor, cold = by_key.get(('floor', n)), by_key.get(('dag_cold', n))
        if floor and cold and floor['ours'].get('seconds') and cold['ours'].get('seconds'):
            times = cold['ours']['seconds'] / floor['ours']['seconds']
            verdict = 'met' if times <= 3 else 'NOT met'
            lines.append(f'dag_cold {n}: {times:.1f}x the file-creation floor (goal <= 3x) {verdict}')
            plain = by_key.get(('plain_floor', n))
            if plain and plain['ours'].get('seconds'):  # what any Python build pays: no goal, an explanation
                least = plain['ours']['seconds'] / floor['ours']['seconds']
                over = cold['ours']['seconds'] / plain['ours']['seconds']
                lines.append(
                    f'dag_cold {n}: the plain-Python floor is {least:.1f}x the file floor; ours is {over:.1f}x it'
                )
    memory = by_key.get(('fan_warm', 100_000))
    if memory and memory['ours'].get('peak_rss_mb'):
        mb = memory['ours']['peak_rss_mb']
        lines.append(f'fan_warm 100000 peak RSS {mb:.0f} MB (goal < 1024 MB) {"met" if mb < 1024 else "NOT met"}')
    return lines


def _fmt(result: dict, cap: float) -> str:
    if not result:
        return '-'
    if result.get('capped'):
        return f'> {cap:.0f}'
    if result.get('error'):
        return 'error'
    return f'{result["seconds"]:.3f}'


def _ratio(ours: dict, up: dict, cap: float) -> str:
    if not ours or not up or ours.get('seconds') is None or ours.get('error'):
        return '-'
    if up.get('capped'):
        return f'>= {cap / ours["seconds"]:.1f}x'
    if up.get('seconds') is None or up.get('error'):
        return '-'
    return f'{up["seconds"] / ours["seconds"]:.1f}x'


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--ours', default=sys.executable)
    parser.add_argument('--upstream', default=os.path.join('.venv-upstream', 'bin', 'python'))
    parser.add_argument('--quick', action='store_true', help='small sizes, for a smoke run')
    parser.add_argument('--only', default='', help='comma list of NAME or NAME:SIZE')
    parser.add_argument('--cap', type=float, default=120.0, help='seconds before a run is cut off')
    parser.add_argument('--workers', type=int, default=1)
    parser.add_argument('--no-upstream', action='store_true')
    parser.add_argument('--json', help='also write the results here')
    args = parser.parse_args(argv)
    args.ours, args.upstream = os.path.abspath(args.ours), os.path.abspath(args.upstream)

    cases = QUICK if args.quick else FULL
    if args.only:
        wanted = [item.split(':') for item in args.only.split(',')]
        cases = [c for c in cases if any(c.name == w[0] and (len(w) == 1 or int(w[1]) == c.size) for w in wanted)]

    header = (
        f'{"workload":<16}{"size":>8}{"ours s":>10}{"1.12.2 s":>11}{"ratio":>11}{"ours MB":>9}{"1.12.2 MB":>11}  notes'
    )
    print(header)
    print('-' * len(header))
    rows = []
    for case in cases:
        ours = _run_case(case, args.ours, args.ours, args.cap, args.workers)
        up = {}
        if case.upstream and not args.no_upstream:
            up = _run_case(case, args.upstream, args.ours, args.cap, args.workers)
        notes = '; '.join(f'{who}: {r["error"]}' for who, r in (('ours', ours), ('1.12.2', up)) if r.get('error'))
        mb = lambda r: f'{r["peak_rss_mb"]:.0f}' if r.get('peak_rss_mb') else '-'  # noqa: E731
        print(
            f'{case.name:<16}{case.size:>8}{_fmt(ours, args.cap):>10}{_fmt(up, args.cap):>11}'
            f'{_ratio(ours, up, args.cap):>11}{mb(ours):>9}{mb(up):>11}  {notes}',
            flush=True,
        )
        rows.append({'name': case.name, 'size': case.size, 'ours': ours, 'upstream': up})
    targets = _targets(rows, args.cap)
    if targets:
        print('\ntargets:')
        for line in targets:
            print('  ' + line)
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(rows, f, indent=1)
    for holder in _WORKDIRS:
        holder.cleanup()
    return 0


if __name__ == '__main__':
    sys.exit(main())
