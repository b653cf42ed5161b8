"""Zip archives stored on GCS: built locally, then uploaded; streamed back before unpacking."""

from __future__ import annotations

import os
import shutil

from gokart.gcs_config import GCSConfig
from gokart.zip_client import ZipClient, _unzip_file


class GCSZipClient(ZipClient):
    def __init__(self, file_path: str, temporary_directory: str) -> None:
        self._file_path = file_path
        self._temporary_directory = temporary_directory
        self._client = GCSConfig().get_gcs_client()

    def exists(self) -> bool:
        return self._client.exists(self._file_path)

    def make_archive(self) -> None:
        if not os.path.exists(self._temporary_directory):
            raise FileNotFoundError(f"Temporary directory {self._temporary_directory} is not found.")
        shutil.make_archive(base_name=self._temporary_directory, format="zip", root_dir=self._temporary_directory)
        try:
            self._client.put(self._temporary_file_path(), self._file_path)
        finally:
            os.remove(self._temporary_file_path())

    def unpack_archive(self) -> None:
        os.makedirs(self._temporary_directory, exist_ok=True)
        file_pointer = self._client.download(self._file_path)
        try:
            _unzip_file(fp=file_pointer, extract_dir=self._temporary_directory)
        finally:
            file_pointer.close()

    def remove(self) -> None:
        self._client.remove(self._file_path)

    @property
    def path(self) -> str:
        return self._file_path

    def _temporary_file_path(self) -> str:
        return self._temporary_directory + ".zip"
