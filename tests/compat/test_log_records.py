"""The log records of a build are gokart 1.12.2's: same logger names, levels, messages and order.

compat_logging.main runs six pipelines in one process (a 3-task chain, the same chain again with its root
cached, a chain whose middle task fails, a dynamic dependency, a complete() that raises, a diamond with
workers=2) through `gokart.build(log_level=...)` or
`gokart.run([... '--log-level=...'])`, with no logging set up by the user, with a root logger at DEBUG, or
with a `--logging-conf-file`. Every record a logger hands to its handlers is recorded (logger, level,
message with pids, worker ids and tracebacks normalised, exception type) under both interpreters, and
compared.

Known differences (docs/compat.md, "Output and logging"): 1.12.2's `gokart.file_processor.base` records of
each pickle written are not emitted; with workers=2 the children's records interleave with the parent's
in an order that depends on timing (in both implementations), so only what is deterministic is compared.
"""

from __future__ import annotations

import collections
import json
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from ._upstream import _env
from .compat_logging import SECTIONS, read_records

pytestmark = pytest.mark.upstream

CONFIGS = {
    'build, DEBUG': ('build', 'DEBUG', 'none'),
    'build, INFO': ('build', 'INFO', 'none'),
    'build, DEBUG, root logger at DEBUG': ('build', 'DEBUG', 'root'),
    'build, INFO, root logger at DEBUG': ('build', 'INFO', 'root'),
    'run, --log-level=DEBUG': ('run', 'DEBUG', 'none'),
    'run, --log-level=INFO': ('run', 'INFO', 'none'),
    'run, --logging-conf-file (root at DEBUG)': ('run', 'INFO', 'conf file'),
}
NOT_EMITTED = ('gokart.file_processor',)

Record = tuple[str, str, str, str | None]


def _record(python: str, workdir: Path, config: tuple[str, str, str]) -> tuple[dict[str, list[Record]], dict]:
    workdir.mkdir()
    code = f'import compat_logging; compat_logging.main{config!r}'
    env = {k: v for k, v in _env(None).items() if not k.startswith(('SLACK_', 'LUIGI_'))}
    proc = subprocess.run(
        [python, '-c', code], cwd=workdir, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert proc.returncode == 0, proc.stderr
    outcomes = json.loads(proc.stdout.splitlines()[-1])
    return read_records(str(workdir / 'records.jsonl')), outcomes


@pytest.fixture(scope='module')
def recorded(upstream_python: str, tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp('log_records')
    jobs = {
        (name, side): (python, root / f'{side}-{i}', config)
        for i, (name, config) in enumerate(CONFIGS.items())
        for side, python in (('upstream', upstream_python), ('ours', sys.executable))
    }
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {key: pool.submit(_record, *args) for key, args in jobs.items()}
        return {key: future.result() for key, future in futures.items()}


def _split_at_run(records: list[Record]) -> tuple[list[Record], list[Record]]:
    """(discovery and the worker's first record, the rest)"""
    for i, (_, _, message, _) in enumerate(records):
        if message.startswith('Running Worker with '):
            return records[: i + 1], records[i + 1 :]
    return records, []


def _template(message: str) -> str:
    message = re.sub(r'^\S+ is currently run by worker ', '<task> is currently run by worker ', message)
    return re.sub(r'\d+', 'N', message)


def _assert_run_order(records: list[Record]) -> None:
    """Per task: running before done."""
    position = {message: i for i, (_, _, message, _) in enumerate(records)}
    for message, i in position.items():
        if ' done      ' in message:
            assert position[message.replace(' done      ', ' running   ')] < i, message


@pytest.mark.parametrize('section', SECTIONS)
@pytest.mark.parametrize('config', CONFIGS)
def test_records_are_upstreams(recorded: dict, config: str, section: str) -> None:
    upstream_records, upstream_outcomes = recorded[config, 'upstream']
    ours_records, ours_outcomes = recorded[config, 'ours']
    assert ours_outcomes[section] == upstream_outcomes[section]
    expected = [r for r in upstream_records.get(section, []) if not r[0].startswith(NOT_EMITTED)]
    actual = ours_records.get(section, [])
    if section != 'workers=2':
        assert actual == expected
        return
    # forked children log in their own processes: the parent's and children's records interleave by timing
    expected_head, expected_tail = _split_at_run(expected)
    actual_head, actual_tail = _split_at_run(actual)
    assert actual_head == expected_head
    info = collections.Counter(r for r in actual_tail if r[1] != 'DEBUG')
    assert info == collections.Counter(r for r in expected_tail if r[1] != 'DEBUG')
    debug = {(r[0], _template(r[2])) for r in actual_tail if r[1] == 'DEBUG'}
    assert debug == {(r[0], _template(r[2])) for r in expected_tail if r[1] == 'DEBUG'}
    _assert_run_order(actual)
    _assert_run_order(expected)


def test_the_comparison_sees_the_worker_records(recorded: dict) -> None:
    """The configurations above do show what they are meant to show (so equality is not vacuous)."""
    records, _ = recorded['run, --logging-conf-file (root at DEBUG)', 'ours']
    messages = [(name, level, message) for name, level, message, _ in records['chain']]
    assert (
        'luigi-interface',
        'DEBUG',
        'Checking if lg.C[3d818de32afb93f6e861967fda5935a9](tag=chain, fail=False) is complete',
    ) in messages
    assert ('luigi-interface', 'INFO', 'Done scheduling tasks') in messages
    informed = [
        m for name, _, m in messages if name == 'gokart.worker' and m.startswith('Informed scheduler that task')
    ]
    assert informed[-1].startswith('Informed scheduler that task   lg.C_False_chain_') and informed[-1].endswith('DONE')
    assert ('luigi-interface', 'INFO', 'Worker Worker(<id>) was stopped. Shutting down Keep-Alive thread') in messages
    records, _ = recorded['build, DEBUG', 'ours']
    assert any(message.startswith('\n===== Luigi Execution Summary') for _, _, message, _ in records['chain'])
