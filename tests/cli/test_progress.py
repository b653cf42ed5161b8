"""`gokart run` in real processes: the live display on a pseudo-terminal, silence off one, the final summary."""

import os
import pty
import re
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

SCRIPT = Path(sys.executable).with_name('gokart')

STEPS = """
import time

import luigi

import gokart


class Step(gokart.TaskOnKart):
    i: int = luigi.IntParameter()
    seconds: float = luigi.FloatParameter(default=0.0)
    fail_at: int = luigi.IntParameter(default=-1)

    def requires(self):
        return [Step(i=self.i - 1, seconds=self.seconds, fail_at=self.fail_at)] if self.i > 0 else []

    def run(self):
        time.sleep(self.seconds)
        if self.i == self.fail_at:
            raise ValueError(f'step {self.i} broke\\nsecond line of the message')
        self.dump(self.i)


class Fan(gokart.TaskOnKart):
    seconds: float = luigi.FloatParameter(default=0.0)

    def requires(self):
        return [Step(i=0, seconds=self.seconds, fail_at=-1), Leaf(k=1, seconds=self.seconds), Leaf(k=2, seconds=self.seconds)]

    def run(self):
        self.dump(3)


class Leaf(gokart.TaskOnKart):
    k: int = luigi.IntParameter()
    seconds: float = luigi.FloatParameter(default=0.0)

    def run(self):
        time.sleep(self.seconds)
        self.dump(self.k)
"""

ANSI = re.compile(r'\x1b\[[0-9;]*[A-Za-z]')


@pytest.fixture
def steps(tmp_path):
    (tmp_path / 'steps.py').write_text(textwrap.dedent(STEPS))
    return 'steps.py'


def _env(**extra):
    env = {k: v for k, v in os.environ.items() if k not in ('NO_COLOR', 'TERM')}
    return {**env, 'TERM': 'xterm', **extra}


def _in_pty(args, env, timeout=120):
    """Run args with stdin/stdout/stderr on a pseudo-terminal; (exit code, everything written)."""
    pid, fd = pty.fork()
    if pid == 0:  # the child
        try:
            os.execve(args[0], args, env)
        finally:
            os._exit(127)
    out = b''
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        out += chunk
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), out.decode()


def test_live_display_on_a_terminal(steps):
    code, out = _in_pty([str(SCRIPT), 'run', f'{steps}:Step', '--i=3', '--seconds=0.4', '--no-lock'], _env())
    assert code == 0, out
    plain = ANSI.sub('', out)
    assert re.search(r'\d/4 · \d done · 0 failed · 1 running · \d pending', plain), plain
    assert 'running: Step (' in plain
    assert re.search(r'ETA \d', plain)
    assert '\x1b[2F\x1b[J' in out  # redrawn in place
    assert '\x1b[32m' in out  # in colour
    summary = plain.rstrip().splitlines()[-1]
    assert re.fullmatch(
        r'Step\[[0-9a-f]{32}\]\(i=3, seconds=0\.4, fail_at=-1\): succeeded · 4 ran, 0 already done · [\d.]+s',
        summary.strip(),
    )


def test_no_color_keeps_the_display_without_colours(steps):
    code, out = _in_pty([str(SCRIPT), 'run', f'{steps}:Fan', '--seconds=0.3', '--no-lock'], _env(NO_COLOR='1'))
    assert code == 0, out
    assert 'running: ' in out
    assert not re.search(r'\x1b\[[0-9;]*m', out)


def test_failure_summary_on_a_terminal_with_workers(steps):
    args = [str(SCRIPT), 'run', f'{steps}:Step', '--i=3', '--Step-fail-at=1', '--workers', '2', '--no-lock']
    code, out = _in_pty(args, _env())
    assert code == 40, out
    plain = ANSI.sub('', out)
    lines = plain.rstrip().splitlines()
    assert 'failed: exit 40 (a task failed) · 1 ran, 0 already done, 1 failed, 2 not run' in lines[-2]
    assert re.fullmatch(r'\s*✗ Step\[[0-9a-f]{32}\]\(i=1, .*\): ValueError: step 1 broke', lines[-1])


def test_off_a_terminal_only_the_summary(steps, tmp_path):
    args = [str(SCRIPT), 'run', f'{steps}:Fan', '--no-lock']
    done = subprocess.run(args, capture_output=True, text=True, env=_env(), timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout == ''
    assert '\x1b' not in done.stderr
    assert re.search(
        r'^Fan\[[0-9a-f]{32}\]\(seconds=0\.0\): succeeded · 4 ran, 0 already done · [\d.]+s$', done.stderr, re.M
    )
    # the second run finds everything done
    again = subprocess.run(args, capture_output=True, text=True, env=_env(), timeout=120, cwd=tmp_path)
    assert again.returncode == 0
    assert ': succeeded · 0 ran, 1 already done · ' in again.stderr
