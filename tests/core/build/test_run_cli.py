"""gokart.run(): luigi's command line, retcodes and the modes that exit before running.

Retcodes are checked on a real `python main.py Task ...` process; when gokart 1.12.2 is available the same
script is also run with it and the codes must agree.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

SCRIPT = textwrap.dedent(
    """
    import logging
    import os

    import luigi
    import gokart

    logging.basicConfig(level=logging.INFO, format='%(name)s|%(levelname)s|%(message)s')


    class Source(gokart.TaskOnKart):
        def run(self):
            self.dump(1)


    class Double(gokart.TaskOnKart):
        src = gokart.TaskInstanceParameter(default=Source())

        def run(self):
            self.dump(self.load('src') * 2)


    class Fails(gokart.TaskOnKart):
        def run(self):
            raise ValueError('boom')


    class Missing(luigi.ExternalTask):
        def output(self):
            return luigi.LocalTarget('does-not-exist.txt')


    class NeedsMissing(gokart.TaskOnKart):
        def requires(self):
            return Missing()

        def run(self):
            self.dump(1)


    class WithFlag(gokart.TaskOnKart):
        flag = gokart.ExplicitBoolParameter(default=False)

        def run(self):
            self.dump(self.flag)


    class FailsOnSecondRun(gokart.TaskOnKart):
        task_namespace = 'ns'

        def complete(self):
            return False

        def run(self):
            if os.path.exists('ran-once'):
                raise ValueError('second', 2)
            open('ran-once', 'w').close()
            self.dump(1)


    if __name__ == '__main__':
        gokart.run()
    """
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


@pytest.fixture
def script(tmp_path: Path) -> Path:
    path = tmp_path / 'main.py'
    path.write_text(SCRIPT)
    # One quick attempt at the (absent) central scheduler instead of luigi's 3 x 30 s.
    (tmp_path / 'luigi.cfg').write_text('[core]\nrpc-retry-attempts=1\nrpc-retry-wait=0\n')
    return path


def _run(python: str, script: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(('LUIGI_', 'SLACK_'))}
    env['LUIGI_CONFIG_PATH'] = str(script.parent / 'luigi.cfg')
    return subprocess.run(
        [python, str(script), *args], cwd=script.parent, env=env, capture_output=True, text=True, timeout=300
    )


CASES = {
    'success': (['Double', '--local-scheduler'], 0),
    'task failed': (['Fails', '--local-scheduler'], 40),
    'missing external input': (['NeedsMissing', '--local-scheduler'], 20),
    'explicit bool with value': (['WithFlag', '--local-scheduler', '--flag', 'true'], 0),
    'bare explicit bool flag': (['WithFlag', '--local-scheduler', '--flag'], 2),
    'unknown task (raised while parsing)': (['NoSuchTask', '--local-scheduler'], 1),
}


@pytest.mark.parametrize('case', CASES)
def test_retcodes(script, case):
    args, expected = CASES[case]
    assert _run(sys.executable, script, *args).returncode == expected


def test_unreachable_central_scheduler_is_an_unhandled_exception(script):
    result = _run(sys.executable, script, 'Double', '--scheduler-port', str(_free_port()))
    assert result.returncode == 4
    assert 'Uncaught exception in luigi' in result.stderr


@pytest.mark.upstream
@pytest.mark.parametrize('case', CASES)
def test_retcodes_match_upstream(script, case, upstream_python, tmp_path):
    args, _ = CASES[case]
    ours = _run(sys.executable, script, *args).returncode
    for leftover in ('resources', 'ran-once'):
        subprocess.run(['rm', '-rf', str(tmp_path / leftover)], check=True)
    assert _run(upstream_python, script, *args).returncode == ours


def test_success_runs_the_workflow_and_logs_no_slack(script, tmp_path):
    result = _run(sys.executable, script, 'Double', '--local-scheduler')
    assert 'gokart.run|INFO|Slack notification is not activated.' in result.stderr
    assert len(list((tmp_path / 'resources' / '__main__').glob('Double_*.pkl'))) == 1


def test_test_run_mode_reports_ok_tasks(script, tmp_path):
    result = _run(sys.executable, script, 'Double', '--local-scheduler', '--test-run-pandas')
    assert result.returncode == 0, result.stderr
    [report] = [line for line in result.stderr.split('|INFO|') if line.startswith('gokart test results:')]
    lines = report.splitlines()
    assert lines[0] == 'gokart test results:'
    assert lines[1].startswith('status=OK; namespace=__not_user_specified; name=Double; id=')
    assert lines[2].startswith('status=OK; namespace=__not_user_specified; name=Source; id=')


def test_test_run_mode_reports_ng_tasks_and_exits_1(script):
    result = _run(sys.executable, script, 'ns.FailsOnSecondRun', '--local-scheduler', '--test-run-pandas')
    assert result.returncode == 1
    assert 'name=FailsOnSecondRun; id=' in result.stderr
    assert "; message=<class 'ValueError'>: second, 2" in result.stderr
    assert 'status=NG; namespace=ns;' in result.stderr


def test_test_run_mode_filters_by_namespace(script):
    result = _run(sys.executable, script, 'Double', '--local-scheduler', '--test-run-pandas', '--test-run-namespace=ns')
    assert result.returncode == 0
    assert 'gokart test results:' in result.stderr and 'status=' not in result.stderr


def test_test_run_mode_fails_when_the_workflow_fails(script):
    result = _run(sys.executable, script, 'Fails', '--local-scheduler', '--test-run-pandas')
    assert result.returncode == 1
    assert 'AssertionError: original workflow does not run properly. It exited with error code 40.' in result.stderr


def test_tree_info_mode_writes_the_tree_and_exits_without_running(script, tmp_path):
    result = _run(
        sys.executable,
        script,
        'Double',
        '--local-scheduler',
        '--tree-info-mode=simple',
        '--tree-info-output-path=t.txt',
    )
    assert result.returncode == 0, result.stderr
    assert 'gokart.run|INFO|output tree info: ./resources/t.txt' in result.stderr
    tree = (tmp_path / 'resources' / 't.txt').read_text()
    assert tree.startswith('\n└─-(PENDING) Double[') and '\n   └─-(PENDING) Source[' in tree
    assert not list((tmp_path / 'resources' / '__main__').glob('Double_*.pkl'))


def test_tree_info_mode_rejects_unknown_modes(script):
    result = _run(sys.executable, script, 'Double', '--local-scheduler', '--tree-info-mode=bad')
    assert result.returncode == 1
    assert 'ValueError: --tree-info-mode must be "simple" or "all", but "bad" is passed.' in result.stderr


def test_delete_mode_exits_without_running(script, tmp_path):
    stale = tmp_path / 'resources' / '__main__' / 'Stale_0123.pkl'
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b'')
    result = _run(sys.executable, script, 'Double', '--local-scheduler', '--delete-unnecessary-output-files')
    assert result.returncode == 0, result.stderr
    assert not stale.exists()
    assert not list((tmp_path / 'resources' / '__main__').glob('Double_*.pkl'))
