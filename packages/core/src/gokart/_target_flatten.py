"""Structure-preserving map over nested dict/list/tuple values (private: gokart.utils may not exist yet)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def map_nested(func: Callable[[Any], Any], items: Any) -> Any:
    if isinstance(items, dict):
        return {key: map_nested(func, value) for key, value in items.items()}
    if isinstance(items, (list, tuple)):
        return [map_nested(func, value) for value in items]
    return func(items)
