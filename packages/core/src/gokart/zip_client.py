"""Zip archives of a scratch directory, for model targets."""

from __future__ import annotations

import os
import shutil
import zipfile
from abc import abstractmethod
from typing import IO


def _unzip_file(fp: str | IO[bytes] | os.PathLike[str], extract_dir: str) -> None:
    with zipfile.ZipFile(fp) as zip_file:
        zip_file.extractall(extract_dir)


def _archive_base(path: str) -> str:
    # shutil.make_archive appends '.zip' itself
    return path[: -len('.zip')] if path.endswith('.zip') else path


class ZipClient:
    @abstractmethod
    def exists(self) -> bool:
        pass

    @abstractmethod
    def make_archive(self) -> None:
        pass

    @abstractmethod
    def unpack_archive(self) -> None:
        pass

    @abstractmethod
    def remove(self) -> None:
        pass

    @property
    @abstractmethod
    def path(self) -> str:
        pass


class LocalZipClient(ZipClient):
    def __init__(self, file_path: str, temporary_directory: str) -> None:
        self._file_path = file_path
        self._temporary_directory = temporary_directory

    def exists(self) -> bool:
        return os.path.exists(self._file_path)

    def make_archive(self) -> None:
        # archive beside the destination, then rename: readers never see a half-written zip
        directory = os.path.dirname(self._file_path) or '.'
        os.makedirs(directory, exist_ok=True)
        tmp_base = f'{_archive_base(self._file_path)}-gokart-tmp-{os.getpid()}'
        archive = shutil.make_archive(base_name=tmp_base, format='zip', root_dir=self._temporary_directory)
        os.replace(archive, self._file_path)

    def unpack_archive(self) -> None:
        _unzip_file(fp=self._file_path, extract_dir=self._temporary_directory)

    def remove(self) -> None:
        # docs/compat.md Q4 (fixed): upstream called rmtree on the file, which did nothing
        if os.path.isdir(self._file_path):
            shutil.rmtree(self._file_path, ignore_errors=True)
        elif os.path.exists(self._file_path):
            os.remove(self._file_path)

    @property
    def path(self) -> str:
        return self._file_path
