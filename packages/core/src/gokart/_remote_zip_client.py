"""What the S3 and GCS zip clients share: the archive is built locally, then uploaded."""

from __future__ import annotations

import os
import shutil
from abc import abstractmethod
from typing import Any

from gokart.zip_client import ZipClient


class RemoteZipClient(ZipClient):
    def __init__(self, file_path: str, temporary_directory: str) -> None:
        self._file_path = file_path
        self._temporary_directory = temporary_directory
        self._client = self._make_client()

    @abstractmethod
    def _make_client(self) -> Any:
        pass

    def exists(self) -> bool:
        return self._client.exists(self._file_path)

    def make_archive(self) -> None:
        if not os.path.exists(self._temporary_directory):
            raise FileNotFoundError(f'Temporary directory {self._temporary_directory} is not found.')
        shutil.make_archive(base_name=self._temporary_directory, format='zip', root_dir=self._temporary_directory)
        try:
            self._client.put(self._temporary_file_path(), self._file_path)
        finally:
            os.remove(self._temporary_file_path())

    def remove(self) -> None:
        self._client.remove(self._file_path)

    @property
    def path(self) -> str:
        return self._file_path

    def _temporary_file_path(self) -> str:
        return self._temporary_directory + '.zip'
