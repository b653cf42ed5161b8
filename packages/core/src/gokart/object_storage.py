"""Dispatch between S3 and GCS for paths with an object-storage scheme."""

from __future__ import annotations

import sys
from datetime import datetime
from typing import Any

import luigi

from gokart.gcs_config import GCSConfig
from gokart.s3_config import S3Config
from gokart.zip_client import ZipClient

object_storage_path_prefix = ['s3://', 'gs://']


def _parse_gcs_timestamp(value: Any) -> Any:
    # docs/compat.md Q12: the API returns RFC 3339 text ('2024-01-02T03:04:05.678Z'); callers compare datetimes
    if isinstance(value, str):
        return datetime.fromisoformat(value.replace('Z', '+00:00'))
    return value


class ObjectStorage:
    @staticmethod
    def if_object_storage_path(path: str) -> bool:
        return path.startswith(tuple(object_storage_path_prefix))

    @staticmethod
    def get_object_storage_target(path: str, format: Any) -> luigi.target.FileSystemTarget:
        if path.startswith('s3://'):
            s3_client = S3Config().get_s3_client()
            import luigi.contrib.s3

            return luigi.contrib.s3.S3Target(path, client=s3_client, format=format)
        if path.startswith('gs://'):
            gcs_client = GCSConfig().get_gcs_client()
            import luigi.contrib.gcs

            return luigi.contrib.gcs.GCSTarget(path, client=gcs_client, format=format)
        raise ValueError(f'{path} is not an object storage path; expected one of {object_storage_path_prefix}.')

    @staticmethod
    def exists(path: str) -> bool:
        if path.startswith('s3://'):
            return S3Config().get_s3_client().exists(path)
        if path.startswith('gs://'):
            return GCSConfig().get_gcs_client().exists(path)
        raise ValueError(f'{path} is not an object storage path; expected one of {object_storage_path_prefix}.')

    @staticmethod
    def get_timestamp(path: str) -> datetime:
        if path.startswith('s3://'):
            return S3Config().get_s3_client().get_key(path).last_modified
        if path.startswith('gs://'):
            client = GCSConfig().get_gcs_client()
            bucket, obj = client._path_to_bucket_and_key(path)
            return _parse_gcs_timestamp(client.client.objects().get(bucket=bucket, object=obj).execute()['updated'])
        raise ValueError(f'{path} is not an object storage path; expected one of {object_storage_path_prefix}.')

    @staticmethod
    def get_zip_client(file_path: str, temporary_directory: str) -> ZipClient:
        if file_path.startswith('s3://'):
            from gokart.s3_zip_client import S3ZipClient

            return S3ZipClient(file_path=file_path, temporary_directory=temporary_directory)
        if file_path.startswith('gs://'):
            from gokart.gcs_zip_client import GCSZipClient

            return GCSZipClient(file_path=file_path, temporary_directory=temporary_directory)
        raise ValueError(f'{file_path} is not an object storage path; expected one of {object_storage_path_prefix}.')

    @staticmethod
    def is_buffered_reader(file: object) -> bool:
        """False only for S3's streaming reader, which cannot seek and has no local file name."""
        s3 = sys.modules.get('luigi.contrib.s3')
        if s3 is None:  # never imported, so no S3 reader can exist
            return True
        return not isinstance(file, s3.ReadableS3File)
