"""Completion by listing on GCS, against gcp-storage-emulator over HTTP (docs/compat.md Q50)."""

from __future__ import annotations

import logging

import luigi
import pytest

import gokart
from gokart._kart.session import build_session

pytestmark = pytest.mark.single_leg

N = 4


class GLeaf(gokart.TaskOnKart):
    task_namespace = 'remote_listing_gcs'
    i = luigi.IntParameter()

    def run(self):
        self.dump(self.i)


class GRoot(gokart.TaskOnKart):
    task_namespace = 'remote_listing_gcs'
    n = luigi.IntParameter()
    tag = luigi.Parameter(default='')

    def requires(self):
        return [GLeaf(i=i) for i in range(self.n)]

    def run(self):
        self.dump(sum(self.load()))


def _kinds(requests: list[tuple[str, str]], bucket: str) -> dict[str, int]:
    """Existence requests on outputs (not log files): listings, and metadata GETs of single objects."""
    counts = {'list': 0, 'get_metadata': 0}
    for method, path in requests:
        route = path.split('?', 1)[0]
        if method != 'GET' or not route.startswith(f'/storage/v1/b/{bucket}/o') or 'alt=media' in path:
            continue  # writes, label patches, downloads
        if route == f'/storage/v1/b/{bucket}/o':
            counts['list'] += 1
        elif 'log%2F' not in route and '/log/' not in route:
            counts['get_metadata'] += 1
    return counts


@pytest.fixture
def workspace(gcs):
    config = luigi.configuration.get_config()
    config.set('TaskOnKart', 'workspace_directory', f'gs://{gcs.bucket}/ws')
    return f'gs://{gcs.bucket}/ws'


def test_a_cold_build_lists_once_and_asks_each_output_once_before_its_run(gcs, workspace):
    assert gokart.build(GRoot(n=N), log_level=logging.ERROR) == sum(range(N))
    # per output: the check right before run() (one metadata GET, no per-task listing), then two that
    # gokart 1.12.2 makes as well: luigi's wait for consistency after the upload and the read of the
    # object's labels when it is dumped; its read needs no metadata GET (docs/compat.md Q53)
    assert _kinds(gcs.requests(), gcs.bucket) == {'list': 1, 'get_metadata': 3 * (N + 1)}


def test_a_warm_build_lists_instead_of_asking_each_leaf(gcs, workspace):
    gokart.build(GRoot(n=N), log_level=logging.ERROR)
    gcs.reset()
    assert gokart.build(GRoot(n=N, tag='new'), log_level=logging.ERROR) == sum(range(N))
    # the new root: as in a cold build; the leaves: none (their reads are media GETs or cache hits)
    assert _kinds(gcs.requests(), gcs.bucket) == {'list': 1, 'get_metadata': 3}


def test_outside_a_build_each_exists_asks_the_store(gcs, workspace):
    target = gokart.target.make_target(f'{workspace}/d/x.pkl')
    target.dump(1)
    gcs.reset()
    assert target.exists()
    assert not gokart.target.make_target(f'{workspace}/d/y.pkl').exists()
    assert _kinds(gcs.requests(), gcs.bucket)['get_metadata'] >= 2


def test_listing_answers_match_luigi_for_files_and_directories(gcs, workspace):
    client = gcs.client()
    for name in ('d/file.pkl', 'd/tree.pkl/leaf.pkl'):
        gokart.target.make_target(f'{workspace}/{name}').dump(1)
    names = ('file', 'tree', 'absent')
    expected = {name: client.exists(f'{workspace}/d/{name}.pkl') for name in names}
    with build_session():
        found = {name: gokart.target.make_target(f'{workspace}/d/{name}.pkl').exists() for name in names}
    assert found == expected == {'file': True, 'tree': True, 'absent': False}
