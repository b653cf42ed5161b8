"""What a fresh clone must hold: paths every platform can check out, docs that exist, no outside citations."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
# Reserved device names on Windows, with or without an extension (aux.py, con, ...).
_RESERVED = re.compile(r'(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?', re.IGNORECASE)


def _tracked() -> list[str]:
    try:
        out = subprocess.run(['git', 'ls-files'], cwd=REPO_ROOT, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip('not a git checkout')  # e.g. an sdist; CI always runs in a clone
    return out.splitlines()


def test_no_tracked_path_has_a_windows_reserved_name():
    bad = [path for path in _tracked() if any(_RESERVED.fullmatch(part) for part in path.split('/'))]
    assert bad == []


def test_no_source_cites_the_outside_spec():
    # The behaviour contract is not in the repository: differences are recorded in docs/compat.md.
    cited = []
    for path in _tracked():
        if not path.endswith(('.py', '.pyx', '.md', '.toml', '.cfg', '.yml')):
            continue
        for number, line in enumerate((REPO_ROOT / path).read_text(encoding='utf-8').splitlines(), 1):
            if re.search(r'\bSPEC\b(?!_)', line):
                cited.append(f'{path}:{number}: {line.strip()}')
    assert cited == []


@pytest.mark.parametrize('name', ['ARCHITECTURE.md', 'cli.md', 'compat.md', 'reliability.md'])
def test_the_docs_exist_and_are_linked_from_the_readme(name):
    assert (REPO_ROOT / 'docs' / name).read_text(encoding='utf-8').strip()
    assert f'docs/{name}' in (REPO_ROOT / 'README.md').read_text(encoding='utf-8')


def test_quirk_labels_in_comments_are_defined_in_compat_md():
    defined = set(re.findall(r'^\| (Q\d+) \|', (REPO_ROOT / 'docs' / 'compat.md').read_text(), re.MULTILINE))
    used = set()
    for path in _tracked():
        if path.endswith('.py'):
            used.update(re.findall(r'compat\.md,? (Q\d+)', (REPO_ROOT / path).read_text(encoding='utf-8')))
    assert used and used <= defined, sorted(used - defined)
