"""`python -m gokart_cli` is the `gokart` command."""

import sys

from . import main

sys.exit(main())
