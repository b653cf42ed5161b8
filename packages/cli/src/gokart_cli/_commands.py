"""argparse front end over gokart's public API."""

from __future__ import annotations

import argparse
from collections.abc import Sequence


def _version_text() -> str:
    from importlib.metadata import version

    import gokart_fastio

    return f'gokart {version("gokart")} (gokart-cli {version("gokart-cli")}, gokart-fastio {gokart_fastio.__version__}, {gokart_fastio.IMPLEMENTATION})'


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog='gokart', description='Run and inspect gokart pipelines.')
    parser.add_argument('--version', action='version', version=_version_text())
    parser.parse_args(argv)
    parser.print_help()
    return 0
