"""Chooses the compiled kernel when it is built and allowed, else the pure twin."""

from typing import TYPE_CHECKING

from ._compat import NO_EXTENSIONS

if TYPE_CHECKING or NO_EXTENSIONS:
    from ._canonical_py import *  # noqa: F403
    from ._canonical_py import __all__  # noqa: F401 - re-exported

    IMPLEMENTATION = 'python'
else:
    try:
        from ._canonical_c import *  # noqa: F403
        from ._canonical_c import __all__  # noqa: F401 - re-exported

        IMPLEMENTATION = 'cython'
    except ImportError:
        from ._canonical_py import *  # noqa: F403

        IMPLEMENTATION = 'python'
