"""gc_paused: full collections are held off during loads and the thresholds come back exactly as they
were, whatever happens; the collector's on/off switch is left alone."""

from __future__ import annotations

import gc
import io
import pickle
import subprocess
import sys
import textwrap
import threading

import pytest

import gokart_fastio
from gokart_fastio import LoadError
from gokart_fastio._gcpause import NO_FULL_COLLECTIONS, gc_paused, pause_depth

CUSTOM = (500, 7, 3)


@pytest.fixture(autouse=True)
def _custom_thresholds():
    was_enabled, was = gc.isenabled(), gc.get_threshold()
    gc.set_threshold(*CUSTOM)
    yield
    assert pause_depth() == 0
    assert gc.get_threshold() == CUSTOM
    gc.set_threshold(*was)
    if was_enabled:
        gc.enable()


def _paused() -> bool:
    return gc.get_threshold() == (CUSTOM[0], CUSTOM[1], NO_FULL_COLLECTIONS)


class _Probe:
    """Records, while being unpickled, whether full collections were held off."""

    seen: list[bool] = []

    def __reduce__(self):
        return (_probe, ())


def _probe() -> _Probe:
    _Probe.seen.append(_paused())
    return _Probe()


def test_loads_and_load_hold_full_collections_off_and_restore_the_thresholds():
    data = pickle.dumps([_Probe(), {'k': [1, 2]}], 5)
    _Probe.seen = []
    assert type(gokart_fastio.loads(data)[0]) is _Probe
    assert type(gokart_fastio.load(io.BytesIO(data))[0]) is _Probe
    assert _Probe.seen == [True, True]
    assert gc.get_threshold() == CUSTOM


def test_the_on_off_switch_is_left_alone():
    for switch in (gc.disable, gc.enable):
        switch()
        state = gc.isenabled()
        with gc_paused():
            assert gc.isenabled() is state
        gokart_fastio.loads(pickle.dumps({'a': [1]}, 5))
        assert gc.isenabled() is state


def test_failing_loads_restore_the_thresholds():
    for data in (b'', b'\x80\x05garbage', pickle.dumps([1, 2, 3], 5)[:-3]):
        with pytest.raises(LoadError):
            gokart_fastio.loads(data)
        with pytest.raises(LoadError):
            gokart_fastio.load(io.BytesIO(data))
        assert gc.get_threshold() == CUSTOM
    with pytest.raises(ZeroDivisionError), gc_paused():
        assert _paused()
        raise ZeroDivisionError
    assert gc.get_threshold() == CUSTOM


def test_nested_pauses_restore_only_when_the_outermost_ends():
    with gc_paused():
        with gc_paused():
            assert pause_depth() == 2
        assert _paused()
        assert pause_depth() == 1
    assert gc.get_threshold() == CUSTOM


def test_overlapping_pauses_in_threads_end_with_the_last_one():
    first_in, second_in, first_may_leave, first_left = (threading.Event() for _ in range(4))
    states: dict[str, bool] = {}

    def first():
        with gc_paused():
            first_in.set()
            first_may_leave.wait(10)
        first_left.set()

    def second():
        first_in.wait(10)
        with gc_paused():
            second_in.set()
            first_left.wait(10)
            states['paused after first left'] = _paused()
        states['restored after both'] = gc.get_threshold() == CUSTOM

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    second_in.wait(10)
    first_may_leave.set()
    for thread in threads:
        thread.join(10)
    assert states == {'paused after first left': True, 'restored after both': True}


def test_many_concurrent_loads_restore_the_thresholds():
    data = pickle.dumps([{'k': list(range(50))} for _ in range(2000)], 5)
    errors: list[BaseException] = []

    def load_many():
        try:
            for _ in range(20):
                assert len(gokart_fastio.loads(data)) == 2000
        except BaseException as exc:  # reported to the main thread
            errors.append(exc)

    threads = [threading.Thread(target=load_many) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []


def test_a_child_forked_during_a_pause_gets_the_thresholds_back():
    code = textwrap.dedent(
        """
        import gc, os
        from gokart_fastio._gcpause import gc_paused, pause_depth
        gc.set_threshold(600, 9, 8)
        with gc_paused():
            pid = os.fork()
            if pid == 0:
                os._exit(0 if gc.get_threshold() == (600, 9, 8) and pause_depth() == 0 else 1)
            _, status = os.waitpid(pid, 0)
            paused = gc.get_threshold()[2]
        print(os.waitstatus_to_exitcode(status), paused > 8, gc.get_threshold())
        """
    )
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ['0', 'True', '(600,', '9,', '8)']


def test_a_load_runs_no_full_collection_where_pickle_runs_several():
    # What makes loads faster, counted rather than timed: full collections (generation 2) during a load.
    data = pickle.dumps([{'id': i, 'name': f'u{i}', 'tags': ['a', 'b']} for i in range(100_000)], 5)
    full = []

    def count(phase: str, info: dict) -> None:
        if phase == 'start' and info['generation'] == 2:
            full.append(1)

    # CPython runs a full collection only once the objects waiting for one reach a quarter of those already
    # in the oldest generation: freeze what the test session holds, so that its size does not decide
    gc.freeze()
    gc.collect()
    gc.set_threshold(700, 10, 10)
    gc.callbacks.append(count)
    try:
        pickle.loads(data)
        by_pickle = len(full)
        gc.collect()  # the same start for the second load
        del full[:]
        gokart_fastio.loads(data)
        by_fastio = len(full)
    finally:
        gc.callbacks.remove(count)
        gc.set_threshold(*CUSTOM)
        gc.unfreeze()
    assert by_pickle >= 1 and by_fastio == 0, (by_pickle, by_fastio)
