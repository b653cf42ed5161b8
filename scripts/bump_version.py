"""Set one version everywhere: the root and the three package pyprojects, and the exact pins between them.

    python scripts/bump_version.py 1.14.0 [--root DIR]

The members are released in lock-step (gokart pins gokart-fastio==X, gokart-cli pins gokart==X), so a
partial bump would publish packages that cannot be installed together; tests/test_versions.py checks it.
Text is rewritten line by line, so comments and layout survive.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from pathlib import Path

PYPROJECTS = (
    'pyproject.toml',
    'packages/fastio/pyproject.toml',
    'packages/core/pyproject.toml',
    'packages/cli/pyproject.toml',
)
# PEP 440 public versions without epochs or local parts: what we publish.
_VERSION = re.compile(r'^\d+(\.\d+)*((a|b|rc)\d+)?(\.post\d+)?(\.dev\d+)?$')
_PROJECT_VERSION = re.compile(r'^(version\s*=\s*)(["\'])[^"\']*\2', re.MULTILINE)
# An exact pin on a member inside a quoted requirement; the lookbehind keeps 'my-gokart==' out.
_PIN = re.compile(r'(?<=["\'])(gokart(?:-fastio|-cli)?)(\s*==\s*)[^"\'\s;,]+')


def _project_table(text: str) -> tuple[int, int]:
    """Start and end offsets of the [project] table."""
    start = re.search(r'^\[project\]\s*$', text, re.MULTILINE)
    if start is None:
        raise ValueError('no [project] table')
    end = re.compile(r'^\[', re.MULTILINE).search(text, start.end())
    return start.end(), end.start() if end else len(text)


def bump_text(text: str, new: str) -> str:
    begin, end = _project_table(text)
    table, count = _PROJECT_VERSION.subn(lambda m: f'{m[1]}{m[2]}{new}{m[2]}', text[begin:end], count=1)
    if count != 1:
        raise ValueError('no static version in [project]')
    text = text[:begin] + table + text[end:]
    return _PIN.sub(lambda m: f'{m[1]}{m[2]}{new}', text)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('version', help='the new version, e.g. 1.14.0 or 1.14.0rc1')
    parser.add_argument('--root', type=Path, default=Path(__file__).resolve().parent.parent, help='repository root')
    args = parser.parse_args(argv)
    if not _VERSION.match(args.version):
        parser.error(f'{args.version!r} is not a release version (e.g. 1.14.0, 1.14.0rc1)')
    # Compute every file first so that an error leaves the tree untouched.
    updates = {}
    for relative in PYPROJECTS:
        path = args.root / relative
        try:
            updates[path] = bump_text(path.read_text(), args.version)
        except (OSError, ValueError) as e:
            print(f'{relative}: {e}', file=sys.stderr)
            return 1
    for path, text in updates.items():
        path.write_text(text)
        print(f'{path.relative_to(args.root)}: {args.version}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
