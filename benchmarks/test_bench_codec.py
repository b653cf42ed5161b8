"""dump/load of large plain data: gokart_fastio against bare pickle, dill (gokart 1.12.2) and msgpack."""

from __future__ import annotations

import pickle

import dill
import msgpack
import pytest

import gokart_fastio


def _once(benchmark, func, *args, rounds=3):
    # Large inputs: a few timed rounds are enough and keep the file under 30 s.
    return benchmark.pedantic(func, args=args, rounds=rounds, iterations=1, warmup_rounds=0)


@pytest.mark.benchmark(group='.pkl dump: 1M-entry dict')
def test_pkl_dumps_fastio(benchmark, big_plain_dict):
    data = _once(benchmark, gokart_fastio.dumps, big_plain_dict)
    assert pickle.loads(data) == big_plain_dict


@pytest.mark.benchmark(group='.pkl dump: 1M-entry dict')
def test_pkl_dumps_bare_pickle(benchmark, big_plain_dict):
    _once(benchmark, pickle.dumps, big_plain_dict, 5)


@pytest.mark.benchmark(group='.pkl dump: 1M-entry dict')
def test_pkl_dumps_dill_gokart_1_12_2(benchmark, big_plain_dict):
    _once(benchmark, lambda obj: dill.dumps(obj, protocol=4), big_plain_dict, rounds=1)


@pytest.mark.benchmark(group='.pkl load: 1M-entry dict')
def test_pkl_loads_fastio(benchmark, big_plain_dict):
    data = gokart_fastio.dumps(big_plain_dict)
    assert _once(benchmark, gokart_fastio.loads, data) == big_plain_dict


@pytest.mark.benchmark(group='.pkl load: 1M-entry dict')
def test_pkl_loads_bare_pickle(benchmark, big_plain_dict):
    _once(benchmark, pickle.loads, pickle.dumps(big_plain_dict, 5))


@pytest.mark.benchmark(group='.msgpack dump: 200k-entry dict')
def test_msgpack_dumps_fastio(benchmark, medium_plain_dict):
    _once(benchmark, gokart_fastio.msgpack_dumps, medium_plain_dict, rounds=5)


@pytest.mark.benchmark(group='.msgpack dump: 200k-entry dict')
def test_msgpack_dumps_bare(benchmark, medium_plain_dict):
    _once(benchmark, msgpack.packb, medium_plain_dict, rounds=5)


@pytest.mark.benchmark(group='.msgpack load: 200k-entry dict')
def test_msgpack_loads_fastio(benchmark, medium_plain_dict):
    data = gokart_fastio.msgpack_dumps(medium_plain_dict)
    assert _once(benchmark, gokart_fastio.msgpack_loads, data, rounds=5) == medium_plain_dict


@pytest.mark.benchmark(group='.msgpack load: 200k-entry dict')
def test_msgpack_loads_bare(benchmark, medium_plain_dict):
    _once(benchmark, msgpack.unpackb, msgpack.packb(medium_plain_dict), rounds=5)
