"""A pipeline cached by one implementation is reused, not rerun, by the other.

compat_pipeline is built fresh by gokart 1.12.2 in one workspace and by ours in another (both in
subprocesses, cwd = workspace). Then each implementation builds the same tasks in the *other* workspace:
nothing may run (runs.log, file mtimes) and the result must equal the fresh one.
"""

from __future__ import annotations

import os
import pickle
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from ._upstream import COMPAT_DIR, run_python

pytestmark = pytest.mark.upstream

sys.path.insert(0, str(COMPAT_DIR))
import compat_pipeline  # noqa: E402

LOG_KINDS = ('module_versions', 'processing_time', 'random_seed', 'task_log', 'task_params')
BUILD = """
import pickle, gokart, compat_pipeline
result = gokart.build(compat_pipeline.final_task())
with open('result.pkl', 'wb') as f:
    pickle.dump(result, f, protocol=4)
"""


@dataclass
class Build:
    workspace: Path
    runs: list[str]
    files: dict[str, tuple[int, int]]  # path under resources/ -> (mtime_ns, size)
    logs: dict[str, object]  # loaded log/{task_params,random_seed,task_log}/*.pkl
    result: dict


def _files(workspace: Path) -> dict[str, tuple[int, int]]:
    out = {}
    for root, _, names in os.walk(workspace / 'resources'):
        for name in names:
            path = Path(root, name)
            stat = path.stat()
            out[path.relative_to(workspace).as_posix()] = (stat.st_mtime_ns, stat.st_size)
    return out


def _runs(workspace: Path) -> list[str]:
    log = workspace / compat_pipeline.RUNS_LOG
    return log.read_text(encoding='utf-8').splitlines() if log.exists() else []


def _build(python: str, workspace: Path) -> Build:
    run_python(python, BUILD, cwd=workspace)
    logs = {}
    for kind in ('task_params', 'random_seed', 'task_log'):
        for path in sorted((workspace / 'resources' / 'log' / kind).glob('*.pkl')):
            with open(path, 'rb') as f:
                logs[f'{kind}/{path.name}'] = pickle.load(f)
    with open(workspace / 'result.pkl', 'rb') as f:
        result = pickle.load(f)
    return Build(workspace, _runs(workspace), _files(workspace), logs, result)


@pytest.fixture(scope='module')
def fresh(upstream_python: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Build]:
    return {
        'upstream': _build(upstream_python, tmp_path_factory.mktemp('upstream_ws')),
        'ours': _build(sys.executable, tmp_path_factory.mktemp('ours_ws')),
    }


def _assert_same_result(actual: dict, expected: dict) -> None:
    assert sorted(actual) == sorted(expected) == ['table', 'total']
    pd.testing.assert_frame_equal(actual['table'], expected['table'], check_exact=True)
    assert actual['total'] == expected['total']


def test_fresh_builds_run_every_task_once(fresh: dict[str, Build]) -> None:
    for side, build in fresh.items():
        assert len(build.runs) == compat_pipeline.TASK_COUNT, (side, build.runs)
    assert sorted(fresh['ours'].runs) == sorted(fresh['upstream'].runs)
    _assert_same_result(fresh['ours'].result, fresh['upstream'].result)


def test_fresh_builds_write_the_same_files(fresh: dict[str, Build]) -> None:
    ours, upstream = sorted(fresh['ours'].files), sorted(fresh['upstream'].files)
    assert ours == upstream, {
        'only ours': sorted(set(ours) - set(upstream)),
        'only upstream': sorted(set(upstream) - set(ours)),
    }
    # every task leaves the five supplementary logs
    for kind in LOG_KINDS:
        assert sum(f'/log/{kind}/' in path for path in upstream) == compat_pipeline.TASK_COUNT, kind


@pytest.mark.parametrize('kind', ['task_params', 'random_seed', 'task_log'])
def test_log_pickles_are_equal(fresh: dict[str, Build], kind: str) -> None:
    ours = {k: v for k, v in fresh['ours'].logs.items() if k.startswith(kind)}
    upstream = {k: v for k, v in fresh['upstream'].logs.items() if k.startswith(kind)}
    assert len(upstream) == compat_pipeline.TASK_COUNT
    assert ours == upstream


@pytest.mark.parametrize(('builder', 'cache_owner'), [('ours', 'upstream'), ('upstream', 'ours')])
def test_cache_is_reused_without_rerunning(
    fresh: dict[str, Build], upstream_python: str, builder: str, cache_owner: str
) -> None:
    owner = fresh[cache_owner]
    python = sys.executable if builder == 'ours' else upstream_python
    again = _build(python, owner.workspace)
    assert again.runs == owner.runs, f'{builder} reran tasks cached by {cache_owner}'
    assert again.files == owner.files, f'{builder} rewrote files cached by {cache_owner}'
    _assert_same_result(again.result, owner.result)
