"""`gokart --version`: everything a bug report needs, including which fastio twin is running."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

__all__ = ['version_text']


def _dist_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return 'not installed'


def version_text() -> str:
    # Versions from metadata: importing gokart (or luigi) would cost more than everything else here.
    import gokart_fastio

    info = gokart_fastio.version_info()
    lines = {
        'gokart': _dist_version('gokart'),
        'gokart-cli': _dist_version('gokart-cli'),
        'gokart-fastio': info['gokart_fastio'],
        'implementation': info['implementation'],
        'luigi': _dist_version('luigi'),
        'python': info['python'],
        'platform': info['platform'],
    }
    return '\n'.join(f'{key}: {value}' for key, value in lines.items())
