"""A task class defined again in `__main__` (a notebook cell run again) replaces the old one in luigi's registry.

luigi keeps every class ever defined: two `__main__.Task` classes make the family ambiguous, so lookups by
name (`TaskInstanceParameter` values, `gokart.run(['Task'])`, dynamic dependencies of forked workers) fail
with `TaskClassAmbigiousException`. Only `__main__` is concerned: there a class of the same qualified name
is by construction a redefinition (docs/compat.md, Q40).
"""

from __future__ import annotations

from typing import Any

import luigi.task_register

__all__ = ['forget_redefined']

_NOTEBOOK_MODULE = '__main__'


def forget_redefined(cls: Any) -> None:
    """Drop earlier `__main__` classes of `cls`'s qualified name from luigi's registry (not bases of `cls`)."""
    if cls.__module__ != _NOTEBOOK_MODULE:
        return
    register = luigi.task_register.Register
    qualname = cls.__qualname__
    stale = [
        old
        for old in register._reg
        if old is not cls
        and old.__module__ == _NOTEBOOK_MODULE
        and old.__qualname__ == qualname
        and not issubclass(cls, old)
    ]
    if stale:
        register._reg = [old for old in register._reg if not any(old is s for s in stale)]
