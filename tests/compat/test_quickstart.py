"""examples/quickstart.py, run as a script with our interpreter, leaves gokart 1.12.2's workspace (E1)."""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path

import dill

from ._upstream import REPO_ROOT

UID = '8441c59b5ce0113396d53509f19371fb'
EXPECTED_FILES = {
    f'resources/__main__/Example_{UID}.pkl',
    *(
        f'resources/log/{kind}/Example_{UID}.{ext}'
        for kind, ext in [
            ('module_versions', 'txt'),
            ('processing_time', 'pkl'),
            ('random_seed', 'pkl'),
            ('task_log', 'pkl'),
            ('task_params', 'pkl'),
        ]
    ),
}


def test_quickstart_writes_the_e1_workspace(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, str(REPO_ROOT / 'examples' / 'quickstart.py')],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    written = {p.relative_to(tmp_path).as_posix() for p in (tmp_path / 'resources').rglob('*') if p.is_file()}
    assert EXPECTED_FILES <= written, sorted(written)
    # only optional task_info dumps may come on top
    assert all(path in EXPECTED_FILES or '/log/task_info/' in path for path in written), sorted(written)

    output = tmp_path / f'resources/__main__/Example_{UID}.pkl'
    with open(output, 'rb') as f:
        assert pickle.load(f) == 'Hello, world!'
    with open(output, 'rb') as f:
        assert dill.load(f) == 'Hello, world!'
    with open(tmp_path / f'resources/log/task_params/Example_{UID}.pkl', 'rb') as f:
        assert pickle.load(f) == {}
