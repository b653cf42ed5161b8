# cython: language_level=3
"""Compiled twin of _canonical_py."""

from hashlib import md5

__all__ = ('legacy_canonical', 'legacy_id')


def legacy_canonical(list deps) -> str:
    return str(deps)


def legacy_id(list deps) -> str:
    return md5(str(deps).encode('utf-8')).hexdigest()
