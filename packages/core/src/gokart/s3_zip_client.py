"""Zip archives stored on S3: built locally, then uploaded; downloaded before unpacking."""

from __future__ import annotations

import os
import shutil

from gokart.s3_config import S3Config
from gokart.zip_client import ZipClient, _unzip_file


class S3ZipClient(ZipClient):
    def __init__(self, file_path: str, temporary_directory: str) -> None:
        self._file_path = file_path
        self._temporary_directory = temporary_directory
        self._client = S3Config().get_s3_client()

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
        self._client.get(self._file_path, self._temporary_file_path())
        try:
            _unzip_file(fp=self._temporary_file_path(), extract_dir=self._temporary_directory)
        finally:
            os.remove(self._temporary_file_path())

    def remove(self) -> None:
        self._client.remove(self._file_path)

    @property
    def path(self) -> str:
        return self._file_path

    def _temporary_file_path(self) -> str:
        return self._temporary_directory + ".zip"
