"""Pure-Python twin of the plain-tree writer: same names, signatures and bytes as _plain_c.

plain_dumps(obj) writes a protocol-5 pickle of a tree of builtin plain data without pickle's memo (an
identity table of every str, bytes and container, most of the C pickler's time on large data):

- only exact dict/list/tuple/str/bytes/int/float/bool/None are accepted, nothing deeper than MAX_DEPTH;
- a container (other than the empty tuple) reached twice is refused: it must stay one object on load;
- a str or bytes object reached more than once is written once, memoized, and fetched from the memo
  afterwards (a string table), so it is one object on load again and repeated keys cost 2-5 bytes each;
  every other object is written inline and never memoized.

Loaded with pickle (or dill) the result is the graph a memo pickle gives: equal values, same types, the
same sharing. Opcodes, batching, encodings and frames are those of the C pickler (pickle.dumps), so without repeated
strings the bytes are exactly what a memo-free C pickler writes. The pure twin is the reference the
compiled one is tested against; dumps() uses it only through the compiled twin (see _plain).
"""

from __future__ import annotations

import struct
from typing import Any

__all__ = ('FRAME_TARGET', 'MAX_DEPTH', 'plain_dumps')

MAX_DEPTH = 100  # deeper trees take the ordinary (memo) pickling path
FRAME_TARGET = 1 << 16  # pickle's own frame size target
_BATCH = 1000  # items per APPENDS / SETITEMS, as pickle writes them

_ATOMS = frozenset({int, float, bool, type(None)})  # never memoized by pickle
_SHAREABLE = frozenset({str, bytes})  # memoized by pickle: a repeat must stay one object
_CONTAINERS = frozenset({dict, list, tuple})

_PROTO = b'\x80\x05'
_FRAME = b'\x95'
_STOP = b'.'
_MARK = b'('
_MEMOIZE = b'\x94'


class _NotPlain(Exception):
    pass


def _count(obj: object) -> dict[int, int]:
    """Occurrences of each str/bytes object by id; raises _NotPlain for what the writer must refuse."""
    counts: dict[int, int] = {}
    seen: set[int] = set()
    stack: list[tuple[Any, int]] = [(obj, 0)]
    while stack:
        item, depth = stack.pop()
        kind = type(item)
        if kind in _ATOMS:
            continue
        if kind in _SHAREABLE:
            counts[id(item)] = counts.get(id(item), 0) + 1
            continue
        if kind not in _CONTAINERS:
            raise _NotPlain
        if kind is tuple and not item:  # the empty tuple is a singleton pickle never memoizes
            continue
        if depth >= MAX_DEPTH or id(item) in seen:
            raise _NotPlain
        seen.add(id(item))
        if kind is dict:
            for key, value in item.items():
                stack.append((key, depth + 1))
                stack.append((value, depth + 1))
        else:
            stack.extend((child, depth + 1) for child in item)
    return counts


def encode_long(value: int) -> bytes:
    """pickle's LONG1/LONG4 payload: little-endian two's complement, as short as the sign allows."""
    size = (value.bit_length() >> 3) + 1
    data = value.to_bytes(size, 'little', signed=True)
    if value < 0 and size > 1 and data[-1] == 0xFF and data[-2] & 0x80:
        data = data[:-1]
    return data


def _header(short: bytes, long: bytes, huge: bytes, n: int) -> bytes:
    if n < 256:
        return short + bytes((n,))
    if n <= 0xFFFFFFFF:
        return long + struct.pack('<I', n)
    return huge + struct.pack('<Q', n)


class _Writer:
    """The output with its open frame: 9 bytes reserved at frame_start for the FRAME header."""

    def __init__(self, counts: dict[int, int]) -> None:
        self.repeated = {key for key, n in counts.items() if n > 1}
        self.memo: dict[int, int] = {}
        self.out = bytearray(_PROTO)
        self.frame_start = 0
        self.open_frame()

    def open_frame(self) -> None:
        self.frame_start = len(self.out)
        self.out += bytes(9)

    def commit_frame(self) -> None:
        length = len(self.out) - self.frame_start - 9
        if length >= 4:
            self.out[self.frame_start : self.frame_start + 9] = _FRAME + struct.pack('<Q', length)
        else:  # pickle writes tiny frames without a header
            del self.out[self.frame_start : self.frame_start + 9]

    def payload(self, header: bytes, data: bytes) -> None:
        if len(data) < FRAME_TARGET:
            self.out += header + data
            return
        self.commit_frame()  # large payloads go between frames, as pickle writes them
        self.out += header + data
        self.open_frame()

    def text(self, item: str | bytes) -> None:
        key = id(item)
        index = self.memo.get(key)
        if index is not None:
            self.out += b'h' + bytes((index,)) if index < 256 else b'j' + struct.pack('<I', index)
            return
        if isinstance(item, str):  # exact str or bytes only reach here
            data = item.encode('utf-8', 'surrogatepass')
            self.payload(_header(b'\x8c', b'X', b'\x8d', len(data)), data)
        else:
            self.payload(_header(b'C', b'B', b'\x8e', len(item)), item)
        if key in self.repeated:
            self.memo[key] = len(self.memo)
            self.out += _MEMOIZE

    def save(self, item: Any) -> None:
        if len(self.out) - self.frame_start - 9 >= FRAME_TARGET:
            self.commit_frame()
            self.open_frame()
        kind = type(item)
        if item is None:
            self.out += b'N'
        elif kind is bool:
            self.out += b'\x88' if item else b'\x89'
        elif kind is int:
            self.integer(item)
        elif kind is float:
            self.out += b'G' + struct.pack('>d', item)
        elif kind is str or kind is bytes:
            self.text(item)
        elif kind is dict:
            self.out += b'}'
            self.batches(list(item.items()), pairs=True)
        elif kind is list:
            self.out += b']'
            self.batches(item, pairs=False)
        else:  # tuple, the one container left (_count refused everything else)
            self.tuple(item)

    def integer(self, item: int) -> None:
        if 0 <= item < 0x100:
            self.out += b'K' + bytes((item,))
        elif 0 <= item < 0x10000:
            self.out += b'M' + struct.pack('<H', item)
        elif -0x80000000 <= item < 0x80000000:
            self.out += b'J' + struct.pack('<i', item)
        else:
            data = encode_long(item)
            self.out += b'\x8a' + bytes((len(data),)) if len(data) < 256 else b'\x8b' + struct.pack('<i', len(data))
            self.out += data

    def tuple(self, item: tuple[Any, ...]) -> None:
        n = len(item)
        if n == 0:
            self.out += b')'
            return
        if n > 3:
            self.out += _MARK
        for child in item:
            self.save(child)
        self.out += (b'\x85', b'\x86', b'\x87')[n - 1] if n <= 3 else b't'

    def batches(self, items: Any, *, pairs: bool) -> None:
        # The C pickler's batching: one item alone is APPEND / SETITEM; otherwise MARK ... APPENDS /
        # SETITEMS per 1000 items, and a dict whose size is a multiple of 1000 ends with an empty batch.
        n = len(items)
        if n == 0:
            return
        if n == 1:
            self.item(items[0], pairs=pairs)
            self.out += b's' if pairs else b'a'
            return
        start = 0
        while True:
            batch = items[start : start + _BATCH]
            self.out += _MARK
            for child in batch:
                self.item(child, pairs=pairs)
            self.out += b'u' if pairs else b'e'
            start += _BATCH
            if len(batch) < _BATCH or (not pairs and start >= n):
                return

    def item(self, child: Any, *, pairs: bool) -> None:
        if pairs:
            self.save(child[0])
            self.save(child[1])
        else:
            self.save(child)


def plain_dumps(obj: object) -> bytes | None:
    """Protocol-5 pickle of obj with a string table instead of pickle's memo (module docstring), or None
    when obj is not a plain tree and must take the ordinary pickler."""
    try:
        counts = _count(obj)
    except _NotPlain:
        return None
    writer = _Writer(counts)
    writer.save(obj)
    writer.out += _STOP
    writer.commit_frame()
    return bytes(writer.out)
