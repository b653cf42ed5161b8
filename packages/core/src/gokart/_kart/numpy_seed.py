"""numpy.random seeded at every task start without importing numpy for it.

gokart's default fix_random_seed_methods seed `numpy.random` at each task start, which would import numpy
(about 0.1 s) in a process whose tasks never use it. While numpy is not imported, seeding it is deferred
instead: a finder on sys.meta_path remembers the latest seed and calls `numpy.random.seed(seed)` right
after numpy's own module code has run, before the importer sees the module. Nothing can draw from
numpy.random before numpy exists, and seed() sets the whole generator state, so every draw is the one an
eager seed gives (docs/compat.md, Q33). Once numpy is imported, task starts seed it directly again.
"""

from __future__ import annotations

import importlib.util
import sys
import threading
from typing import Any

__all__ = ['defer']

_NAME = 'numpy'
_lock = threading.Lock()
_findable: bool | None = None  # is numpy installed? Asked once per process.


class _SeedOnImport:
    """A meta-path finder for numpy alone: the spec of the finders after it, with a seeding loader."""

    def __init__(self) -> None:
        self.seed: int | None = None

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        if name != _NAME or self.seed is None:
            return None
        for finder in sys.meta_path:
            find = getattr(finder, 'find_spec', None) if finder is not self else None
            spec = find(name, path, target) if find is not None else None
            if spec is not None:
                if spec.loader is not None and hasattr(spec.loader, 'exec_module'):
                    spec.loader = _SeedingLoader(spec.loader, self)
                return spec
        return None

    def invalidate_caches(self) -> None:
        pass


class _SeedingLoader:
    """numpy's own loader, then the deferred seed; the module keeps numpy's loader."""

    def __init__(self, loader: Any, finder: _SeedOnImport) -> None:
        self._loader = loader
        self._finder = finder

    def create_module(self, spec: Any) -> Any:
        return self._loader.create_module(spec)

    def exec_module(self, module: Any) -> None:
        loader = self._loader
        if getattr(module, '__spec__', None) is not None:
            module.__spec__.loader = loader
        module.__loader__ = loader
        loader.exec_module(module)
        _uninstall(self._finder)
        seed = self._finder.seed
        if seed is not None:
            try:
                module.random.seed(seed)
            except AttributeError:  # a numpy without numpy.random.seed: the eager seed would have skipped it
                pass

    def __getattr__(self, name: str) -> Any:  # get_resource_reader, is_package, ... as numpy's loader
        return getattr(self._loader, name)


_finder = _SeedOnImport()


def _uninstall(finder: _SeedOnImport) -> None:
    with _lock:
        try:
            sys.meta_path.remove(finder)
        except ValueError:
            pass


def defer(seed: int) -> bool:
    """Seed numpy.random with `seed` when numpy gets imported; False when that cannot be deferred (numpy is
    imported or being imported, or is not installed: the caller seeds, or skips, as before)."""
    global _findable
    if _NAME in sys.modules:
        return False
    if _findable is None:
        try:
            _findable = importlib.util.find_spec(_NAME) is not None
        except (ImportError, ValueError):
            _findable = False
    if not _findable:
        return False
    _finder.seed = seed
    with _lock:
        if _finder not in sys.meta_path:
            sys.meta_path.insert(0, _finder)
    return True
