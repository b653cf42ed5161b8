"""A DAG whose tasks take an object-store run lease (no redis); run by tests/remote/test_object_store_lock.py
as separate processes sharing one S3 or GCS workspace.

    python lease_dag.py ENDPOINT BUCKET SIZE WORKERS PAUSE RUNS_LOG [s3|gs]

Node(i) requires Node(2i+1) and Node(2i+2) (a binary tree, root Node(0)), appends its index to RUNS_LOG
when its run() starts, sleeps PAUSE seconds and dumps its index plus the sum of its inputs. Exits 0 when
the root's output is the sum of all indices.
"""

from __future__ import annotations

import logging
import os
import sys
import time

import luigi

import gokart


class LeasedNode(gokart.TaskOnKart):
    task_namespace = 'remote_lease'
    index = luigi.IntParameter()
    size = luigi.IntParameter()
    pause = luigi.FloatParameter(default=0.0, significant=False)
    runs_log = luigi.Parameter(default='runs.log', significant=False)

    def requires(self):
        kids = [k for k in (2 * self.index + 1, 2 * self.index + 2) if k < self.size]
        return [self.clone(index=k) for k in kids]

    def run(self):
        fd = os.open(self.runs_log, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
        try:
            os.write(fd, f'{self.index} {os.getpid()}\n'.encode())
        finally:
            os.close(fd)
        if self.pause:
            time.sleep(self.pause)
        self.dump(self.index + sum(self.load()))


def main(endpoint: str, bucket: str, size: str, workers: str, pause: str, runs_log: str, scheme: str = 's3') -> int:
    if scheme == 'gs':
        from gcs_client import use_emulator  # beside this script

        use_emulator(endpoint)
    else:
        os.environ.update(
            AWS_ENDPOINT_URL=endpoint,
            AWS_ACCESS_KEY_ID='testing',
            AWS_SECRET_ACCESS_KEY='testing',
            AWS_DEFAULT_REGION='us-east-1',
        )
    config = luigi.configuration.get_config()
    config.set('TaskOnKart', 'workspace_directory', f'{scheme}://{bucket}/ws')
    config.set('TaskOnKart', 'lock_backend', 'object_store')
    config.set('TaskOnKart', 'should_lock_run', 'True')
    root = LeasedNode(index=0, size=int(size), pause=float(pause), runs_log=runs_log)
    result = gokart.build(
        root, reset_register=False, workers=int(workers), log_level=logging.ERROR, task_lock_exception_max_tries=1
    )
    expected = sum(range(int(size)))
    if result != expected:
        print(f'root output {result!r}, expected {expected}', file=sys.stderr)
        return 3
    return 0


if __name__ == '__main__':
    sys.exit(main(*sys.argv[1:]))
