"""SingleFileTarget on local files: paths, lock keys, atomic writes, errors that name the file, patch points."""

from __future__ import annotations

import os
import pickle
import time
from datetime import datetime
from unittest import mock

import luigi
import pandas as pd
import pytest

import gokart._targets.load_errors
import gokart.file_processor
import gokart.target
from gokart.conflict_prevention_lock.task_lock import TaskLockParams
from gokart.file_processor import FileProcessor, PickleFileProcessor
from gokart.target import SingleFileTarget, TargetOnKart, make_target


class ExplodingProcessor(FileProcessor):
    """Writes some bytes, then fails: the write must never become visible at the final path."""

    def format(self):
        return luigi.format.Nop

    def load(self, file):
        return file.read()

    def dump(self, obj, file):
        file.write(b'partial')
        raise RuntimeError('disk on fire')


def test_unique_id_goes_before_the_last_extension():
    assert make_target('demo/double.csv', unique_id='abc').path() == 'demo/double_abc.csv'
    assert make_target('multi/q.tar.gz', unique_id='u').path() == 'multi/q.tar_u.gz'
    assert make_target('plain.pkl').path() == 'plain.pkl'


def test_lock_key_uses_the_path_before_id_insertion():
    params = make_target('a/b.pkl', unique_id='u1')._get_task_lock_params()
    assert params.redis_key == 'b_u1'
    assert params.should_task_lock is False


def test_explicit_lock_params_are_kept():
    params = TaskLockParams(None, None, None, 'k', False, False, 10)
    assert make_target('a.pkl', task_lock_params=params)._get_task_lock_params() is params


def test_single_file_target_wraps_a_local_target_and_its_processor():
    target = make_target('dir/x.pkl', unique_id='u')
    assert isinstance(target, SingleFileTarget) and isinstance(target, TargetOnKart)
    assert isinstance(target._target, luigi.LocalTarget)
    assert isinstance(target._processor, PickleFileProcessor)


def test_local_target_is_looked_up_at_call_time():
    with mock.patch('luigi.LocalTarget') as local_target:
        target = make_target('x.pkl')
    assert target._target is local_target.return_value


def test_round_trip_creates_parent_directories_and_exists_tracks_it():
    target = make_target('deep/er/x.pkl', unique_id='u')
    assert not target.exists()
    target.dump({'a': 1})
    assert target.exists() and os.path.exists('deep/er/x_u.pkl')
    assert target.load() == {'a': 1}
    target.remove()
    assert not target.exists()
    target.remove()  # removing a missing file is a no-op


def test_failing_dump_leaves_no_file_at_the_path():
    target = make_target('out.bin', processor=ExplodingProcessor())
    with pytest.raises(RuntimeError, match='disk on fire'):
        target.dump(b'x')
    assert not os.path.exists('out.bin')


def test_failing_dump_keeps_the_previous_file_intact():
    good = make_target('out.bin', processor=gokart.file_processor.BinaryFileProcessor())
    good.dump(b'old contents')
    with pytest.raises(RuntimeError):
        make_target('out.bin', processor=ExplodingProcessor()).dump(b'x')
    with open('out.bin', 'rb') as f:
        assert f.read() == b'old contents'


def test_failing_frame_dump_does_not_leave_a_parquet_file():
    with pytest.raises(TypeError):
        make_target('f.parquet').dump('not a frame')
    assert not os.path.exists('f.parquet')


def test_missing_file_raises_file_not_found_naming_the_path():
    with pytest.raises(FileNotFoundError, match='missing.pkl'):
        make_target('x/missing.pkl').load()


def test_corrupt_file_error_names_the_path_and_keeps_the_original_type():
    with open('corrupt.pkl', 'wb') as f:
        f.write(b'garbage')
    with pytest.raises(pickle.UnpicklingError) as info:
        make_target('corrupt.pkl').load()
    assert 'corrupt.pkl' in str(info.value)
    assert isinstance(info.value.__cause__, pickle.UnpicklingError)
    assert isinstance(info.value, gokart._targets.load_errors.TargetLoadError)


def test_unreadable_parquet_error_names_the_path():
    with open('bad.parquet', 'wb') as f:
        f.write(b'not parquet at all')
    with pytest.raises(Exception) as info:
        make_target('bad.parquet').load()
    assert 'bad.parquet' in str(info.value)
    assert info.value.__cause__ is not None


def test_wrapped_load_errors_survive_pickling():
    with open('corrupt.pkl', 'wb') as f:
        f.write(b'garbage')
    with pytest.raises(Exception) as info:
        make_target('corrupt.pkl').load()
    restored = pickle.loads(pickle.dumps(info.value))
    assert 'corrupt.pkl' in str(restored)


def test_empty_pickle_is_an_eof_error_naming_the_path():
    open('empty.pkl', 'wb').close()
    with pytest.raises(EOFError, match='empty.pkl') as info:
        make_target('empty.pkl').load()
    assert isinstance(info.value.__cause__, EOFError)
    with open('empty.pkl', 'rb') as f, pytest.raises(EOFError):  # the processor alone: the unpickler's error
        PickleFileProcessor().load(f)


def test_undecodable_text_keeps_unicode_decode_error_and_its_fields():
    with open('bad.txt', 'wb') as f:
        f.write(b'ok\n\xff\xfe')
    with pytest.raises(UnicodeDecodeError) as info:
        make_target('bad.txt').load()
    error = info.value
    assert 'bad.txt' in str(error) and (error.encoding, error.reason) == ('utf-8', 'invalid start byte')
    assert error.args == info.value.__cause__.args  # args are the original's; str() names the file
    restored = pickle.loads(pickle.dumps(error))
    assert isinstance(restored, UnicodeDecodeError) and str(restored) == str(error) and restored.start == error.start


def test_corrupt_model_zip_is_a_bad_zip_file_naming_the_path(tmp_path):
    import zipfile

    with open('model.zip', 'wb') as f:
        f.write(b'PK not really a zip')
    target = gokart.target.make_model_target('model.zip', str(tmp_path / 'tmp'), save_function=None, load_function=None)
    with pytest.raises(zipfile.BadZipFile, match='model.zip'):
        target.load()
    with pytest.raises(FileNotFoundError):
        gokart.target.make_model_target(
            'missing.zip', str(tmp_path / 'tmp'), save_function=None, load_function=None
        ).load()


def test_an_error_class_that_cannot_be_rebuilt_still_names_the_path():
    class Strict(Exception):
        def __init__(self, a, b):  # args are (a,) only: rebuilding from args fails
            super().__init__(a)
            self.b = b

    wrapped = gokart._targets.load_errors.load_error('x.bin', Strict('boom', 2))
    assert isinstance(wrapped, Strict) and 'x.bin' in str(wrapped) and wrapped.b == 2


def test_last_modification_time_is_a_naive_local_datetime():
    target = make_target('t.pkl')
    before = datetime.fromtimestamp(time.time() - 2)
    target.dump(1)
    mtime = target.last_modification_time()
    assert mtime.tzinfo is None and mtime >= before
    with pytest.raises(FileNotFoundError):
        make_target('nothing.pkl').last_modification_time()


def test_dump_goes_through_wrap_dump_with_lock_looked_up_in_gokart_target():
    target = make_target('a.pkl')
    with mock.patch('gokart.target.wrap_dump_with_lock') as wrap:
        target.dump(1, task_params={'p': '1'})
    assert wrap.call_args.kwargs['task_lock_params'] == target._get_task_lock_params()
    assert wrap.call_args.kwargs['exist_check'] == target.exists
    wrap.return_value.assert_called_once_with(
        obj=1, task_params={'p': '1'}, custom_labels=None, required_task_outputs=None
    )


def test_dump_without_lock_skips_the_wrapper():
    target = make_target('a.pkl')
    with mock.patch('gokart.target.wrap_dump_with_lock') as wrap:
        target.dump(1, lock_at_dump=False)
    wrap.assert_not_called()
    assert target.load() == 1


def test_single_file_target_dump_is_patchable():
    with mock.patch('gokart.target.SingleFileTarget.dump') as dump:
        make_target('a.pkl').dump('x')
    dump.assert_called_once_with('x')
    assert not os.path.exists('a.pkl')


def test_load_of_pandas_pickles_written_by_pandas():
    frame = pd.DataFrame({'a': [1, 2]})
    frame.to_pickle('frame.pkl')
    pd.testing.assert_frame_equal(make_target('frame.pkl').load(), frame)
