"""gokart's typed API under mypy, differentially: each sample in samples/ is checked by mypy (with the gokart
plugin) once under ours and once under gokart 1.12.2 (the black box in .venv-upstream, same mypy version).

A sample states what mypy must report on each line, in a trailing comment:

    self.dump('x')  # E: call-overload               an error with this code (several: `E: misc, call-arg`)
    reveal_type(self.load(task))  # R: int           the revealed type
    self.load_data_frame()  # upstream E: attr-defined  only under 1.12.2 (`ours E:`/`ours R:` likewise)

Lines without a comment must get no error and no revealed type. Both reports must match the comments, and
where a line carries no side-specific comment, ours must report the same error messages as 1.12.2. Every
difference a sample declares is explained in docs/compat.md, section Typing.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

pytestmark = [pytest.mark.upstream, pytest.mark.slow]

HERE = Path(__file__).resolve().parent
SAMPLES = sorted((HERE / 'samples').glob('*.py'))
COMPAT_MD = HERE.parent.parent / 'docs' / 'compat.md'
SIDES = ('ours', 'upstream')

_COMMENT = re.compile(r'#\s*((?:(?:ours|upstream) )?[ER]: .*)$')
_SPEC = re.compile(r'^(?:(?P<side>ours|upstream) )?(?P<kind>[ER]): (?P<value>.+)$')
_LINE = re.compile(
    r'^(?P<path>.+?\.py):(?P<line>\d+): (?P<severity>error|note): (?P<message>.*?)(?:  \[(?P<code>[a-z-]+)\])?$'
)
_REVEALED = re.compile(r'^Revealed type is "(?P<type>.*)"$')


@dataclass
class LineReport:
    errors: list[tuple[str, str]] = field(default_factory=list)  # (code, message)
    revealed: list[str] = field(default_factory=list)

    def summary(self) -> tuple[list[str], list[str]]:
        return sorted(code for code, _ in self.errors), self.revealed


def _stated(sample: Path) -> dict[int, list[tuple[str | None, str, str]]]:
    """Per line: the (side or None, kind, value) statements; a comment alone on its line states the next line."""
    stated: dict[int, list[tuple[str | None, str, str]]] = {}
    pending: list[tuple[str | None, str, str]] = []
    for number, text in enumerate(sample.read_text().splitlines(), 1):
        found = _COMMENT.search(text)
        specs = []
        for spec in found.group(1).split(';') if found else []:
            parsed = _SPEC.match(spec.strip())
            assert parsed, f'{sample.name}:{number}: cannot read the expectation {spec!r}'
            specs.append((parsed['side'], parsed['kind'], parsed['value'].strip()))
        if text.lstrip().startswith('#'):
            pending += specs
            continue
        if specs or pending:
            stated[number] = pending + specs
        pending = []
    assert not pending, f'{sample.name}: an expectation at the end states no line'
    return stated


def expectations(sample: Path) -> dict[str, dict[int, tuple[list[str], list[str]]]]:
    """Per side, per line: the expected (error codes, revealed types) the sample states."""
    expected: dict[str, dict[int, tuple[list[str], list[str]]]] = {side: {} for side in SIDES}
    for number, specs in _stated(sample).items():
        for side in SIDES:
            merged = {kind: value for who, kind, value in specs if who is None}
            merged.update({kind: value for who, kind, value in specs if who == side})
            codes = sorted(c.strip() for c in merged['E'].split(',')) if 'E' in merged else []
            revealed = [merged['R']] if 'R' in merged else []
            if codes or revealed:
                expected[side][number] = (codes, revealed)
    return expected


def declared_differences(sample: Path) -> set[int]:
    """Lines on which the sample states something for one side only."""
    return {number for number, specs in _stated(sample).items() if any(who for who, _, _ in specs)}


def start_mypy(python: str, workdir: Path) -> subprocess.Popen[str]:
    """mypy with the gokart plugin over all samples, under `python` (its gokart), in the background."""
    workdir.mkdir(parents=True, exist_ok=True)
    config = workdir / 'pyproject.toml'
    config.write_text('[tool.mypy]\nplugins = ["gokart.mypy"]\n')
    env = {k: v for k, v in os.environ.items() if k not in ('PYTHONPATH', 'PYTHONHOME', 'MYPYPATH')}
    options = ['--show-error-codes', '--hide-error-context', '--no-error-summary', '--no-pretty', '--no-color-output']
    return subprocess.Popen(
        [python, '-m', 'mypy', '--config-file', str(config), '--cache-dir', str(workdir / 'cache'), *options]
        + ['--show-absolute-path', *map(str, SAMPLES)],
        cwd=workdir,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def mypy_report(proc: subprocess.Popen[str]) -> dict[str, dict[int, LineReport]]:
    """What mypy reported: per sample file name, per line."""
    stdout, stderr = proc.communicate(timeout=600)
    assert proc.returncode in (0, 1) and not stderr.strip(), f'{proc.args[0]} -m mypy failed:\n{stderr}'
    names = {str(sample): sample.name for sample in SAMPLES}
    reports: dict[str, dict[int, LineReport]] = {sample.name: {} for sample in SAMPLES}
    for text in stdout.splitlines():
        parsed = _LINE.match(text)
        assert parsed, f'unexpected mypy output under {proc.args[0]}: {text!r}\n{stdout}'
        name = names.get(parsed['path'])
        assert name is not None, f'mypy reported on a module outside the samples under {proc.args[0]}:\n{text}'
        line = reports[name].setdefault(int(parsed['line']), LineReport())
        if parsed['severity'] == 'error':
            line.errors.append((parsed['code'] or '', parsed['message']))
        elif revealed := _REVEALED.match(parsed['message']):
            line.revealed.append(revealed['type'])
    return reports


@pytest.fixture(scope='module')
def reports(upstream_mypy_python: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    """Both reports; the two (cold-cache) mypy runs overlap."""
    started = {
        'ours': start_mypy(sys.executable, tmp_path_factory.mktemp('mypy_ours')),
        'upstream': start_mypy(upstream_mypy_python, tmp_path_factory.mktemp('mypy_upstream')),
    }
    try:
        return {side: mypy_report(proc) for side, proc in started.items()}
    finally:
        for proc in started.values():
            if proc.poll() is None:
                proc.kill()
                proc.wait()


def test_there_are_samples_of_each_kind():
    names = {sample.stem for sample in SAMPLES}
    assert {'correct', 'dump_types', 'load_types', 'load_generator_types', 'target_types'} <= names
    assert {'task_parameter_types', 'serializable_types', 'build_types', 'additions'} <= names
    assert expectations(HERE / 'samples' / 'correct.py') == {'ours': {}, 'upstream': {}}


@pytest.mark.parametrize('side', SIDES)
@pytest.mark.parametrize('sample', SAMPLES, ids=lambda p: p.stem)
def test_mypy_reports_what_the_sample_states(reports, side, sample):
    got = {number: line.summary() for number, line in reports[side][sample.name].items()}
    assert got == expectations(sample)[side]


@pytest.mark.parametrize('sample', SAMPLES, ids=lambda p: p.stem)
def test_ours_reports_the_error_messages_of_upstream(reports, sample):
    ours, upstream = reports['ours'][sample.name], reports['upstream'][sample.name]
    different = declared_differences(sample)
    for number in sorted((set(ours) | set(upstream)) - different):
        mine, theirs = ours.get(number, LineReport()), upstream.get(number, LineReport())
        assert sorted(mine.errors) == sorted(theirs.errors), f'{sample.name}:{number}'
        assert mine.revealed == theirs.revealed, f'{sample.name}:{number}'


def test_each_declared_difference_is_explained_in_compat_md():
    typing_section = COMPAT_MD.read_text().split('\n## Typing\n', 1)[1].split('\n## ', 1)[0]
    declaring = [sample.name for sample in SAMPLES if declared_differences(sample)]
    assert declaring
    for name in declaring:
        assert f'tests/typing/samples/{name}' in typing_section, name
