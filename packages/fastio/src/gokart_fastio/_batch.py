"""Chooses the compiled batch writer (one GIL release for all the files of a task run) when it is built
and allowed, else the pure twin."""

from typing import TYPE_CHECKING

from ._compat import NO_EXTENSIONS

if TYPE_CHECKING or NO_EXTENSIONS:
    from ._batch_py import *  # noqa: F403
    from ._batch_py import __all__  # noqa: F401 - re-exported
else:
    try:
        from ._batch_c import *  # noqa: F403
        from ._batch_c import __all__  # noqa: F401 - re-exported
    except ImportError:
        from ._batch_py import *  # noqa: F403
