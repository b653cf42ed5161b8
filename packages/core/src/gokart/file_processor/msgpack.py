"""The .msgpack format: plain data that loads without running code (gokart 1.12.2 has no such format)."""

from __future__ import annotations

from typing import Any

import luigi.format

from gokart import _codec
from gokart.file_processor.base import FileProcessor, PickleFileProcessor, _ChunkedLargeFileReader

__all__ = ['MsgpackFileProcessor']


class MsgpackFileProcessor(FileProcessor):
    """dict, list, tuple (loaded as a list), str, bytes, int of any size, float, bool, None, naive and aware
    datetime, date, timedelta and Mappings (loaded as dicts), nested freely.

    Dumping anything else raises a TypeError naming the type and where it was found. Loading never executes
    code: a file carrying an extension type other than the ones above (a pickle wrapped in one, say) is
    refused with an error naming the file.
    """

    def format(self) -> Any:
        return luigi.format.Nop

    def load(self, file: Any) -> Any:
        return _codec.msgpack_loads(_ChunkedLargeFileReader(file).read())

    def dump(self, obj: Any, file: Any) -> None:
        PickleFileProcessor._write(_codec.msgpack_dumps(obj), file)  # encoded in full before the first write
