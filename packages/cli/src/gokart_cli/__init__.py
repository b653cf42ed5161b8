"""The `gokart` command: run and inspect gokart pipelines (a thin layer over gokart's public API)."""

from ._commands import main

__all__ = ('__version__', 'main')


def __getattr__(name: str) -> str:
    # Lazy: a metadata lookup scans site-packages, and `gokart run` does not need it.
    if name == '__version__':
        from importlib.metadata import version

        return version('gokart-cli')
    raise AttributeError(f'module {__name__!r} has no attribute {name!r}')
