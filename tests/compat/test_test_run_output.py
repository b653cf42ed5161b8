"""`gokart.run([... '--test-run-pandas'])` prints gokart 1.12.2's report, on the same stream, with its exit code.

The same script runs under both interpreters, each in its own workspace; stdout, stderr (worker ids and pids
normalised) and the exit code must be the same.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from ._upstream import _env
from .compat_logging import normalise

pytestmark = pytest.mark.upstream

SCRIPT = textwrap.dedent(
    """
    import os
    import sys

    import pandas as pd

    import gokart


    class Frame(gokart.TaskOnKart):
        task_namespace = 'tr'

        def run(self):
            self.dump(pd.DataFrame({'a': [1, 2]}))


    class FailsOnSecondRun(gokart.TaskOnKart):
        task_namespace = 'tr'
        complete_check_at_run = False  # else test-run mode skips its run() (docs/compat.md, Q13)

        def requires(self):
            return Frame()

        def run(self):
            if os.path.exists('ran-once'):
                raise ValueError('second run', 3)
            open('ran-once', 'w').close()
            self.dump(self.load())


    class Root(gokart.TaskOnKart):
        complete_check_at_run = False

        def requires(self):
            return {'frame': Frame(), 'second': FailsOnSecondRun()}

        def run(self):
            self.dump(len(self.load('frame')))


    class Fails(gokart.TaskOnKart):
        def run(self):
            raise ValueError('boom')


    if __name__ == '__main__':
        gokart.run(sys.argv[1:])
    """
)

CASES = {
    'ok, at luigi default log level': ['tr.Frame', '--local-scheduler', '--test-run-pandas'],
    'ng': ['Root', '--local-scheduler', '--test-run-pandas', '--log-level=WARNING'],
    'ng, one namespace': [
        'Root',
        '--local-scheduler',
        '--test-run-pandas',
        '--test-run-namespace=tr',
        '--log-level=INFO',
    ],
    'workflow fails': ['Fails', '--local-scheduler', '--test-run-pandas', '--log-level=WARNING'],
}


def _run(python: str, workdir: Path, args: list[str]) -> subprocess.CompletedProcess[str]:
    workdir.mkdir()
    (workdir / 'main.py').write_text(SCRIPT)
    env = {k: v for k, v in _env(None).items() if not k.startswith('SLACK_')}
    # a private pid-lock folder: luigi refuses a command line that is already running from the same folder
    args = [*args, f'--lock-pid-dir={workdir / "pids"}']
    return subprocess.run([python, 'main.py', *args], cwd=workdir, env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize('case', CASES)
def test_test_run_output_is_upstreams(case: str, upstream_python: str, tmp_path: Path) -> None:
    upstream = _run(upstream_python, tmp_path / 'upstream', CASES[case])
    ours = _run(sys.executable, tmp_path / 'ours', CASES[case])
    assert ours.returncode == upstream.returncode, ours.stderr
    assert ours.stdout == upstream.stdout
    if case == 'workflow fails':  # the tracebacks name each implementation's files: compare what the user reads
        assert upstream.returncode == 1
        last_line = 'AssertionError: original workflow does not run properly. It exited with error code 40.'
        assert ours.stderr.splitlines()[-1] == upstream.stderr.splitlines()[-1] == last_line
        return
    assert normalise(ours.stderr) == normalise(upstream.stderr)
    assert 'gokart test results:\n' in ours.stderr
