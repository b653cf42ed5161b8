"""gokart_fastio: canonical forms, unique ids and fast dump/load for gokart.

Public names only; core (gokart/_codec.py) and the CLI use nothing else.
"""

from __future__ import annotations

import sys
from typing import Any

from ._canonical import (
    CANONICAL_VERSION,
    IMPLEMENTATION,
    canonical_bytes,
    legacy_canonical,
    legacy_id,
    serialize_json,
    xxh3_hex,
    xxh3_id,
)
from ._codec import dump, dumps, load, loads
from ._csv import write_csv
from ._errors import DumpError, LoadError
from ._files import dump_file, load_file
from ._mpack import msgpack_dumps, msgpack_loads


def __getattr__(name: str) -> Any:
    # __version__ on first read: importlib.metadata costs about half of importing this package, which a
    # first unique id or load pays
    if name != '__version__':
        raise AttributeError(f'module {__name__!r} has no attribute {name!r}')
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version('gokart-fastio')
    except PackageNotFoundError:  # running from a source tree that was never installed
        found = '0+unknown'
    globals()['__version__'] = found
    return found


__all__ = (
    'CANONICAL_VERSION',
    'IMPLEMENTATION',
    'DumpError',
    'LoadError',
    '__version__',
    'canonical_bytes',
    'dump',
    'dump_file',
    'dumps',
    'legacy_canonical',
    'legacy_id',
    'load',
    'load_file',
    'loads',
    'msgpack_dumps',
    'msgpack_loads',
    'serialize_json',
    'version_info',
    'write_csv',
    'xxh3_hex',
    'xxh3_id',
)


def version_info() -> dict[str, str]:
    """What bug reports need: versions and which twin is running ('cython' or 'python')."""
    import platform

    return {
        'gokart_fastio': __getattr__('__version__'),
        'implementation': IMPLEMENTATION,
        'python': sys.version.split()[0],
        'platform': platform.platform(),
    }
