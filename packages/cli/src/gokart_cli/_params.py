"""Parameter values as `to_str_params` gives them, made readable: task parameters decoded."""

from __future__ import annotations

import bz2
import json
from typing import Any

__all__ = ['decode_task', 'display_value', 'value_text']


def decode_task(value: str) -> tuple[str, dict[str, Any]] | None:
    """A TaskInstanceParameter's serialized value (JSON, its params bz2-compressed hex), as (family, params)."""
    if not value.startswith('{"type": '):  # json.dumps of {'type': ..., 'params': ...}
        return None
    try:
        data = json.loads(value)
        if not (isinstance(data, dict) and set(data) == {'type', 'params'}):
            return None
        params = data['params']
        if isinstance(params, str):
            params = json.loads(bz2.decompress(bytes.fromhex(params)).decode())
        if isinstance(params, dict):
            return str(data['type']), params
    except Exception:
        return None
    return None


def value_text(value: Any) -> str:
    """repr() of the value, a task parameter shown as Family(param=value, ...)."""
    if isinstance(value, str):
        decoded = decode_task(value)
        if decoded is not None:
            family, params = decoded
            return f'{family}({", ".join(f"{k}={value_text(v)}" for k, v in params.items())})'
    return repr(value)


def display_value(value: str) -> str:
    """The value as given on a command line, a task parameter decoded."""
    return value_text(value) if decode_task(value) is not None else value
