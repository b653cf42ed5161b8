"""Builds on an S3 workspace (a counting moto server over HTTP): cold and warm fans, requests per task.

With benchmarks disabled (the default) each runs once on a 10-leaf fan, so the scenario cannot rot;
`python benchmarks/remote/compare_remote.py --sizes 1000,10000` compares with gokart 1.12.2 side by side.
"""

from __future__ import annotations

import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), 'remote'))
import compare_remote  # noqa: E402

SMOKE_SIZE = 10


@pytest.fixture(scope='module')
def moto_server():
    try:
        import moto.server  # noqa: F401
    except ImportError:
        if os.environ.get('CI'):
            pytest.fail('moto[server] is required in CI (make test installs it)')
        pytest.skip('moto[server] is not available')
    server = compare_remote.Server(sys.executable)
    yield server
    server.stop()


@pytest.mark.benchmark(group='remote')
@pytest.mark.parametrize('kind', ['cold', 'warm', 'warm-empty'])
def test_s3_fan(benchmark, request, moto_server, kind, tmp_path):
    """warm: with the read cache of the machine that ran the cold build; warm-empty: with an empty one
    (docs/compat.md Q53). The caches live under tmp_path, never in the user's."""
    enabled = not request.config.getoption('benchmark_disable', True)
    n = 1_000 if enabled else SMOKE_SIZE

    def one_round():
        bucket = moto_server.bucket()
        here = str(tmp_path / f'here-{bucket}')
        cold = compare_remote._build(moto_server, sys.executable, bucket, n, 'cold', 3600, here)
        if kind == 'cold':
            return cold
        cache = here if kind == 'warm' else str(tmp_path / f'empty-{bucket}')
        return compare_remote._build(moto_server, sys.executable, bucket, n, kind, 3600, cache)

    result = benchmark.pedantic(one_round, rounds=1, iterations=1)
    assert 'error' not in result, result
    benchmark.extra_info['requests_per_task'] = round(result['per_task'], 3)
    benchmark.extra_info['existence_requests_per_task'] = round(result['existence_per_task'], 4)
    gets = result['counts'].get('get', 0)
    # the root's reads: none from this machine's cache, one per leaf from an empty one (and build()'s of
    # the root's output, which this build uploaded, from the cache); a cold build reads what it uploaded
    assert gets == (n if kind == 'warm-empty' else 0), result['counts']
