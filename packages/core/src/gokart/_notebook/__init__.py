"""Jupyter support: the live build display and summary, readable build errors, `gokart.visualize()`.

Standard library and luigi only, so `import gokart` stays cheap; IPython is used only inside a kernel,
where it is already imported.
"""

from typing import TYPE_CHECKING

from gokart._lazy import module_getattr as _module_getattr

if TYPE_CHECKING:
    from gokart._notebook._visual import Visualization, visualize

# Every build imports the progress display; the graph drawing only when asked for.
__getattr__, __dir__ = _module_getattr(
    __name__,
    {'Visualization': 'gokart._notebook._visual:Visualization', 'visualize': 'gokart._notebook._visual:visualize'},
)

__all__ = ['Visualization', 'visualize']
