"""Zip-based targets: model targets, the large-DataFrame processor, local zip clients."""

from __future__ import annotations

import hashlib
import os
import pickle
import zipfile

import numpy as np
import pandas as pd
import pytest

from gokart.target import LargeDataFrameProcessor, ModelTarget, make_model_target
from gokart.zip_client import LocalZipClient
from gokart.zip_client_util import make_zip_client


def save_pickle(obj, path):
    with open(path, 'wb') as f:
        pickle.dump(obj, f)


def load_pickle(path):
    with open(path, 'rb') as f:
        return pickle.load(f)


def test_model_target_round_trip_and_zip_members():
    target = make_model_target('m/model.zip', 'tmpd', save_pickle, load_pickle, unique_id='abc')
    assert isinstance(target, ModelTarget)
    assert target.path() == 'm/model_abc.zip' == target._zip_client.path
    target.dump({'k': 1})
    assert sorted(zipfile.ZipFile('m/model_abc.zip').namelist()) == ['load_function.pkl', 'model.pkl']
    assert target.load() == {'k': 1}


def test_scratch_directory_is_md5_of_the_zip_path_and_is_cleaned_up():
    target = make_model_target('m/model.zip', 'tmpd', save_pickle, load_pickle, unique_id='abc')
    assert target._temporary_directory == os.path.join('tmpd', hashlib.md5(b'm/model_abc.zip').hexdigest())
    target.dump([1])
    target.load()
    assert not os.path.exists(target._temporary_directory)


def test_pickled_load_function_is_used_when_none_is_given():
    make_model_target('m.zip', 'tmpd', save_pickle, load_pickle).dump('v')
    assert make_model_target('m.zip', 'tmpd', save_pickle, None).load() == 'v'


def test_local_remove_deletes_the_zip():
    # docs/compat.md Q4: upstream's local remove() left the file in place
    target = make_model_target('m.zip', 'tmpd', save_pickle, load_pickle)
    target.dump(1)
    target.remove()
    assert not os.path.exists('m.zip') and not target.exists()


def test_failing_save_function_leaves_no_zip_and_no_scratch_dir():
    def bad_save(obj, path):
        raise ValueError('nope')

    target = make_model_target('m.zip', 'tmpd', bad_save, load_pickle)
    with pytest.raises(ValueError, match='nope'):
        target.dump(1)
    assert not os.path.exists('m.zip')
    assert not os.path.exists(target._temporary_directory)


def test_model_target_mtime_and_lock_key():
    target = make_model_target('dir/m.zip', 'tmpd', save_pickle, load_pickle, unique_id='u')
    assert target._get_task_lock_params().redis_key == 'm_u'
    target.dump(1)
    assert target.last_modification_time().timestamp() == pytest.approx(os.path.getmtime('dir/m_u.zip'))


def _large_target(max_byte):
    processor = LargeDataFrameProcessor(max_byte=max_byte)
    return make_model_target('large.zip', 'tmpd', processor.save, processor.load)


def test_large_frame_chunks_come_back_in_row_order():
    # docs/compat.md Q14: upstream concatenated chunks in filesystem order
    frame = pd.DataFrame({'a': np.arange(1000)})
    target = _large_target(max_byte=800)
    target.dump(frame)
    members = zipfile.ZipFile('large.zip').namelist()
    assert len([m for m in members if m.startswith('data_')]) == 11
    assert 'model.pkl' not in members and 'load_function.pkl' in members
    pd.testing.assert_frame_equal(target.load(), frame)


def test_large_frame_with_more_parts_than_rows_is_capped():
    # docs/compat.md Q20: upstream raised IndexError when nbytes // max_byte + 1 exceeded the row count
    frame = pd.DataFrame({'a': np.arange(5)})
    target = _large_target(max_byte=1)
    target.dump(frame)
    assert len([m for m in zipfile.ZipFile('large.zip').namelist() if m.startswith('data_')]) == 5
    pd.testing.assert_frame_equal(target.load(), frame)


def test_large_frame_empty_frame_is_one_chunk():
    target = _large_target(max_byte=10)
    target.dump(pd.DataFrame({'a': []}))
    assert 'data_0.pkl' in zipfile.ZipFile('large.zip').namelist()
    assert target.load().empty


def test_large_frame_loader_orders_numerically_not_lexically(tmp_path):
    for i in (10, 2, 1, 0):
        pd.DataFrame({'a': [i]}).to_pickle(tmp_path / f'data_{i}.pkl')
    assert list(LargeDataFrameProcessor.load(str(tmp_path / 'model.pkl'))['a']) == [0, 1, 2, 10]


def test_local_zip_client(tmp_path):
    src = tmp_path / 'src'
    src.mkdir()
    (src / 'f.txt').write_text('hi')
    client = make_zip_client(str(tmp_path / 'out' / 'a.zip'), str(src))
    assert isinstance(client, LocalZipClient) and not client.exists()
    client.make_archive()
    assert client.exists() and zipfile.ZipFile(client.path).namelist() == ['f.txt']
    assert not [p for p in os.listdir(tmp_path / 'out') if p != 'a.zip']  # no temp archive left behind
    (src / 'f.txt').unlink()
    client.unpack_archive()
    assert (src / 'f.txt').read_text() == 'hi'
    client.remove()
    assert not client.exists()
