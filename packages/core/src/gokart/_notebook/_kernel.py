"""Is this process a Jupyter kernel? Asked without importing IPython: a kernel has imported it already."""

from __future__ import annotations

import sys
from typing import Any

__all__ = ['display_handle', 'in_kernel']


def _kernel_shell() -> Any | None:
    ipython = sys.modules.get('IPython')
    get_ipython = getattr(ipython, 'get_ipython', None)
    if get_ipython is None:
        return None
    shell = get_ipython()
    return shell if getattr(shell, 'kernel', None) is not None else None  # a terminal IPython has no kernel


def in_kernel() -> bool:
    return _kernel_shell() is not None


def display_handle(obj: Any) -> Any | None:
    """Show `obj` in the running cell and return its handle (`.update(obj)`), or None outside a kernel."""
    if _kernel_shell() is None:
        return None
    from IPython.display import display

    return display(obj, display_id=True)
