"""The one exception type the commands raise for user mistakes."""

from __future__ import annotations

__all__ = ['USAGE_ERROR', 'CliError']

# argparse's code for a bad command line; luigi's argparse uses it too.
USAGE_ERROR = 2


class CliError(Exception):
    """A mistake on the command line (module, task, parameter): one line on stderr, exit 2, no traceback."""
