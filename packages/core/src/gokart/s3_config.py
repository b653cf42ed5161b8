"""S3 credentials, read from environment variables whose names are configurable (section [S3Config])."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import luigi

from gokart._optional_deps import require

if TYPE_CHECKING:
    import luigi.contrib.s3


class S3Config(luigi.Config):
    aws_access_key_id_name = luigi.Parameter(
        default='AWS_ACCESS_KEY_ID', description='env variable name for access key id'
    )
    aws_secret_access_key_name = luigi.Parameter(
        default='AWS_SECRET_ACCESS_KEY', description='env variable name for secret access key'
    )
    _client = None

    def get_s3_client(self) -> luigi.contrib.s3.S3Client:
        if self._client is None:  # one client per config instance; creating boto sessions is slow
            self._client = self._get_s3_client()
        return self._client

    def _get_s3_client(self) -> luigi.contrib.s3.S3Client:
        require('s3')
        import luigi.contrib.s3

        return luigi.contrib.s3.S3Client(
            aws_access_key_id=os.environ.get(self.aws_access_key_id_name),
            aws_secret_access_key=os.environ.get(self.aws_secret_access_key_name),
        )
