"""Run locks without redis: leases created by conditional writes on a real S3 server and on the GCS server
(tests/remote/gcs_server.py) (docs/compat.md Q51)."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import luigi
import pytest

import gokart
from gokart.conflict_prevention_lock.object_store_lock import lock_backend_of
from tests.processes import assert_each_ran_once, finish

pytestmark = pytest.mark.single_leg

SCRIPT = Path(__file__).with_name('lease_dag.py')
SIZE = 200
GCS_SIZE = 40  # the emulator answers one request at a time
PROCESS_TIMEOUT = 240


def test_moto_refuses_a_second_conditional_create(s3):
    import botocore.exceptions

    client = s3.client()
    client.put_object(Bucket=s3.bucket, Key='k.lease', Body=b'1', IfNoneMatch='*')
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        client.put_object(Bucket=s3.bucket, Key='k.lease', Body=b'2', IfNoneMatch='*')
    assert caught.value.response['Error']['Code'] == 'PreconditionFailed'


def test_the_gcs_server_refuses_a_second_conditional_create(gcs):
    from googleapiclient.errors import HttpError
    from googleapiclient.http import MediaInMemoryUpload

    objects = gcs.client().client.objects()

    def upload(body: bytes, generation: int) -> dict:
        media = MediaInMemoryUpload(body, mimetype='application/json')
        return objects.insert(
            bucket=gcs.bucket, name='k.lease', media_body=media, ifGenerationMatch=generation
        ).execute()

    first = upload(b'{"n": 1}', 0)
    with pytest.raises(HttpError) as caught:
        upload(b'{"n": 2}', 0)
    assert caught.value.resp.status == 412
    second = upload(b'{"n": 3}', int(first['generation']))  # a renewal: conditional on the generation held
    with pytest.raises(HttpError):
        objects.delete(bucket=gcs.bucket, object='k.lease', ifGenerationMatch=int(first['generation'])).execute()
    assert objects.get_media(bucket=gcs.bucket, object='k.lease').execute() == b'{"n": 3}'
    objects.delete(bucket=gcs.bucket, object='k.lease', ifGenerationMatch=int(second['generation'])).execute()


def _three_processes(tmp_path: Path, endpoint: str, bucket: str, size: int, scheme: str) -> None:
    """Three builds of one DAG over one workspace: each exits 0 and every task ran exactly once."""
    env = {k: v for k, v in os.environ.items() if not k.startswith('AWS_')}
    procs = [
        subprocess.Popen(
            [sys.executable, str(SCRIPT), endpoint, bucket, str(size), '1', '0.0', 'runs.log', scheme],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        for _ in range(3)
    ]
    assert_each_ran_once(finish(procs, PROCESS_TIMEOUT), tmp_path / 'runs.log', size)


def test_three_processes_build_every_task_exactly_once_without_redis(s3, tmp_path):
    _three_processes(tmp_path, s3.endpoint, s3.bucket, SIZE, 's3')
    leases = s3.client().list_objects_v2(Bucket=s3.bucket, Prefix='ws/').get('Contents', [])
    assert [item['Key'] for item in leases if item['Key'].endswith('.lease')] == []  # all released


def test_three_processes_on_gcs_build_every_task_exactly_once_without_redis(gcs, tmp_path):
    _three_processes(tmp_path, gcs.endpoint, gcs.bucket, GCS_SIZE, 'gs')
    names = [item['name'] for item in _gcs_objects(gcs, 'ws/')]
    assert [name for name in names if name.endswith('.lease')] == []  # all released
    assert any(name.startswith('ws/log/task_log/') for name in names)  # the log files are written too


def _gcs_objects(gcs, prefix: str) -> list[dict]:
    objects, items, token = gcs.client().client.objects(), [], None
    while True:
        page = objects.list(bucket=gcs.bucket, prefix=prefix, pageToken=token).execute()
        items += page.get('items', [])
        token = page.get('nextPageToken')
        if not token:
            return items


class Leased(gokart.TaskOnKart):
    task_namespace = 'remote_lease_unit'
    runs_log = luigi.Parameter(significant=False)

    def run(self):
        with open(self.runs_log, 'a') as f:
            f.write('ran\n')
        self.dump(1)


def _configure(store, scheme: str = 's3') -> None:
    config = luigi.configuration.get_config()
    config.set('TaskOnKart', 'workspace_directory', f'{scheme}://{store.bucket}/ws')
    config.set('TaskOnKart', 'lock_backend', 'object_store')
    config.set('TaskOnKart', 'should_lock_run', 'True')


def test_a_lease_left_by_a_crashed_holder_is_taken_over_after_its_ttl(s3, tmp_path):
    _configure(s3)
    task = Leased(runs_log=str(tmp_path / 'runs.log'))
    lease_key = task.output().path()[len(f's3://{s3.bucket}/') :] + '.lease'
    body = json.dumps({'owner': 'crashed', 'ttl_seconds': 2}).encode()
    s3.client().put_object(Bucket=s3.bucket, Key=lease_key, Body=body)
    t0 = time.monotonic()
    assert gokart.build(task, log_level=logging.ERROR) == 1
    assert time.monotonic() - t0 >= 1.0  # it waited for the lease to go stale, then ran
    assert (tmp_path / 'runs.log').read_text() == 'ran\n'
    assert 'Contents' not in s3.client().list_objects_v2(Bucket=s3.bucket, Prefix=lease_key)


def test_a_gcs_lease_left_by_a_crashed_holder_is_taken_over_after_its_ttl(gcs, tmp_path):
    from googleapiclient.http import MediaInMemoryUpload

    _configure(gcs, 'gs')
    task = Leased(runs_log=str(tmp_path / 'runs.log'))
    lease_name = task.output().path()[len(f'gs://{gcs.bucket}/') :] + '.lease'
    body = json.dumps({'owner': 'crashed', 'ttl_seconds': 2}).encode()
    media = MediaInMemoryUpload(body, mimetype='application/json')
    gcs.client().client.objects().insert(bucket=gcs.bucket, name=lease_name, media_body=media).execute()
    t0 = time.monotonic()
    assert gokart.build(task, log_level=logging.ERROR) == 1
    assert time.monotonic() - t0 >= 1.0  # it waited for the lease to go stale, then ran
    assert (tmp_path / 'runs.log').read_text() == 'ran\n'
    assert _gcs_objects(gcs, lease_name) == []


def test_lock_backend_is_no_parameter_and_changes_no_id(s3, tmp_path):
    plain = Leased(runs_log='x')
    _configure(s3)
    leased = Leased(runs_log='y')
    assert lock_backend_of(leased) == 'object_store'
    assert leased.make_unique_id() == plain.make_unique_id()
    assert 'lock_backend' not in dict(Leased.get_params())


def test_a_class_attribute_chooses_the_backend_and_bad_values_name_the_task():
    class Chosen(Leased):
        lock_backend = 'object_store'

    class Wrong(Leased):
        lock_backend = 'zookeeper'

    assert lock_backend_of(Chosen(runs_log='x')) == 'object_store'
    assert lock_backend_of(Leased(runs_log='x')) == 'redis'
    with pytest.raises(ValueError, match='Wrong: lock_backend must be one of'):
        Wrong(runs_log='x', should_lock_run=True)


def test_object_store_lease_needs_a_remote_output(tmp_path):
    config = luigi.configuration.get_config()
    config.set('TaskOnKart', 'lock_backend', 'object_store')
    config.set('TaskOnKart', 'should_lock_run', 'True')
    task = Leased(runs_log=str(tmp_path / 'runs.log'))
    with pytest.raises(ValueError, match='lock_backend=object_store needs an S3 or GCS output'):
        task.run()
