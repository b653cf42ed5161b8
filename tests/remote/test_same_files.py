"""The same build on S3 under gokart 1.12.2 and ours leaves the same keys, and each reads the other's cache."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.single_leg, pytest.mark.upstream]

WORKLOAD = Path(__file__).resolve().parents[2] / 'benchmarks' / 'remote' / 's3_workload.py'
N = 3


def _build(python: str, s3, bucket: str, tag: str) -> str:
    proc = subprocess.run(
        [python, str(WORKLOAD), '--endpoint', s3.endpoint, '--bucket', bucket, '--n', str(N), '--tag', tag],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout


def _keys(s3, bucket: str) -> list[str]:
    pages = s3.client().get_paginator('list_objects_v2').paginate(Bucket=bucket)
    return sorted(item['Key'] for page in pages for item in page.get('Contents', ()))


def test_keys_match_and_caches_are_shared(s3, upstream_python):
    probe = subprocess.run([upstream_python, '-c', 'import boto3'], capture_output=True)
    if probe.returncode != 0:
        pytest.fail(f'boto3 is missing beside gokart 1.12.2 in {upstream_python} (make upstream installs it)')
    theirs = s3.bucket
    ours = theirs + '-ours'
    s3.client().create_bucket(Bucket=ours)
    _build(upstream_python, s3, theirs, 'a')
    _build(sys.executable, s3, ours, 'a')
    assert _keys(s3, ours) == _keys(s3, theirs)
    assert not [key for key in _keys(s3, ours) if key.endswith('.lease') or 'luigi-tmp' in key]
    # a new root over the other's leaves: each reads the other's cache and runs no leaf again
    s3.reset()
    _build(upstream_python, s3, ours, 'b')
    _build(sys.executable, s3, theirs, 'b')
    assert s3.counts()['put'] == 2 * 6  # the two new roots only
