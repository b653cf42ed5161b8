"""Supplementary log files written in the background: same files and bytes, on disk when a build returns."""

import logging
import os
import pickle
import random
from unittest import mock

import luigi

import gokart
from gokart import _log_writer


class LwSource(gokart.TaskOnKart):
    n = luigi.IntParameter(default=3)

    def run(self):
        self.dump(random.random())


LOG_KINDS = ('random_seed', 'task_params', 'module_versions', 'processing_time', 'task_log')


def _log_paths(task):
    uid = task.make_unique_id()
    return {
        kind: f'resources/log/{kind}/LwSource_{uid}.{"txt" if kind == "module_versions" else "pkl"}'
        for kind in LOG_KINDS
    }


def test_all_log_files_exist_when_build_returns_and_no_temporary_files_remain():
    task = LwSource()
    gokart.build(task, reset_register=False)
    paths = _log_paths(task)
    assert all(os.path.exists(p) for p in paths.values())
    with open(paths['task_params'], 'rb') as f:
        assert pickle.load(f) == {'n': '3'}
    leftovers = [name for _, _, files in os.walk('resources') for name in files if '-luigi-tmp-' in name]
    assert leftovers == []


def test_seeded_run_sees_the_same_random_state_as_with_synchronous_writes(tmp_path):
    os.chdir(tmp_path)
    os.mkdir('deferred')
    os.chdir('deferred')
    deferred = gokart.build(LwSource(), reset_register=False)
    os.chdir(tmp_path)
    os.mkdir('sync')
    os.chdir('sync')
    luigi.task_register.Register.clear_instance_cache()
    with mock.patch.object(_log_writer._writer, 'synchronous', True):
        synchronous = gokart.build(LwSource(), reset_register=False)
    assert deferred == synchronous


def test_writes_outside_a_gokart_run_are_synchronous():
    task = LwSource()
    task.trigger_event(luigi.Event.PROCESSING_TIME, task, 1.5)
    with open(_log_paths(task)['processing_time'], 'rb') as f:
        assert pickle.load(f) == 1.5


def test_deferred_write_lands_where_the_caller_was_even_after_chdir(tmp_path):
    task = LwSource()
    os.mkdir(tmp_path / 'elsewhere')
    with _log_writer.deferred():
        task.trigger_event(luigi.Event.PROCESSING_TIME, task, 2.5)
        os.chdir(tmp_path / 'elsewhere')
    os.chdir(tmp_path)
    assert os.path.exists(_log_paths(task)['processing_time'])
    assert not os.path.exists(tmp_path / 'elsewhere' / 'resources')


def test_a_user_patched_dump_still_receives_the_log_dumps():
    task = LwSource()
    with mock.patch.object(gokart.TaskOnKart, 'dump') as dump:
        task.trigger_event(luigi.Event.PROCESSING_TIME, task, 0.5)
    dump.assert_called_once()
    assert dump.call_args.args[0] == 0.5


def test_a_failed_background_write_is_logged_not_raised(caplog, tmp_path):
    with caplog.at_level(logging.ERROR, logger='gokart._log_writer'):
        with _log_writer.deferred():
            # A path below a regular file cannot be created.
            (tmp_path / 'file').write_text('x')
            _log_writer.submit(str(tmp_path / 'file' / 'sub' / 'log.pkl'), b'data')
    assert 'Error while writing a supplementary log file' in caplog.text


def test_forked_children_write_synchronously():
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: report whether the writer is synchronous, then leave without cleanup
        os.write(write, b'1' if _log_writer._writer.synchronous else b'0')
        os._exit(0)
    os.waitpid(pid, 0)
    assert os.read(read, 1) == b'1'
    assert _log_writer._writer.synchronous is False
