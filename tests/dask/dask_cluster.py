"""A Dask LocalCluster of worker processes on loopback, started and stopped by the tests."""

from __future__ import annotations

import contextlib
import os
import time

import pytest


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with contextlib.suppress(OSError), open(f'/proc/{pid}/stat') as stat:
        return stat.read().split(')')[-1].split()[0] != 'Z'  # a zombie is gone for our purpose
    return True


@contextlib.contextmanager
def local_cluster(n_workers: int = 2):
    """A LocalCluster and its Client; afterwards no worker process is left (checked by pid)."""
    if os.environ.get('CI'):  # make test installs it: missing is a failure there (tests/conftest.py `_missing`)
        import distributed
    else:
        distributed = pytest.importorskip('distributed', reason='pip install gokart[dask]')
    cluster = distributed.LocalCluster(
        n_workers=n_workers, processes=True, threads_per_worker=1, host='127.0.0.1', dashboard_address=':0'
    )
    client = distributed.Client(cluster)
    pids: set[int] = set()
    try:
        client.wait_for_workers(n_workers, timeout=60)
        yield client, pids
    finally:
        pids.update(client.run(os.getpid).values())
        client.close()
        cluster.close()
        deadline = time.monotonic() + 30
        while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [pid for pid in pids if _alive(pid)], 'Dask worker processes were left running'
