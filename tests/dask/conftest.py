"""The module's Dask LocalCluster: two worker processes on loopback, stopped (and checked by pid) afterwards."""

from __future__ import annotations

import pytest
from dask_cluster import local_cluster


@pytest.fixture(scope='module')
def dask_client():
    with local_cluster() as (client, _):
        yield client
