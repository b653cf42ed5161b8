"""Zip archives stored on GCS: built locally, then uploaded; streamed back before unpacking."""

from __future__ import annotations

import os
from typing import Any

from gokart._remote_zip_client import RemoteZipClient
from gokart.gcs_config import GCSConfig
from gokart.zip_client import ZipClient as ZipClient  # importable from here, as in gokart 1.12.2
from gokart.zip_client import _unzip_file


class GCSZipClient(RemoteZipClient):
    def _make_client(self) -> Any:
        return GCSConfig().get_gcs_client()

    def unpack_archive(self) -> None:
        os.makedirs(self._temporary_directory, exist_ok=True)
        file_pointer = self._client.download(self._file_path)
        try:
            _unzip_file(fp=file_pointer, extract_dir=self._temporary_directory)
        finally:
            file_pointer.close()
