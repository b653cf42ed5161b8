"""gokart_fastio: canonical forms, unique ids and fast dump/load for gokart."""

from importlib.metadata import PackageNotFoundError, version

from ._canonical import IMPLEMENTATION, legacy_canonical, legacy_id

try:
    __version__ = version('gokart-fastio')
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = '0+unknown'

__all__ = ('IMPLEMENTATION', '__version__', 'legacy_canonical', 'legacy_id')
