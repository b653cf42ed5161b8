"""Chooses the compiled plain-tree writer when it is built and allowed, else the pure twin.

MEMO_FREE_DUMPS says whether dumps() should use the writer: the compiled one is several times faster than
the C pickler with its memo, the pure one slower, so the pure twin keeps ordinary pickling and serves as
the reference the compiled writer is tested against (same bytes).
"""

from typing import TYPE_CHECKING

from ._compat import NO_EXTENSIONS

if TYPE_CHECKING or NO_EXTENSIONS:
    from ._plain_py import *  # noqa: F403
    from ._plain_py import __all__  # noqa: F401 - re-exported

    MEMO_FREE_DUMPS = False
else:
    try:
        from ._plain_c import *  # noqa: F403
        from ._plain_c import __all__  # noqa: F401 - re-exported

        MEMO_FREE_DUMPS = True
    except ImportError:
        from ._plain_py import *  # noqa: F403

        MEMO_FREE_DUMPS = False
