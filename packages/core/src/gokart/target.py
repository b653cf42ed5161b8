"""Targets: where a task's output lives and how it is dumped and loaded."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
from abc import abstractmethod
from datetime import datetime
from logging import getLogger
from typing import TYPE_CHECKING, Any

import luigi

from gokart import _paths, _tempfiles
from gokart._lazy import LazyModule, module_getattr
from gokart._targets import listing, remote_reads, remote_writes
from gokart._targets.frame_chunks import load_chunks, save_chunks
from gokart._targets.load_errors import load_error
from gokart.conflict_prevention_lock.task_lock import TaskLockParams, make_task_lock_params
from gokart.conflict_prevention_lock.task_lock_wrappers import (
    wrap_dump_with_lock,
    wrap_load_with_lock,
    wrap_remove_with_lock,
)
from gokart.file_processor import FileProcessor, PickleFileProcessor, make_file_processor
from gokart.gcs_obj_metadata_client import GCSObjectMetadataClient
from gokart.object_storage import ObjectStorage
from gokart.required_task_output import RequiredTaskOutput  # noqa: F401  (re-exported: upstream users import it from here)
from gokart.zip_client_util import make_zip_client

if TYPE_CHECKING:
    import dill
    import pandas as pd
else:
    dill = LazyModule('dill', globals(), 'dill')  # model targets only

__getattr__, __dir__ = module_getattr(__name__, {'pd': 'pandas'})

logger = getLogger(__name__)


class TargetOnKart(luigi.target.Target):
    """Public operations take the redis lock; subclasses implement the `_`-prefixed twins."""

    def exists(self) -> bool:
        return self._exists()

    def load(self) -> Any:
        return wrap_load_with_lock(func=self._load, task_lock_params=self._get_task_lock_params())()

    def dump(
        self,
        obj: Any,
        lock_at_dump: bool = True,
        task_params: dict[str, str] | None = None,
        custom_labels: dict[str, str] | None = None,
        required_task_outputs: Any = None,
    ) -> None:
        # wrap_dump_with_lock is looked up in this module's globals at call time: tests patch it here
        dump = self._dump
        if lock_at_dump:
            dump = wrap_dump_with_lock(
                func=self._dump, task_lock_params=self._get_task_lock_params(), exist_check=self.exists
            )
        dump(obj=obj, task_params=task_params, custom_labels=custom_labels, required_task_outputs=required_task_outputs)

    def remove(self) -> None:
        wrap_remove_with_lock(self._remove, task_lock_params=self._get_task_lock_params())()

    def last_modification_time(self) -> datetime:
        return self._last_modification_time()

    def path(self) -> str:
        return self._path()

    @abstractmethod
    def _exists(self) -> bool:
        pass

    @abstractmethod
    def _get_task_lock_params(self) -> TaskLockParams:
        pass

    @abstractmethod
    def _load(self) -> Any:
        pass

    @abstractmethod
    def _dump(
        self,
        obj: Any,
        task_params: dict[str, str] | None = None,
        custom_labels: dict[str, str] | None = None,
        required_task_outputs: Any = None,
    ) -> None:
        pass

    @abstractmethod
    def _remove(self) -> None:
        pass

    @abstractmethod
    def _last_modification_time(self) -> datetime:
        pass

    @abstractmethod
    def _path(self) -> str:
        pass


def _name_the_file(error: OSError, path: str) -> None:
    """A failed write() or close() (ENOSPC, EIO, EDQUOT) carries no file name: give it the output's path,
    so that the message says which file could not be written (gokart 1.12.2 says only "No space left on
    device"; docs/compat.md, Q31)."""
    if error.filename is None:
        error.filename = path


_PICKLE_DUMP = PickleFileProcessor.dump


def _pickles_as_gokart() -> bool:
    return PickleFileProcessor.dump is _PICKLE_DUMP


class SingleFileTarget(TargetOnKart):
    """One file, written atomically through a luigi file-system target and a FileProcessor."""

    def __init__(
        self, target: luigi.target.FileSystemTarget, processor: FileProcessor, task_lock_params: TaskLockParams
    ) -> None:
        self._target = target
        self._processor = processor
        self._task_lock_params = task_lock_params

    # While a task runs, its files go through its commit, the thread's stage (gokart/_kart/commit.py): writes
    # are staged beside the destination until the run succeeds, and the run sees what it has written.
    def _open(self, mode: str) -> Any:
        stage = _tempfiles.current_stage()
        if stage is not None:
            return stage.open(self._target, mode)
        if mode == 'r':
            # S3/GCS objects the build knows: the local cache or one GET (docs/compat.md Q53), else no HEAD (Q50)
            handle = remote_reads.open_fetched(self._target)
            if handle is None:
                handle = listing.open_for_reading(self._target)
        elif mode == 'w':
            handle = remote_writes.open_for_writing(self._target)  # S3/GCS: a unique scratch file (Q52)
        else:
            handle = None
        return self._target.open(mode) if handle is None else handle

    def _open_for_dump(self) -> Any:
        # gokart's own pickling only writes, tells and seeks: during a run the commit may keep it in memory
        stage = _tempfiles.current_stage()
        if stage is not None and type(self._processor) is PickleFileProcessor and _pickles_as_gokart():
            return stage.open_pickle(self._target)
        return self._open('w')

    def _exists(self) -> bool:
        stage = _tempfiles.current_stage()
        if stage is not None and stage.holds(self._target.path):
            return True
        listed = listing.exists(self._target)  # S3/GCS during a build: from its listing (docs/compat.md Q50)
        return self._target.exists() if listed is None else listed

    def _get_task_lock_params(self) -> TaskLockParams:
        return self._task_lock_params

    def _load(self) -> Any:
        handle = self._open('r')  # a missing file raises FileNotFoundError naming the path
        try:
            with handle as f:  # closing can fail too: luigi's gzip pipe reports a corrupt file then
                return self._processor.load(f)
        except Exception as e:
            raise load_error(self._target.path, e) from e

    def _load_fetched(self, data: bytes) -> Any:
        """_load() of the object's bytes, fetched already (a task's parallel read of its inputs,
        gokart/_kart/inputs.py, docs/compat.md Q54)."""
        try:
            with self._target.format.pipe_reader(io.BytesIO(data)) as f:  # type: ignore[attr-defined]
                return self._processor.load(f)
        except Exception as e:
            raise load_error(self._target.path, e) from e

    def _dump(
        self,
        obj: Any,
        task_params: dict[str, str] | None = None,
        custom_labels: dict[str, str] | None = None,
        required_task_outputs: Any = None,
    ) -> None:
        # an atomic handle: it writes '<path>-luigi-tmp-*' and renames it only on a clean exit (or stages it)
        try:
            with self._open_for_dump() as f:
                self._processor.dump(obj, f)
        except OSError as e:
            _name_the_file(e, self._target.path)
            raise
        listing.record_written(self._target.path)
        if self.path().startswith('gs://'):
            GCSObjectMetadataClient.add_task_state_labels(
                path=self.path(),
                task_params=task_params,
                custom_labels=custom_labels,
                required_task_outputs=required_task_outputs,
            )

    def _remove(self) -> None:
        stage = _tempfiles.current_stage()
        if stage is not None:
            stage.drop(self._target.path)
        listing.record_removed(self._target.path)
        if self._target.exists():
            self._target.remove()

    def _last_modification_time(self) -> datetime:
        return _get_last_modification_time(self._target.path)

    def _path(self) -> str:
        return self._target.path


class ModelTarget(TargetOnKart):
    """A zip holding what save_function wrote to model.pkl plus the pickled load_function."""

    def __init__(
        self,
        file_path: str,
        temporary_directory: str,
        load_function: Any,
        save_function: Any,
        task_lock_params: TaskLockParams,
    ) -> None:
        # the scratch directory is keyed by the zip path, so two targets never share one
        scratch = os.path.join(temporary_directory, hashlib.md5(file_path.encode()).hexdigest())
        self._zip_client = make_zip_client(file_path, scratch)
        self._temporary_directory = scratch
        self._save_function = save_function
        self._load_function = load_function
        self._task_lock_params = task_lock_params

    def _exists(self) -> bool:
        return self._zip_client.exists()

    def _get_task_lock_params(self) -> TaskLockParams:
        return self._task_lock_params

    def _load(self) -> Any:
        try:
            self._zip_client.unpack_archive()
            try:
                load_function = self._load_function
                if not load_function:
                    with open(self._load_function_path(), 'rb') as f:
                        load_function = dill.load(f)
            except BaseException:
                self._remove_temporary_directory()
                raise
        except FileNotFoundError:
            raise  # a missing archive: names the path already
        except Exception as e:  # a corrupt archive (BadZipFile, ...): same class, the message names the zip
            raise load_error(self._zip_client.path, e) from e
        try:
            return load_function(self._model_path())  # the user's function: its errors are its own
        finally:
            self._remove_temporary_directory()

    def _dump(
        self,
        obj: Any,
        task_params: dict[str, str] | None = None,
        custom_labels: dict[str, str] | None = None,
        required_task_outputs: Any = None,
    ) -> None:
        self._make_temporary_directory()
        try:
            self._save_function(obj, self._model_path())
            with open(self._load_function_path(), 'wb') as f:
                f.write(dill.dumps(self._load_function, protocol=4))
            self._zip_client.make_archive()
        finally:
            self._remove_temporary_directory()

    def _remove(self) -> None:
        self._zip_client.remove()

    def _last_modification_time(self) -> datetime:
        return _get_last_modification_time(self._zip_client.path)

    def _path(self) -> str:
        return self._zip_client.path

    def _model_path(self) -> str:
        return os.path.join(self._temporary_directory, 'model.pkl')

    def _load_function_path(self) -> str:
        return os.path.join(self._temporary_directory, 'load_function.pkl')

    def _remove_temporary_directory(self) -> None:
        shutil.rmtree(self._temporary_directory, ignore_errors=True)

    def _make_temporary_directory(self) -> None:
        os.makedirs(self._temporary_directory, exist_ok=True)


class LargeDataFrameProcessor:
    """save/load pair for make_model_target: a DataFrame as pickled chunks of at most ~max_byte each."""

    def __init__(self, max_byte: int):
        self.max_byte = int(max_byte)

    def save(self, df: pd.DataFrame, file_path: str) -> None:
        save_chunks(df, os.path.dirname(file_path), self.max_byte)

    @staticmethod
    def load(file_path: str) -> pd.DataFrame:
        # pickled by reference into every zip: keep it at gokart.target.LargeDataFrameProcessor.load
        return load_chunks(os.path.dirname(file_path))


def _make_file_system_target(
    file_path: str, processor: FileProcessor | None = None, store_index_in_feather: bool = True
) -> luigi.target.FileSystemTarget:
    processor = processor or make_file_processor(file_path, store_index_in_feather=store_index_in_feather)
    if ObjectStorage.if_object_storage_path(file_path):
        return ObjectStorage.get_object_storage_target(file_path, processor.format())
    return luigi.LocalTarget(file_path, format=processor.format())


def _make_file_path(original_path: str, unique_id: str | None = None) -> str:
    if unique_id is None:
        return original_path
    base, extension = _paths.splitext(original_path)
    return f'{base}_{unique_id}{extension}'


def _get_last_modification_time(path: str) -> datetime:
    if ObjectStorage.if_object_storage_path(path):
        listed = listing.last_modified(path)  # from the build's listing, if it has the object (Q50)
        if listed is not None:
            return listed
        if not ObjectStorage.exists(path):
            raise FileNotFoundError(f'No such file or directory: {path!r}')
        return ObjectStorage.get_timestamp(path)
    return datetime.fromtimestamp(os.path.getmtime(path))


def make_target(
    file_path: str,
    unique_id: str | None = None,
    processor: FileProcessor | None = None,
    task_lock_params: TaskLockParams | None = None,
    store_index_in_feather: bool = True,
) -> TargetOnKart:
    # the lock key comes from the path before the id is inserted, as in gokart 1.12.2
    lock_params = (
        task_lock_params
        if task_lock_params is not None
        else make_task_lock_params(file_path=file_path, unique_id=unique_id)
    )
    path = _make_file_path(file_path, unique_id)
    processor = processor or make_file_processor(path, store_index_in_feather=store_index_in_feather)
    target = _make_file_system_target(path, processor=processor, store_index_in_feather=store_index_in_feather)
    return SingleFileTarget(target=target, processor=processor, task_lock_params=lock_params)


def make_model_target(
    file_path: str,
    temporary_directory: str,
    save_function: Any,
    load_function: Any,
    unique_id: str | None = None,
    task_lock_params: TaskLockParams | None = None,
) -> TargetOnKart:
    lock_params = (
        task_lock_params
        if task_lock_params is not None
        else make_task_lock_params(file_path=file_path, unique_id=unique_id)
    )
    return ModelTarget(
        file_path=_make_file_path(file_path, unique_id),
        temporary_directory=temporary_directory,
        load_function=load_function,
        save_function=save_function,
        task_lock_params=lock_params,
    )
