"""Pure-Python twin of the canonicalization kernel. Same names, signatures and bytes as _canonical_c."""

from hashlib import md5

__all__ = ('legacy_canonical', 'legacy_id')


def legacy_canonical(deps: list) -> str:
    """The exact text gokart 1.12.2 hashes: Python's repr of the list of dependency ids and param dicts."""
    return str(deps)


def legacy_id(deps: list) -> str:
    """md5 hex of legacy_canonical(deps): the unique id that names gokart's cache files."""
    return md5(str(deps).encode('utf-8')).hexdigest()
