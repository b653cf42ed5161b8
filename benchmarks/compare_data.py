"""Side by side: the data-format workloads (benchmarks/data/workloads_*.py) on our gokart and on gokart
1.12.2, in one run, each measurement a fresh process in a fresh workspace, medians of --repeat runs.

    python benchmarks/compare_data.py --ours .venv/bin/python --upstream .venv-upstream/bin/python \
        [--quick] [--only NAME[:SIZE],...] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'data')
RUNNER = os.path.join(HERE, 'run_data.py')


def _run(python: str, name: str, size: int, workdir: str, phase: str, cap: float) -> dict:
    cmd = [python, RUNNER, name, str(size), workdir, '--phase', phase]
    env = dict(os.environ, PYTHONPATH=HERE)
    try:
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=cap)
    except subprocess.TimeoutExpired:
        return {'error': f'> {cap:.0f} s'}
    lines = [line for line in proc.stdout.splitlines() if line.startswith('{')]
    if not lines:
        return {'error': (proc.stderr.strip().splitlines() or ['no output'])[-1][:200]}
    return json.loads(lines[-1])


def _measure(python: str, name: str, size: int, fresh: bool, cap: float) -> dict:
    with tempfile.TemporaryDirectory(prefix='gokart-data-bench-') as workdir:
        if fresh:
            prepared = _run(python, name, size, workdir, 'prepare', cap)
            if 'error' in prepared:
                return prepared
            return _run(python, name, size, workdir, 'measure', cap)
        return _run(python, name, size, workdir, 'all', cap)


def _median(results: list[dict]) -> dict:
    errors = [r['error'] for r in results if 'error' in r]
    if errors:
        return {'error': errors[0]}
    return {'seconds': statistics.median(r['seconds'] for r in results), 'runs': [r['seconds'] for r in results]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--ours', default=sys.executable)
    parser.add_argument('--upstream', default=os.path.join('.venv-upstream', 'bin', 'python'))
    parser.add_argument(
        '--ours-startup',
        help='the Python of the start-up rows (import_*): a venv with only what `pip install gokart` brings, '
        "since luigi's own import grows with optional packages a dev venv has (jsonschema, requests)",
    )
    parser.add_argument('--quick', action='store_true', help='small sizes, for a smoke run')
    parser.add_argument('--only', default='', help='comma list of NAME or NAME:SIZE')
    parser.add_argument('--repeat', type=int, default=3)
    parser.add_argument('--cap', type=float, default=600.0, help='seconds before one run is cut off')
    parser.add_argument('--no-upstream', action='store_true')
    parser.add_argument('--json', help='also write the results here')
    args = parser.parse_args(argv)
    workloads = _workload_table(os.path.abspath(args.ours))
    cases = [(name, size) for name, w in workloads.items() for size in (w['quick'] if args.quick else w['full'])]
    if args.only:
        wanted = [item.split(':') for item in args.only.split(',')]
        cases = [(n, s) for n, s in cases if any(n == w[0] and (len(w) == 1 or int(w[1]) == s) for w in wanted)]

    header = f'{"workload":<24}{"size":>10}{"ours s":>10}{"1.12.2 s":>11}{"ratio":>9}{"goal":>8}  notes'
    print(header)
    print('-' * len(header))
    rows, verdicts = [], []
    for name, size in cases:
        fresh, goal = workloads[name]['fresh'], workloads[name]['goal']
        ours_runs, up_runs = [], []
        ours_python = args.ours_startup if args.ours_startup and name.startswith('import_') else args.ours
        for _ in range(args.repeat):  # interleaved, so that drifting machine load hits both alike
            ours_runs.append(_measure(os.path.abspath(ours_python), name, size, fresh, args.cap))
            if not args.no_upstream:
                up_runs.append(_measure(os.path.abspath(args.upstream), name, size, fresh, args.cap))
        ours, up = _median(ours_runs), (_median(up_runs) if up_runs else {})
        ratio = up['seconds'] / ours['seconds'] if 'seconds' in ours and 'seconds' in up else None
        notes = '; '.join(f'{who}: {r["error"]}' for who, r in (('ours', ours), ('1.12.2', up)) if 'error' in r)
        fmt = lambda r: f'{r["seconds"]:.3f}' if 'seconds' in r else '-'  # noqa: E731
        print(
            f'{name:<24}{size:>10}{fmt(ours):>10}{fmt(up):>11}{(f"{ratio:.2f}x" if ratio else "-"):>9}'
            f'{(f">={goal:g}x" if goal else ""):>8}  {notes}',
            flush=True,
        )
        if goal and ratio:
            verdicts.append(f'{name} {size}: {ratio:.2f}x (goal >= {goal:g}x) {"met" if ratio >= goal else "NOT met"}')
        rows.append({'name': name, 'size': size, 'ours': ours, 'upstream': up, 'ratio': ratio, 'goal': goal})
    verdicts.extend(_startup_verdicts(rows))
    if verdicts:
        print('\ntargets:')
        for line in verdicts:
            print('  ' + line)
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(rows, f, indent=1)
    return 0


def _startup_verdicts(rows: list[dict]) -> list[str]:
    """`import gokart` may cost at most `import luigi` plus 50 ms (issue 11): not a ratio, so said here."""
    found = {row['name']: row for row in rows}
    paired, gokart, luigi = found.get('import_gokart_extra'), found.get('import_gokart'), found.get('import_luigi')
    lines = []
    for who in ('ours', 'upstream'):
        if paired and 'seconds' in paired[who]:  # paired differences: robust to a drifting machine load
            extra = paired[who]['seconds'] * 1000
        elif gokart and luigi and 'seconds' in gokart[who] and 'seconds' in luigi[who]:
            extra = (gokart[who]['seconds'] - luigi[who]['seconds']) * 1000
        else:
            continue
        label = 'ours' if who == 'ours' else '1.12.2'
        verdict = ('met' if extra <= 50 else 'NOT met') if who == 'ours' else 'for comparison'
        lines.append(f'import gokart - import luigi, {label}: {extra:.0f} ms (goal <= 50 ms) {verdict}')
    return lines


def _workload_table(python: str) -> dict:
    """Names, sizes and flags of the workloads, read through our interpreter (the files import gokart)."""
    proc = subprocess.run(
        [python, RUNNER, '--list'], env=dict(os.environ, PYTHONPATH=HERE), capture_output=True, text=True, check=True
    )
    return json.loads(proc.stdout)


if __name__ == '__main__':
    sys.exit(main())
