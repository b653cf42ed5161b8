"""Side by side: canonical form + unique id of a 20-parameter task, ours vs gokart 1.12.2 (issue 4 target: >= 10x).

python benchmarks/compare_ids.py --ours .venv/bin/python --upstream .venv-upstream/bin/python
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile

WORKLOAD = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'ids', 'id20_workload.py')


def measure(python: str, count: int, rounds: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as cwd:
        out = subprocess.run(
            [python, WORKLOAD, str(count), str(rounds)], cwd=cwd, capture_output=True, text=True, check=True
        ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--ours', default=sys.executable)
    parser.add_argument('--upstream', required=True)
    parser.add_argument('--count', type=int, default=2000)
    parser.add_argument('--rounds', type=int, default=5)
    args = parser.parse_args(argv)
    # The workload runs in a temp cwd: interpreter paths given relative to here must stay valid there.
    args.ours, args.upstream = os.path.abspath(args.ours), os.path.abspath(args.upstream)
    ours = measure(args.ours, args.count, args.rounds)
    upstream = measure(args.upstream, args.count, args.rounds)
    print(f'{"20-param task":<28}{"gokart 1.12.2":>16}{"ours":>12}{"ratio":>10}')
    for key in ('id_only', 'construct_and_id'):
        print(f'{key:<28}{upstream[key] * 1e6:>14.1f}us{ours[key] * 1e6:>10.1f}us{upstream[key] / ours[key]:>9.1f}x')
    return 0


if __name__ == '__main__':
    sys.exit(main())
