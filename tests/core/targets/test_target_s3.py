"""S3 targets against a real moto server over HTTP."""

from __future__ import annotations

from datetime import datetime

import boto3
import numpy as np
import pandas as pd
import pytest

from gokart.object_storage import ObjectStorage
from gokart.s3_config import S3Config
from gokart.s3_zip_client import S3ZipClient
from gokart.target import LargeDataFrameProcessor, make_model_target, make_target


def _keys(bucket):
    return [o['Key'] for o in boto3.client('s3').list_objects_v2(Bucket=bucket).get('Contents', [])]


@pytest.mark.parametrize('ext', ['.pkl', '.csv', '.parquet', '.feather', '.json', '.txt', '.npz'])
def test_round_trip(s3_bucket, ext):
    obj = {'.txt': ['a', 'b'], '.npz': np.arange(4)}.get(ext, pd.DataFrame({'a': [1, 2]}))
    target = make_target(f's3://{s3_bucket}/dir/obj{ext}', unique_id='u')
    assert target.path() == f's3://{s3_bucket}/dir/obj_u{ext}'
    assert not target.exists()
    target.dump(obj)
    assert target.exists() and _keys(s3_bucket) == [f'dir/obj_u{ext}']
    loaded = target.load()
    if isinstance(obj, pd.DataFrame):
        pd.testing.assert_frame_equal(loaded, obj)
    elif isinstance(obj, np.ndarray):
        np.testing.assert_array_equal(loaded, obj)
    else:
        assert loaded == obj


def test_streamed_reader_is_not_buffered(s3_bucket):
    import luigi.contrib.s3

    target = make_target(f's3://{s3_bucket}/a.pkl')
    target.dump(1)
    with target._target.open('r') as f:
        assert isinstance(f, luigi.contrib.s3.ReadableS3File)
        assert ObjectStorage.is_buffered_reader(f) is False


def test_remove_and_last_modification_time(s3_bucket):
    target = make_target(f's3://{s3_bucket}/a.pkl')
    with pytest.raises(FileNotFoundError):
        target.last_modification_time()
    target.dump(1)
    assert isinstance(target.last_modification_time(), datetime)
    target.remove()
    assert not target.exists() and _keys(s3_bucket) == []


def test_client_is_built_once_per_config(s3_bucket):
    config = S3Config()
    assert config.get_s3_client() is config.get_s3_client()
    assert config._client is not None


def test_credentials_come_from_the_configured_env_names(s3_bucket, monkeypatch):
    import luigi.contrib.s3

    monkeypatch.setenv('MY_KEY', 'k1')
    monkeypatch.setenv('MY_SECRET', 's1')
    captured = {}

    class Capture(luigi.contrib.s3.S3Client):
        def __init__(self, **kwargs):
            captured.update(kwargs)

    monkeypatch.setattr(luigi.contrib.s3, 'S3Client', Capture)
    S3Config(aws_access_key_id_name='MY_KEY', aws_secret_access_key_name='MY_SECRET')._get_s3_client()
    assert captured == {'aws_access_key_id': 'k1', 'aws_secret_access_key': 's1'}


def test_model_target_on_s3(s3_bucket, tmp_path):
    processor = LargeDataFrameProcessor(max_byte=100)
    frame = pd.DataFrame({'a': np.arange(200)})
    target = make_model_target(
        f's3://{s3_bucket}/m/large.zip', str(tmp_path / 'tmp'), processor.save, processor.load, unique_id='u'
    )
    assert isinstance(target._zip_client, S3ZipClient)
    target.dump(frame)
    assert _keys(s3_bucket) == ['m/large_u.zip']
    pd.testing.assert_frame_equal(target.load(), frame)
    assert list((tmp_path / 'tmp').iterdir()) == []  # scratch files are gone
    target.remove()
    assert not target.exists()


def test_s3_zip_client_needs_its_directory(s3_bucket, tmp_path):
    client = S3ZipClient(f's3://{s3_bucket}/z.zip', str(tmp_path / 'absent'))
    with pytest.raises(FileNotFoundError):
        client.make_archive()


def test_missing_boto3_gives_an_install_hint(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, 'boto3', None)  # makes `import boto3` raise ImportError
    with pytest.raises(ImportError, match=r'pip install gokart\[s3\]'):
        make_target('s3://bucket/x.pkl')
