"""gokart_fastio: canonical forms, unique ids and fast dump/load for gokart.

Public names only; core (gokart/_codec.py) and the CLI use nothing else. Each name is imported from its
submodule on first read (PEP 562), so that a process pays only for what it uses: a .pkl load imports the
small loader, not xxhash, msgpack, the canonical forms or the pickler (about 8 ms of a fresh process).
"""

from __future__ import annotations

import importlib
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._batch import write_files
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
    from ._codec import dump, dumps
    from ._csv import write_csv
    from ._errors import DumpError, LoadError
    from ._files import dump_file, load_file
    from ._gcpause import gc_paused, heap_frozen
    from ._mpack import msgpack_dumps, msgpack_loads
    from ._unpickle import load, loads

_SUBMODULE = {
    **dict.fromkeys(
        (
            'CANONICAL_VERSION',
            'IMPLEMENTATION',
            'canonical_bytes',
            'legacy_canonical',
            'legacy_id',
            'serialize_json',
            'xxh3_hex',
            'xxh3_id',
        ),
        '_canonical',
    ),
    'dump': '_codec',
    'dumps': '_codec',
    'load': '_unpickle',
    'loads': '_unpickle',
    'write_csv': '_csv',
    'write_files': '_batch',
    'DumpError': '_errors',
    'LoadError': '_errors',
    'dump_file': '_files',
    'load_file': '_files',
    'gc_paused': '_gcpause',
    'heap_frozen': '_gcpause',
    'msgpack_dumps': '_mpack',
    'msgpack_loads': '_mpack',
}


def __getattr__(name: str) -> Any:
    submodule = _SUBMODULE.get(name)
    if submodule is not None:
        value = getattr(importlib.import_module(f'{__name__}.{submodule}'), name)
        globals()[name] = value  # later reads are plain module attributes
        return value
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


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


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
    'gc_paused',
    'heap_frozen',
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
    'write_files',
    'xxh3_hex',
    'xxh3_id',
)


def version_info() -> dict[str, str]:
    """What bug reports need: versions and which twin is running ('cython' or 'python')."""
    import platform

    return {
        'gokart_fastio': __getattr__('__version__'),
        'implementation': __getattr__('IMPLEMENTATION'),
        'python': sys.version.split()[0],
        'platform': platform.platform(),
    }
