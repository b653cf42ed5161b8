"""A task's S3/GCS inputs read in parallel (docs/compat.md Q54) and the local read cache validated by the
listing's ETag / md5Hash (Q53), on a real S3 server (moto) and gcp-storage-emulator over HTTP."""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import threading

import luigi
import pytest

import gokart
from gokart._kart import inputs
from gokart._kart.session import build_session
from gokart._targets import object_cache, remote_reads

pytestmark = pytest.mark.single_leg

N = 12


class CLeaf(gokart.TaskOnKart):
    task_namespace = 'remote_reads'
    i = luigi.IntParameter()

    def run(self):
        self.dump(self.i)


class CRoot(gokart.TaskOnKart):
    task_namespace = 'remote_reads'
    n = luigi.IntParameter()
    tag = luigi.Parameter(default='')

    def requires(self):
        return [CLeaf(i=i) for i in range(self.n)]

    def run(self):
        self.dump(sum(self.load()))


def _config(section: str, key: str, value: str) -> None:
    luigi.configuration.get_config().set(section, key, value)


@pytest.fixture
def workspace(s3):
    _config('TaskOnKart', 'workspace_directory', f's3://{s3.bucket}/ws')
    return f's3://{s3.bucket}/ws'


@pytest.fixture
def fetches(monkeypatch):
    """The fetches made, as (path, thread name)."""
    seen: list[tuple[str, str]] = []
    original = remote_reads.fetch

    def spy(target, plan):
        seen.append((target.path, threading.current_thread().name))
        return original(target, plan)

    monkeypatch.setattr(remote_reads, 'fetch', spy)
    return seen


def _cache_files() -> list[str]:
    config = object_cache.settings()
    assert config is not None
    found = []
    for root, _, names in os.walk(config.directory):
        found.extend(os.path.join(root, name) for name in names if not name.startswith('.'))
    return found


def _targets(workspace: str, values: dict[str, object]) -> dict[str, gokart.target.TargetOnKart]:
    targets = {name: gokart.target.make_target(f'{workspace}/in/{name}') for name in values}
    for name, value in values.items():
        targets[name].dump(value)
    return targets


def _checked(targets):
    """exists() of each, as a build checks a task's inputs: the build's listing then knows them."""
    for target in gokart.utils.flatten(targets):
        assert target.exists()
    return targets


def test_parallel_load_returns_the_values_and_order_of_the_sequential_load(s3, workspace, fetches):
    values = {f'p{i}.pkl': {'i': i, 'data': list(range(i))} for i in range(20)}
    # text, msgpack, and gzip (piped through a process: read at its turn, the usual way)
    values.update({'t.txt': ['a', 'b'], 'm.msgpack': {'k': [1, 2]}, 'z.gz': ['x', 'y']})
    targets = _targets(workspace, values)
    names = list(values)
    structure = {'list': [targets[n] for n in names[:10]], 'tuple': tuple(targets[n] for n in names[10:15])}
    structure['dict'] = {n: targets[n] for n in names[15:]}
    with build_session():
        _checked(structure)
        parallel = inputs.load(structure)
        generated = list(inputs.load_generator(structure))
    sequential = inputs._sequential(structure)
    assert parallel == sequential
    assert parallel['list'] == [values[n] for n in names[:10]]
    assert generated == [values[n] for n in names]
    # fetched by the pool, not on this thread
    assert not [path for path, _ in fetches if path.endswith('.gz')]
    assert fetches and {thread for _, thread in fetches} <= {
        t.name for t in threading.enumerate() if t.name.startswith('gokart-read')
    }


def test_load_generator_fetches_only_a_bounded_window_ahead(s3, workspace, fetches):
    targets = _targets(workspace, {f'g{i}.pkl': i for i in range(45)})
    with build_session():
        generator = inputs.load_generator(_checked(list(targets.values())))
        assert fetches == []  # lazy: nothing until the first value is asked for
        assert next(generator) == 0
        window = remote_reads.threads(next(iter(targets.values()))._target) * inputs._WINDOW_PER_THREAD
        assert len(fetches) <= window < 45
        generator.close()


def test_large_inputs_are_fetched_one_at_a_time(s3, workspace, fetches, monkeypatch):
    targets = _targets(workspace, {f'h{i}.pkl': i for i in range(5)})
    monkeypatch.setattr(inputs, '_BYTES_AHEAD', 1)  # every input is larger than what may be fetched ahead
    with build_session():
        generator = inputs.load_generator(_checked(list(targets.values())))
        assert next(generator) == 0
        assert len(fetches) == 1
        assert list(generator) == [1, 2, 3, 4]
    assert len(fetches) == 5


@pytest.mark.parametrize('how', ['never-written', 'removed-after-the-check'])
def test_a_missing_input_raises_naming_its_path_as_before(s3, workspace, how):
    targets = list(_targets(workspace, {f'x{i}.pkl': i for i in range(4)}).values())
    missing = gokart.target.make_target(f'{workspace}/in/missing.pkl')
    if how == 'removed-after-the-check':
        # with the cache on, a copy of what the build's listing shows is served (docs/compat.md Q53)
        _config('gokart_object_cache', 'enabled', 'false')
        missing.dump(4)
    with build_session():
        _checked(targets)
        assert missing.exists() == (how != 'never-written')
        s3.client().delete_object(Bucket=s3.bucket, Key='ws/in/missing.pkl')
        with pytest.raises(Exception) as parallel:
            inputs.load([*targets, missing])
    with pytest.raises(Exception) as sequential:
        inputs._sequential([*targets, missing])
    assert type(parallel.value) is type(sequential.value)
    assert f'{workspace}/in/missing.pkl' in str(parallel.value)


def test_a_garbled_input_raises_naming_its_file(s3, workspace):
    targets = list(_targets(workspace, {f'y{i}.pkl': i for i in range(3)}).values())
    s3.client().put_object(Bucket=s3.bucket, Key='ws/in/y1.pkl', Body=b'not a pickle')
    with build_session(), pytest.raises(Exception) as parallel:
        inputs.load(_checked(targets))
    with pytest.raises(Exception) as sequential:
        inputs._sequential(targets)
    assert type(parallel.value) is type(sequential.value)
    assert f'{workspace}/in/y1.pkl' in str(parallel.value)


def test_a_patched_target_load_is_called_for_each_input(s3, workspace, fetches, monkeypatch):
    targets = list(_targets(workspace, {f'z{i}.pkl': i for i in range(3)}).values())
    calls = []
    original = gokart.target.TargetOnKart.load

    def load(self):
        calls.append(self.path())
        return original(self)

    monkeypatch.setattr(gokart.target.SingleFileTarget, 'load', load)
    with build_session():
        assert inputs.load(_checked(targets)) == [0, 1, 2]
    assert calls == [t.path() for t in targets]
    assert {thread for _, thread in fetches} == {'MainThread'}  # each read on its turn, none ahead


def test_warm_build_gets_n_objects_with_an_empty_cache_and_none_with_this_machines(s3, workspace, tmp_path):
    assert gokart.build(CRoot(n=N), log_level=logging.ERROR) == sum(range(N))
    counts = s3.counts()
    assert counts.get('get', 0) == 0  # the root read what this build uploaded from the cache
    s3.reset()
    assert gokart.build(CRoot(n=N, tag='here'), log_level=logging.ERROR) == sum(range(N))
    assert s3.counts().get('get', 0) == 0
    _config('gokart_object_cache', 'directory', str(tmp_path / 'another-machine'))
    s3.reset()
    assert gokart.build(CRoot(n=N, tag='elsewhere'), log_level=logging.ERROR) == sum(range(N))
    assert s3.counts()['get'] == N  # each leaf once (the new root's output was uploaded, so cached, here)
    s3.reset()
    assert gokart.build(CRoot(n=N, tag='elsewhere-again'), log_level=logging.ERROR) == sum(range(N))
    assert s3.counts().get('get', 0) == 0  # what it fetched is kept


def test_a_copy_garbled_on_disk_is_detected_and_fetched_again(s3, workspace, caplog):
    gokart.build(CRoot(n=N), log_level=logging.ERROR)
    leaf = CLeaf(i=3).output()
    path = next(p for p in _cache_files() if os.path.basename(p) == hashlib.md5(open_bytes(s3, leaf)).hexdigest())
    data = pickle.dumps(3)
    with open(path, 'wb') as f:
        f.write(data + b'garbage')
    s3.reset()
    with caplog.at_level(logging.WARNING, logger='gokart._targets.object_cache'):
        assert gokart.build(CRoot(n=N, tag='garbled'), log_level=logging.WARNING) == sum(range(N))
    assert s3.counts()['get'] == 1
    assert any('does not hash to its name' in r.getMessage() for r in caplog.records)
    with open(path, 'rb') as f:
        assert hashlib.md5(f.read()).hexdigest() == os.path.basename(path)  # kept again, intact


def open_bytes(s3, target) -> bytes:
    key = target.path().split('/', 3)[3]
    return s3.client().get_object(Bucket=s3.bucket, Key=key)['Body'].read()


def test_an_object_overwritten_by_another_writer_is_fetched_again(s3, workspace):
    gokart.build(CRoot(n=N), log_level=logging.ERROR)
    leaf = CLeaf(i=5).output().path()
    key = leaf.split('/', 3)[3]
    s3.client().put_object(Bucket=s3.bucket, Key=key, Body=pickle.dumps(105))  # a new ETag
    s3.reset()
    assert gokart.build(CRoot(n=N, tag='overwritten'), log_level=logging.ERROR) == sum(range(N)) + 100
    assert s3.counts()['get'] == 1


def test_a_multipart_etag_never_hits_the_cache(s3, workspace):
    client = s3.client()
    key = 'ws/mp/x.pkl'
    upload = client.create_multipart_upload(Bucket=s3.bucket, Key=key)
    part = client.upload_part(
        Bucket=s3.bucket, Key=key, UploadId=upload['UploadId'], PartNumber=1, Body=b'\x80\x04K\x07.'
    )
    client.complete_multipart_upload(
        Bucket=s3.bucket,
        Key=key,
        UploadId=upload['UploadId'],
        MultipartUpload={'Parts': [{'ETag': part['ETag'], 'PartNumber': 1}]},
    )
    s3.reset()
    for _ in range(2):
        with build_session():
            target = gokart.target.make_target(f'{workspace}/mp/x.pkl')
            assert target.exists()
            assert target.load() == 7
    assert s3.counts()['get'] == 2
    assert _cache_files() == []


def test_with_the_cache_off_every_read_is_a_get_and_nothing_is_kept(s3, workspace):
    _config('gokart_object_cache', 'enabled', 'false')
    assert gokart.build(CRoot(n=N), log_level=logging.ERROR) == sum(range(N))
    assert s3.counts()['get'] == N + 1
    s3.reset()
    assert gokart.build(CRoot(n=N, tag='off'), log_level=logging.ERROR) == sum(range(N))
    assert s3.counts()['get'] == N + 1
    assert object_cache.settings() is None
    _config('gokart_object_cache', 'enabled', 'true')
    assert _cache_files() == []


def test_the_cache_does_not_change_task_ids(s3, workspace):
    before = CRoot(n=3).make_unique_id()
    _config('gokart_object_cache', 'enabled', 'false')
    _config('gokart_object_cache', 'max_object_size', '10')
    assert CRoot(n=3).make_unique_id() == before
    assert CRoot(n=3).to_str_params() == CRoot(n=3).to_str_params()


# ---- GCS ----


class GCLeaf(gokart.TaskOnKart):
    task_namespace = 'remote_reads_gcs'
    i = luigi.IntParameter()

    def run(self):
        self.dump(self.i)


class GCRoot(gokart.TaskOnKart):
    task_namespace = 'remote_reads_gcs'
    n = luigi.IntParameter()
    tag = luigi.Parameter(default='')

    def requires(self):
        return {f'leaf{i}': GCLeaf(i=i) for i in range(self.n)}

    def run(self):
        loaded = self.load()
        self.dump([loaded[f'leaf{i}'] for i in range(self.n)])


def _media_gets(gcs) -> int:
    return sum(1 for method, path in gcs.requests() if method == 'GET' and 'alt=media' in path)


def test_gcs_warm_builds_read_from_the_cache_or_in_parallel(gcs, tmp_path, fetches):
    config = luigi.configuration.get_config()
    config.set('TaskOnKart', 'workspace_directory', f'gs://{gcs.bucket}/ws')
    config.set('TaskOnKart', 'should_dump_supplementary_log_files', 'False')  # see test_listing_gcs.py
    n = 4
    assert gokart.build(GCRoot(n=n), log_level=logging.ERROR) == list(range(n))
    assert _media_gets(gcs) == 0
    gcs.reset()
    assert gokart.build(GCRoot(n=n, tag='here'), log_level=logging.ERROR) == list(range(n))
    assert _media_gets(gcs) == 0
    _config('gokart_object_cache', 'directory', str(tmp_path / 'another-machine'))
    gcs.reset()
    fetches.clear()
    assert gokart.build(GCRoot(n=n, tag='elsewhere'), log_level=logging.ERROR) == list(range(n))
    assert _media_gets(gcs) == n
    assert len(fetches) >= n and all(thread.startswith('gokart-read') for _, thread in fetches[:n])
