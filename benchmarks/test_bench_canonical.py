"""Unique ids and parameter serialization, compiled twin against pure twin (and the baselines)."""

from __future__ import annotations

import hashlib
import json

import pytest
from _data import blob, dict_param, list_param, task_deps


@pytest.mark.benchmark(group='legacy_id: 20-param task')
def test_legacy_id(benchmark, fastio_impl):
    deps = task_deps()
    assert benchmark(fastio_impl.legacy_id, deps) == hashlib.md5(str(deps).encode()).hexdigest()


@pytest.mark.benchmark(group='legacy_id: 20-param task')
def test_legacy_id_baseline_md5_of_str(benchmark):
    deps = task_deps()
    benchmark(lambda: hashlib.md5(str(deps).encode('utf-8')).hexdigest())


@pytest.mark.parametrize('make', [list_param, dict_param], ids=['list', 'dict'])
@pytest.mark.benchmark(group='serialize_json')
def test_serialize_json(benchmark, fastio_impl, make):
    value = make()
    assert benchmark(fastio_impl.serialize_json, value) == json.dumps(value)


@pytest.mark.parametrize('make', [list_param, dict_param], ids=['list', 'dict'])
@pytest.mark.benchmark(group='serialize_json')
def test_serialize_json_baseline_json_dumps(benchmark, make):
    value = make()
    benchmark(json.dumps, value)


@pytest.mark.benchmark(group='canonical_bytes+xxh3_id: dict param')
def test_xxh3_id(benchmark, fastio_impl):
    benchmark(fastio_impl.xxh3_id, dict_param())


SIZES = [64, 1024, 64 * 1024]


@pytest.mark.parametrize('size', SIZES)
@pytest.mark.benchmark(group='hash the same bytes: xxh3-128 vs md5')
def test_hash_xxh3(benchmark, fastio_impl, size):
    data = blob(size)
    benchmark(fastio_impl.xxh3_hex, data)


@pytest.mark.parametrize('size', SIZES)
@pytest.mark.benchmark(group='hash the same bytes: xxh3-128 vs md5')
def test_hash_md5(benchmark, size):
    data = blob(size)
    benchmark(lambda: hashlib.md5(data).hexdigest())
