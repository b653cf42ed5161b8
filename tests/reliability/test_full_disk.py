"""A full disk: a build on a small tmpfs that fills mid-build fails naming the file, and loses nothing.

The workspace is a real tmpfs (mounted in user and mount namespaces of its own, tests/reliability/_support.py
SmallDisk), so the writes fail with the kernel's ENOSPC, in the dump of an output or of a log file,
wherever the disk happens to fill. Before the atomic task commit (gokart/_kart/commit.py) such a build
could return with outputs whose log files were never written, and the next build, which looks only at
outputs, never wrote them: TaskOnKart.restore(uid) raised FileNotFoundError.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from tests.reliability._support import LOG_KINDS, PIPELINE, runs

pytestmark = pytest.mark.reliability

SIZE = 256 * 1024  # bytes per Big output: random, so a pickle of them takes as much room


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob('*') if p.is_file()}


def _temporaries(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob('*-luigi-tmp-*'))


def _outputs_without_logs(workspace: Path) -> list[str]:
    bad = []
    for output in (workspace / 'resources' / '__main__').glob('*.pkl'):
        family_uid = output.name[: -len('.pkl')]
        logs = [workspace / 'resources' / 'log' / kind / f'{family_uid}.{ext}' for kind, ext in LOG_KINDS.items()]
        missing = [str(log.relative_to(workspace)) for log in logs if not log.exists()]
        if missing:
            bad.append(f'{output.name}: {missing}')
    return bad


@pytest.mark.parametrize('workers', [1, 2])
def test_a_disk_full_mid_build_fails_naming_the_file_and_a_rebuild_with_room_completes(
    procs, small_disk, tmp_path, workers
):
    disk = small_disk('3m')
    workspace = disk.path

    def build(n: int, name: str):
        argv = disk.argv(sys.executable, str(PIPELINE), 'big', str(n), str(workers), str(SIZE))
        return procs.start(argv, cwd=tmp_path, env={'RELIABILITY_RUNS': str(tmp_path / f'{name}.runs')}, name=name)

    first = build(3, 'first')
    assert first.wait() == 0, first.stderr()[-3000:]
    before = _files(workspace)

    full = build(24, 'full')  # 24 x 256 KiB do not fit in 3 MiB
    assert full.wait() == 1, full.stderr()[-3000:]
    report = full.json()
    assert report['error'] == 'GokartBuildError'
    no_space = re.compile(r"No space left on device: '[^']*resources/[^']+'")
    assert no_space.search(full.stderr()), full.stderr()[-3000:]
    if workers == 1:  # with several workers the exceptions stay in the children (docs/compat.md, Q7)
        assert report['raised'] and all(no_space.search(message) for message in report['raised']), report
    assert _outputs_without_logs(workspace) == []
    after = _files(workspace)
    assert {name: after.get(name) for name in before} == before  # nothing cached before was changed
    written = [name for name in after if name.startswith('resources/__main__/Big_') and name not in before]
    assert 0 < len(written) < 24 - 3  # it filled mid-build: some new outputs made it, not all
    procs.assert_nothing_left()

    disk.resize('32m')
    again = build(24, 'again')
    assert again.wait() == 0, again.stderr()[-3000:]
    assert again.json() == {'result': 24 * SIZE}
    assert _temporaries(workspace) == []
    assert _outputs_without_logs(workspace) == []
    final = _files(workspace)
    assert {name: final[name] for name in after if name.startswith('resources/__main__/')} == {
        name: data for name, data in after.items() if name.startswith('resources/__main__/')
    }  # the outputs of the failed build were reused as they were

    restore = procs.start(disk.argv(sys.executable, str(PIPELINE), 'restore'), cwd=tmp_path, name='restore')
    assert restore.wait() == 0, restore.stderr()[-3000:]
    report = restore.json()
    assert report['problems'] == []
    assert len(report['restored']) == 24 + 1 + 1  # every Big, BigRoot(n=3) and BigRoot(n=24)
    # the rebuild ran each missing task once, and nothing that the failed build had finished
    ran_again = [Path(output).name for _, _, output in runs(tmp_path / 'again.runs')]
    outputs = {Path(name).name for name in final if name.startswith('resources/__main__/')}
    kept = {Path(name).name for name in after if name.startswith('resources/__main__/')}
    assert sorted(ran_again) == sorted(outputs - kept)
    procs.assert_nothing_left()
