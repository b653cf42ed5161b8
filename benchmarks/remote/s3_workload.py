"""One build on an S3 workspace, run under whichever gokart the interpreter has (ours or 1.12.2).

    python s3_workload.py --endpoint http://127.0.0.1:PORT --bucket NAME --n 1000 --tag cold [--workers 1]

A fan: Root(n, tag) requires Leaf(i) for i < n; each leaf dumps a small pickle, the root loads them all.
A warm build is a second run with a new --tag (the leaves are cached, the root is new). Prints one JSON line
with the wall time of gokart.build() and the root's value (checked by the caller).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument('--endpoint', required=True)
    parser.add_argument('--bucket', required=True)
    parser.add_argument('--n', type=int, required=True)
    parser.add_argument('--tag', default='cold')
    parser.add_argument('--workers', type=int, default=1)
    args = parser.parse_args()
    os.environ.update(
        AWS_ENDPOINT_URL=args.endpoint,
        AWS_ACCESS_KEY_ID='testing',
        AWS_SECRET_ACCESS_KEY='testing',
        AWS_DEFAULT_REGION='us-east-1',
    )
    import luigi

    import gokart

    luigi.configuration.get_config().set('TaskOnKart', 'workspace_directory', f's3://{args.bucket}/ws')

    class Leaf(gokart.TaskOnKart):
        task_namespace = 'remote_bench'
        i = luigi.IntParameter()

        def run(self):
            self.dump(self.i)

    class Root(gokart.TaskOnKart):
        task_namespace = 'remote_bench'
        n = luigi.IntParameter()
        tag = luigi.Parameter()

        def requires(self):
            return [Leaf(i=i) for i in range(self.n)]

        def run(self):
            self.dump(sum(self.load()))

    t0 = time.perf_counter()
    value = gokart.build(Root(n=args.n, tag=args.tag), log_level=logging.ERROR, workers=args.workers)
    wall = time.perf_counter() - t0
    print(json.dumps({'wall': wall, 'value': value}))


if __name__ == '__main__':
    main()
