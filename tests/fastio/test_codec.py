"""Pickle dumps/loads: C pickler by default, cloudpickle when needed, readable by pickle and dill."""

from __future__ import annotations

import io
import pickle
import subprocess
import sys
import textwrap
import threading
from collections import OrderedDict

import dill
import pytest

import gokart_fastio
from gokart_fastio import DumpError, LoadError


class Plain:
    def __init__(self, **attrs):
        self.__dict__.update(attrs)

    def __eq__(self, other):
        return type(other) is Plain and other.__dict__ == self.__dict__


def test_plain_data_uses_the_c_pickler_protocol_5():
    value = {'a': [1, 2.5, 'x', None, b'y'], 'p': Plain(n=1), 'o': OrderedDict(k=1)}
    data = gokart_fastio.dumps(value)
    assert data[:2] == b'\x80\x05'
    assert data == pickle.dumps(value, 5)
    assert pickle.loads(data) == value
    assert dill.loads(data) == value
    assert gokart_fastio.loads(data) == value


def test_lambdas_and_local_classes_go_through_cloudpickle():
    class Local:
        factor = 3

    data = gokart_fastio.dumps({'f': lambda x: x * Local.factor, 'cls': Local})
    assert b'cloudpickle' in data
    for loader in (pickle.loads, dill.loads, gokart_fastio.loads):
        loaded = loader(data)
        assert loaded['f'](2) == 6
        assert loaded['cls'].__name__ == 'Local'


def test_by_value_pickler_is_replaceable_and_only_used_when_needed():
    calls = []

    def by_value(obj):
        calls.append(obj)
        return dill.dumps(obj, protocol=5)

    assert pickle.loads(gokart_fastio.dumps([1, 'x'], by_value=by_value)) == [1, 'x']
    assert calls == []
    data = gokart_fastio.dumps({'f': lambda x: x + 1}, by_value=by_value)
    assert len(calls) == 1 and b'cloudpickle' not in data and b'dill' in data
    assert gokart_fastio.loads(data)['f'](1) == 2


def test_main_module_classes_travel_by_value(tmp_path):
    script = textwrap.dedent(
        f"""
        import gokart_fastio
        class Point:
            def __init__(self, x):
                self.x = x
            def norm(self):
                return abs(self.x)
        gokart_fastio.dump_file([Point(-4)], {str(tmp_path / 'p.pkl')!r})
        """
    )
    subprocess.run([sys.executable, '-c', script], check=True)
    # A fresh interpreter that never saw Point: a by-reference pickle would fail here.
    for loader in ('pickle.load(f)', 'dill.load(f)', 'gokart_fastio.load(f)'):
        check = f"import pickle, dill, gokart_fastio\nwith open({str(tmp_path / 'p.pkl')!r}, 'rb') as f:\n    print({loader}[0].norm())"
        out = subprocess.run([sys.executable, '-c', check], check=True, capture_output=True, text=True).stdout
        assert out.strip() == '4'


def test_reads_dill_protocol_4_pickles_with_main_classes(tmp_path):
    script = textwrap.dedent(
        f"""
        import dill
        class Thing:
            def hello(self):
                return 'hi'
        with open({str(tmp_path / 'd.pkl')!r}, 'wb') as f:
            f.write(dill.dumps({{'t': Thing(), 'f': lambda: 5}}, protocol=4))
        """
    )
    subprocess.run([sys.executable, '-c', script], check=True)
    loaded = gokart_fastio.load_file(tmp_path / 'd.pkl')
    assert loaded['t'].hello() == 'hi'
    assert loaded['f']() == 5


def test_unpicklable_object_names_the_attribute_path():
    value = {'a': [1, 2, Plain(ok=1, lock=threading.Lock())]}
    with pytest.raises(DumpError) as info:
        gokart_fastio.dumps(value)
    assert str(info.value) == "obj['a'][2].lock: cannot pickle '_thread.lock' object"
    assert info.value.path == "obj['a'][2].lock"
    assert isinstance(info.value, TypeError) and isinstance(info.value, pickle.PicklingError)
    assert isinstance(info.value.__cause__, TypeError)


def test_a_failing_reduce_is_a_dump_error_too():
    class Refuses:
        def __reduce__(self):
            raise RuntimeError('no way')

    with pytest.raises(DumpError, match=r"^obj\[1\]\['x'\]: no way$"):
        gokart_fastio.dumps([0, {'x': Refuses()}])


def test_a_cycle_does_not_trap_the_path_search():
    node = Plain()
    node.me = node
    node.lock = threading.RLock()
    with pytest.raises(DumpError, match=r'^obj\.lock: cannot pickle'):
        gokart_fastio.dumps(node)


@pytest.mark.parametrize('cut', [1, 2, 10, -1])
def test_truncated_payload_is_a_load_error(cut):
    data = gokart_fastio.dumps({'k': list(range(100)), 's': 'x' * 50})
    with pytest.raises(LoadError, match='cannot load pickle') as info:
        gokart_fastio.loads(data[:cut])
    assert isinstance(info.value, ValueError) and info.value.path is None


def test_garbage_is_a_load_error():
    with pytest.raises(LoadError):
        gokart_fastio.loads(b'\x80\x05\x95garbage')


def test_stream_versions_round_trip_and_leave_the_position_after_the_object():
    buffer = io.BytesIO()
    gokart_fastio.dump({'a': 1}, buffer)
    gokart_fastio.dump(lambda: 2, buffer)
    buffer.seek(0)
    assert gokart_fastio.load(buffer) == {'a': 1}
    assert gokart_fastio.load(buffer)() == 2


def test_stream_load_of_a_non_seekable_stream():
    class Pipe(io.RawIOBase):
        def __init__(self, data):
            self._inner = io.BytesIO(data)

        def readable(self):
            return True

        def seekable(self):
            return False

        def readinto(self, b):
            return self._inner.readinto(b)

    assert gokart_fastio.load(io.BufferedReader(Pipe(gokart_fastio.dumps([1, 2])))) == [1, 2]


def test_a_failed_stream_dump_writes_nothing():
    buffer = io.BytesIO()
    with pytest.raises(DumpError):
        gokart_fastio.dump([threading.Lock()], buffer)
    assert buffer.getvalue() == b''


def _stream_dump(value, **kwargs):
    buffer = io.BytesIO()
    gokart_fastio.dump(value, buffer, **kwargs)
    return buffer.getvalue()


def test_a_stream_dump_writes_the_bytes_of_dumps():
    import numpy as np

    shared = [1, 2]
    values = [
        {'a': [1, 2.5, 'x', None, b'y'], 'p': Plain(n=1), 'o': OrderedDict(k=1)},
        [shared, shared, 'z' * 70_000],  # a shared list: the C pickler; a str above one frame
        {'arr': np.arange(50_000, dtype='int64'), 'f': np.linspace(0, 1, 1000), 'set': {1, 2}},
        lambda: 2,
    ]
    calls = []

    def by_value(obj):
        calls.append(obj)
        return gokart_fastio.dumps(obj)

    for value in values:
        assert _stream_dump(value, by_value=by_value) == gokart_fastio.dumps(value)
    assert len(calls) == 1 and calls[0] is values[-1]  # only the lambda went by value


def test_a_stream_dump_of_large_arrays_writes_their_memory_once():
    import numpy as np

    value = [np.arange(600_000.0).reshape(600, 1000), np.asfortranarray(np.ones((500, 300))), bytearray(200_000)]
    buffer = io.BytesIO()
    gokart_fastio.dump(value, buffer, by_value=pytest.fail)
    assert buffer.getvalue() == pickle.dumps(value, 5)
    loaded = pickle.loads(buffer.getvalue())
    assert np.array_equal(loaded[0], value[0]) and np.array_equal(loaded[1], value[1]) and loaded[2] == value[2]
    assert loaded[1].flags.f_contiguous


def test_a_stream_dump_splits_writes_above_the_chunk_size(monkeypatch):
    from gokart_fastio import _codec

    sizes = []

    class Recorder(io.BytesIO):
        def write(self, data):
            sizes.append(len(data))
            return super().write(data)

    monkeypatch.setattr(_codec, '_CHUNK', 1000)
    import numpy as np

    value = [Plain(payload=b'x' * 250_000), np.arange(100_000)]  # payloads the pickler writes in one call
    buffer = Recorder()
    gokart_fastio.dump(value, buffer, by_value=pytest.fail)
    assert max(sizes) <= 1000
    assert buffer.getvalue() == pickle.dumps(value, 5)


def test_a_failed_stream_dump_leaves_what_was_there_before():
    buffer = io.BytesIO()
    buffer.write(b'prefix')
    with pytest.raises(DumpError, match=r'obj\[1\]\.lock'):
        gokart_fastio.dump([Plain(n='x' * 100_000), Plain(lock=threading.Lock())], buffer)
    assert buffer.getvalue() == b'prefix' and buffer.tell() == 6


def test_a_stream_dump_to_a_non_seekable_file_writes_dumps_in_one_piece():
    class Pipe(io.BytesIO):
        def seekable(self):
            return False

    pipe = Pipe()
    gokart_fastio.dump({'f': lambda: 3, 'p': Plain(n=1)}, pipe)
    assert pickle.loads(pipe.getvalue())['f']() == 3


def test_a_stream_dump_notices_main_module_objects_while_pickling(tmp_path):
    # In a script, each of these refers to __main__: the stream dump must restart by value, exactly as
    # dumps() decides from its byte scan; '__main__' as mere data takes no by-value pass.
    script = textwrap.dedent(
        f"""
        import collections, functools, io, pickle, gokart_fastio
        class Point:
            def __init__(self, x):
                self.x = x
        def double(x):
            return 2 * x
        class Meta(type):
            pass
        class WithMeta(metaclass=Meta):
            pass
        cases = {{
            'instance': [Point(1)],
            'class': {{'cls': Point}},
            'function': (1, double),
            'partial': functools.partial(double, 3),
            'metaclass': WithMeta,
            'nested': [{{'deep': [Point(2)]}}] * 2,
        }}
        for name, value in cases.items():
            buffer = io.BytesIO()
            gokart_fastio.dump(value, buffer)
            assert buffer.getvalue() == gokart_fastio.dumps(value), name
            assert b'cloudpickle' in buffer.getvalue(), name
            with open({str(tmp_path)!r} + '/' + name + '.pkl', 'wb') as f:
                gokart_fastio.dump(value, f)
        data = collections.OrderedDict(module='__main__')  # not plain data: the C pickler
        buffer = io.BytesIO()
        gokart_fastio.dump(data, buffer)
        assert buffer.getvalue() == pickle.dumps(data, 5)
        """
    )
    subprocess.run([sys.executable, '-c', script], check=True)
    check = textwrap.dedent(
        f"""
        import pickle
        load = lambda name: pickle.load(open({str(tmp_path)!r} + '/' + name + '.pkl', 'rb'))
        print(load('instance')[0].x, load('class')['cls'].__name__, load('function')[1](2), load('partial')(),
              type(load('metaclass')).__name__, load('nested')[1]['deep'][0].x)
        """
    )
    out = subprocess.run([sys.executable, '-c', check], check=True, capture_output=True, text=True).stdout
    assert out.split() == ['1', 'Point', '4', '6', 'Meta', '2']
