"""A build over a read-only workspace fails naming the file it could not write, and changes nothing."""

from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path

import pytest

from tests.reliability._support import PIPELINE, read_only_runner

pytestmark = pytest.mark.reliability


def _snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    return {str(p.relative_to(root)): (p.read_bytes(), p.stat().st_mtime_ns) for p in root.rglob('*') if p.is_file()}


@pytest.mark.parametrize('workers', [1, 2])
def test_read_only_workspace_fails_naming_the_file_and_keeps_the_cache(procs, tmp_path, workers):
    workspace = tmp_path / 'ws'
    workspace.mkdir()
    first = procs.start_pipeline('build', '3', str(workers), '0', cwd=workspace)
    assert first.wait() == 0 and first.json() == {'result': 3}, first.stderr()[-3000:]
    before = _snapshot(workspace)
    assert any(name.startswith('resources/__main__/Leaf_') for name in before)

    # Root(n=5) reuses the three cached leaves and must write two more, and itself
    build = f'{shlex.quote(sys.executable)} {shlex.quote(str(PIPELINE))} build 5 {workers} 0'
    ws = shlex.quote(str(workspace))
    # a read-only bind mount of the workspace over itself, seen only by this process tree (the build
    # runs as root, which ignores file modes: chmod would prove nothing)
    script = f'mount --bind {ws} {ws} && mount -o remount,bind,ro {ws} && cd {ws} && exec {build}'
    run = procs.start([*read_only_runner(), script], cwd=tmp_path)
    assert run.wait(timeout=120) == 1, run.stderr()[-3000:]

    report = run.json()
    assert report['error'] == 'GokartBuildError'
    # the error names the output it could not create (its temporary file beside it)
    unwritable = re.compile(
        r"Read-only file system: '[^']*resources/__main__/Leaf_[0-9a-f]{32}\.pkl-luigi-tmp-[0-9a-z-]+'"
    )
    assert unwritable.search(run.stderr()), run.stderr()[-3000:]
    if workers == 1:  # with several workers the exceptions stay in the children (docs/compat.md, Q7)
        assert report['raised'] and all(unwritable.search(message) for message in report['raised'])
    assert _snapshot(workspace) == before  # nothing cached changed, nothing was added
    procs.assert_nothing_left()
