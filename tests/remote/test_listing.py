"""Completion by listing on a real S3 server over HTTP (moto), counted by the server (docs/compat.md Q50)."""

from __future__ import annotations

import logging

import luigi
import pytest

import gokart
from gokart._kart.session import build_session
from gokart._targets import listing

pytestmark = pytest.mark.single_leg

N = 12  # leaves of the fan; the moto server is slow per request


class Leaf(gokart.TaskOnKart):
    task_namespace = 'remote_listing'
    i = luigi.IntParameter()

    def run(self):
        self.dump(self.i)


class Root(gokart.TaskOnKart):
    task_namespace = 'remote_listing'
    n = luigi.IntParameter()
    tag = luigi.Parameter(default='')

    def requires(self):
        return [Leaf(i=i) for i in range(self.n)]

    def run(self):
        self.dump(sum(self.load()))


def _workspace(s3, monkeypatch) -> str:
    workspace = f's3://{s3.bucket}/ws'
    luigi.configuration.get_config().set('TaskOnKart', 'workspace_directory', workspace)
    return workspace


def _existence(counts: dict[str, int]) -> int:
    return counts.get('head', 0) + counts.get('list', 0) + counts.get('marker_get', 0)


def _without_read_cache() -> None:
    """Reads are GETs again (the local read cache, docs/compat.md Q53, is tested in test_remote_reads.py)."""
    luigi.configuration.get_config().set('gokart_object_cache', 'enabled', 'false')


def test_a_cold_build_sends_the_writes_one_read_and_one_check_per_task(s3, monkeypatch):
    _workspace(s3, monkeypatch)
    _without_read_cache()
    assert gokart.build(Root(n=N), log_level=logging.ERROR) == sum(range(N))
    counts = s3.counts()
    tasks = N + 1
    # six writes (the output and five log files), one read (by the dependent, or build()), one HEAD right
    # before run(), and one listing of the (empty) output directory for the whole build
    assert counts == {'put': 6 * tasks, 'get': tasks, 'head': tasks, 'list': 1}


def test_a_warm_build_lists_once_instead_of_asking_each_leaf(s3, monkeypatch):
    _workspace(s3, monkeypatch)
    _without_read_cache()
    gokart.build(Root(n=N), log_level=logging.ERROR)
    s3.reset()
    assert gokart.build(Root(n=N, tag='new'), log_level=logging.ERROR) == sum(range(N))
    counts = s3.counts()
    # one listing, the new root's HEAD before its run; the leaves are only read
    assert _existence(counts) == 2
    assert counts['get'] == N + 1
    assert counts['put'] == 6


def test_a_build_with_several_workers_builds_every_task_once(s3, monkeypatch):
    _workspace(s3, monkeypatch)
    assert gokart.build(Root(n=N), log_level=logging.ERROR, workers=2) == sum(range(N))
    counts = s3.counts()
    assert counts['put'] == 6 * (N + 1)
    # a forked worker does not trust the parent's listing for absence: the dependent asks its inputs
    assert counts['head'] <= 2 * (N + 1)


def test_outside_a_build_exists_asks_the_store_as_before(s3, monkeypatch):
    workspace = _workspace(s3, monkeypatch)
    target = gokart.target.make_target(f'{workspace}/missing.pkl')
    assert not target.exists()
    # luigi's check of a missing object: HEAD, two directory markers, one listing
    assert s3.counts() == {'head': 1, 'marker_get': 2, 'list': 1}


def test_the_check_before_run_sees_an_object_written_after_the_listing(s3, monkeypatch):
    workspace = _workspace(s3, monkeypatch)
    target = gokart.target.make_target(f'{workspace}/dir/late.pkl')
    with build_session():
        assert not target.exists()  # lists dir/
        s3.client().put_object(Bucket=s3.bucket, Key='ws/dir/late.pkl', Body=b'x')  # another process
        assert not target.exists()  # the listing is of the build's start (docs/compat.md Q50)
        with listing.fresh():
            assert target.exists()  # the check right before run() asks the object
        assert target.exists()  # and the build now knows it
    assert s3.counts() == {'list': 1, 'put': 1, 'head': 1}


def test_directory_forms_count_as_existing_as_luigi_says(s3, monkeypatch):
    workspace = _workspace(s3, monkeypatch)
    client = s3.client()
    client.put_object(Bucket=s3.bucket, Key='ws/d/folder.pkl_$folder$', Body=b'')
    client.put_object(Bucket=s3.bucket, Key='ws/d/tree.pkl/leaf.txt', Body=b'')
    client.put_object(Bucket=s3.bucket, Key='ws/d/marker.pkl/', Body=b'')
    with build_session():
        found = {
            name: gokart.target.make_target(f'{workspace}/d/{name}.pkl').exists()
            for name in ('folder', 'tree', 'marker', 'absent', 'tre')
        }
    assert found == {name: gokart.target.make_target(f'{workspace}/d/{name}.pkl').exists() for name in found}
    assert found == {'folder': True, 'tree': True, 'marker': True, 'absent': False, 'tre': False}


def test_a_removed_output_is_missing_again(s3, monkeypatch):
    workspace = _workspace(s3, monkeypatch)
    target = gokart.target.make_target(f'{workspace}/r/x.pkl')
    with build_session():
        target.dump(1)
        assert target.exists()
        target.remove()
        assert not target.exists()


def test_modification_times_come_from_the_listing(s3, monkeypatch):
    workspace = _workspace(s3, monkeypatch)
    gokart.target.make_target(f'{workspace}/t/x.pkl').dump(1)
    expected = gokart.target.make_target(f'{workspace}/t/x.pkl').last_modification_time()
    s3.reset()
    with build_session():
        target = gokart.target.make_target(f'{workspace}/t/x.pkl')
        assert target.exists()
        assert target.last_modification_time() == expected
    assert s3.counts() == {'list': 1}


def test_modification_time_check_on_a_warm_build_needs_no_head_per_input(s3, monkeypatch):
    _workspace(s3, monkeypatch)
    gokart.build(Root(n=N, tag='m'), log_level=logging.ERROR)
    s3.reset()
    value = gokart.build(Root(n=N, tag='m', modification_time_check=True), log_level=logging.ERROR)
    assert value == sum(range(N))
    counts = s3.counts()
    assert counts.get('put', 0) == 0  # complete: nothing ran
    assert _existence(counts) <= 2


def test_without_list_permission_each_object_is_asked_with_a_warning(s3_without_listing, monkeypatch, caplog):
    _workspace(s3_without_listing, monkeypatch)
    with caplog.at_level(logging.WARNING, logger='gokart._targets.listing'):
        assert gokart.build(Root(n=3), log_level=logging.WARNING) == 3
    assert [r for r in caplog.records if 'is not allowed' in r.getMessage()]
    counts = s3_without_listing.counts()
    assert counts['put'] == 6 * 4
    # one refused listing; a missing output costs its HEAD and two directory markers, at discovery and
    # again right before run()
    assert counts['list'] == 1
    assert counts['head'] == 4 * 3 * 2
