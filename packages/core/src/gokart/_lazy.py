"""Third-party modules imported on first use, so that `import gokart` costs little more than `import luigi`.

Two tools, for two kinds of module-level names (docs/ARCHITECTURE.md, "What is imported lazily"):

* `LazyModule`: a stand-in bound to a module-level name that function bodies use (`pd.read_csv(...)`).
  The first attribute read imports the module and rebinds the name to it in the owning module, so from
  then on the name is the module itself.
* `module_getattr`: a module's `__getattr__` and `__dir__` (PEP 562) for names that users read or patch
  from outside (`gokart.conflict_prevention_lock.task_lock.redis.Redis`): the first read imports the real
  object and binds it in the module, where code reading the module's attribute at call time finds it.

Both import nothing until a name is used. Checks for third-party types go through `loaded`, which never
imports: an object cannot be a pandas DataFrame while pandas is not imported.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping, MutableMapping
from types import ModuleType
from typing import Any

__all__ = ['LazyModule', 'loaded', 'module_getattr']


class LazyModule:
    """Stands for the module `name`, bound as `alias` in `namespace`, until an attribute is first read."""

    __slots__ = ('_alias', '_name', '_namespace')

    def __init__(self, name: str, namespace: MutableMapping[str, Any], alias: str) -> None:
        object.__setattr__(self, '_name', name)
        object.__setattr__(self, '_namespace', namespace)
        object.__setattr__(self, '_alias', alias)

    def _load(self) -> ModuleType:
        module = importlib.import_module(self._name)
        if self._namespace.get(self._alias) is self:
            self._namespace[self._alias] = module
        return module

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self._load(), attribute)

    # Writes go to the module, as they did when the name was the module (mock.patch('...pd.read_csv')).
    def __setattr__(self, attribute: str, value: Any) -> None:
        setattr(self._load(), attribute, value)

    def __delattr__(self, attribute: str) -> None:
        delattr(self._load(), attribute)

    def __dir__(self) -> list[str]:
        return dir(self._load())

    def __repr__(self) -> str:
        return f'<lazily imported module {self._name!r}>'


def module_getattr(module_name: str, lazy: Mapping[str, str]) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """`__getattr__` and `__dir__` for the module `module_name`.

    `lazy` maps each attribute to 'module' or 'module:attribute' (what `import x` or `from x import y`
    bound there before).
    """

    def __getattr__(name: str) -> Any:
        try:
            target = lazy[name]
        except KeyError:
            raise AttributeError(f'module {module_name!r} has no attribute {name!r}') from None
        source, _, attribute = target.partition(':')
        value: Any = importlib.import_module(source)
        if attribute:
            value = getattr(value, attribute)
        setattr(sys.modules[module_name], name, value)
        return value

    def __dir__() -> list[str]:
        return sorted(set(vars(sys.modules[module_name])) | set(lazy))

    return __getattr__, __dir__


def loaded(name: str) -> ModuleType | None:
    """The module `name` if something imported it already, else None (never imports)."""
    return sys.modules.get(name)
