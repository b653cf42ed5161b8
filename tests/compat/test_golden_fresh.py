"""The committed vectors equal what gokart 1.12.2 produces today (catches hand edits and stale files)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from ._upstream import REPO_ROOT

pytestmark = pytest.mark.upstream


def test_committed_vectors_match_a_fresh_upstream_run(upstream_python: str, tmp_path: Path) -> None:
    fresh = tmp_path / 'vectors.json'
    proc = subprocess.run(
        [upstream_python, str(REPO_ROOT / 'scripts' / 'gen_golden.py'), '--output', str(fresh)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    committed_text = (REPO_ROOT / 'tests' / 'golden' / 'vectors.json').read_text(encoding='utf-8')
    fresh_text = fresh.read_text(encoding='utf-8')
    committed, regenerated = json.loads(committed_text)['cases'], json.loads(fresh_text)['cases']
    assert sorted(committed) == sorted(regenerated), 'case set differs: run `make golden`'
    changed = sorted(name for name in committed if committed[name] != regenerated[name])
    assert not changed, f'stale vectors (run `make golden`): {changed}'
    assert committed_text == fresh_text, 'same values but different formatting: run `make golden`'
