"""The CLI is a shim over public names: it never imports a private module of gokart or gokart_fastio."""

import ast
from pathlib import Path

import gokart_cli

SOURCES = sorted(Path(gokart_cli.__file__).parent.glob('*.py'))


def _imported(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            yield node.module
            yield from (f'{node.module}.{alias.name}' for alias in node.names)


def _private(dotted):
    top, *rest = dotted.split('.')
    return top in ('gokart', 'gokart_fastio') and any(part.startswith('_') for part in rest)


def test_sources_found():
    assert {p.name for p in SOURCES} >= {'__init__.py', '__main__.py', '_commands.py'}


def test_no_private_gokart_imports():
    offending = [
        (path.name, name) for path in SOURCES for name in _imported(ast.parse(path.read_text())) if _private(name)
    ]
    assert offending == []


def test_private_detector_catches_both_forms():
    tree = ast.parse('import gokart._engine\nfrom gokart_fastio import _codec\nfrom gokart import run\n')
    assert [n for n in _imported(tree) if _private(n)] == ['gokart._engine', 'gokart_fastio._codec']
