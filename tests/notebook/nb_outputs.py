"""Reading what executed notebook cells showed."""

from __future__ import annotations

import re

_ANSI = re.compile(r'\x1b\[[0-9;]*m')


def plain(text: str) -> str:
    return _ANSI.sub('', text)


def outputs(cell) -> list[dict]:
    return list(cell.get('outputs', []))


def texts(cell) -> str:
    """Everything a cell showed as text: streams, text/plain of results and displays, error tracebacks."""
    parts = []
    for out in outputs(cell):
        if out['output_type'] == 'stream':
            parts.append(out['text'])
        elif out['output_type'] in ('execute_result', 'display_data'):
            parts.append(out['data'].get('text/plain', ''))
        elif out['output_type'] == 'error':
            parts.append(plain('\n'.join(out['traceback'])))
    return '\n'.join(parts)
