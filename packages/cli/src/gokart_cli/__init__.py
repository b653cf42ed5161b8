"""The gokart command."""

from ._commands import main

__all__ = ('main',)
