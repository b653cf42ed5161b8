"""gc_paused: the collector is off during loads and comes back exactly as it was, whatever happens."""

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
from gokart_fastio._gcpause import gc_paused, pause_depth


@pytest.fixture(autouse=True)
def _collector_restored():
    was = gc.isenabled()
    yield
    assert pause_depth() == 0
    if was:
        gc.enable()
    else:
        gc.disable()


class _Probe:
    """Records, while being unpickled, whether the collector was running."""

    seen: list[bool] = []

    def __reduce__(self):
        return (_probe, ())


def _probe() -> _Probe:
    _Probe.seen.append(gc.isenabled())
    return _Probe()


def test_loads_and_load_run_with_the_collector_off_and_restore_it():
    data = pickle.dumps([_Probe(), {'k': [1, 2]}], 5)
    _Probe.seen = []
    gc.enable()
    assert type(gokart_fastio.loads(data)[0]) is _Probe
    assert type(gokart_fastio.load(io.BytesIO(data))[0]) is _Probe
    assert _Probe.seen == [False, False]
    assert gc.isenabled()


def test_a_disabled_collector_stays_disabled():
    gc.disable()
    gokart_fastio.loads(pickle.dumps({'a': [1]}, 5))
    with gc_paused():
        pass
    assert not gc.isenabled()


def test_failing_loads_restore_the_collector():
    gc.enable()
    for data in (b'', b'\x80\x05garbage', pickle.dumps([1, 2, 3], 5)[:-3]):
        with pytest.raises(LoadError):
            gokart_fastio.loads(data)
        with pytest.raises(LoadError):
            gokart_fastio.load(io.BytesIO(data))
        assert gc.isenabled()
    with pytest.raises(ZeroDivisionError), gc_paused():
        assert not gc.isenabled()
        raise ZeroDivisionError
    assert gc.isenabled()


def test_nested_pauses_restore_only_when_the_outermost_ends():
    gc.enable()
    with gc_paused():
        with gc_paused():
            assert pause_depth() == 2
        assert not gc.isenabled()
        assert pause_depth() == 1
    assert gc.isenabled()


def test_overlapping_pauses_in_threads_end_with_the_last_one():
    gc.enable()
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
            states['after first left'] = gc.isenabled()
        states['after both'] = gc.isenabled()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    second_in.wait(10)
    first_may_leave.set()
    for thread in threads:
        thread.join(10)
    assert states == {'after first left': False, 'after both': True}
    assert gc.isenabled()


def test_many_concurrent_loads_leave_the_collector_on():
    gc.enable()
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
    assert gc.isenabled()


def test_a_child_forked_during_a_pause_gets_the_collector_back():
    code = textwrap.dedent(
        """
        import gc, os
        from gokart_fastio._gcpause import gc_paused, pause_depth
        with gc_paused():
            pid = os.fork()
            if pid == 0:
                os._exit(0 if gc.isenabled() and pause_depth() == 0 else 1)
            _, status = os.waitpid(pid, 0)
        print(os.waitstatus_to_exitcode(status), gc.isenabled())
        """
    )
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ['0', 'True']
