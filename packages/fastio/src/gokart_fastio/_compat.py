import os
import sys

# The pure twin is forced by the env var, and is the only choice off CPython.
NO_EXTENSIONS = bool(os.environ.get('GOKART_FASTIO_NO_EXTENSIONS')) or sys.implementation.name != 'cpython'
