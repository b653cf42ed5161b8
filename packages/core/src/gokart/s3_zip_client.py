"""Zip archives stored on S3: built locally, then uploaded; downloaded before unpacking."""

from __future__ import annotations

import os
from typing import Any

from gokart._remote_zip_client import RemoteZipClient
from gokart.s3_config import S3Config
from gokart.zip_client import ZipClient as ZipClient  # importable from here, as in gokart 1.12.2
from gokart.zip_client import _unzip_file


class S3ZipClient(RemoteZipClient):
    def _make_client(self) -> Any:
        return S3Config().get_s3_client()

    def unpack_archive(self) -> None:
        os.makedirs(self._temporary_directory, exist_ok=True)
        self._client.get(self._file_path, self._temporary_file_path())
        try:
            _unzip_file(fp=self._temporary_file_path(), extract_dir=self._temporary_directory)
        finally:
            os.remove(self._temporary_file_path())
