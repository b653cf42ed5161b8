"""Jupyter support: the live build display and summary, readable build errors, `gokart.visualize()`.

Standard library and luigi only, so `import gokart` stays cheap; IPython is used only inside a kernel,
where it is already imported.
"""

from gokart._notebook._visual import Visualization, visualize

__all__ = ['Visualization', 'visualize']
