import logging
import os

import luigi
import pytest

import gokart
from gokart.workspace_management import delete_local_unnecessary_outputs


class Leaf(gokart.TaskOnKart):
    x = luigi.IntParameter(default=1)

    def run(self):
        self.dump(self.x)


class Root(gokart.TaskOnKart):
    def requires(self):
        return Leaf(workspace_directory=self.workspace_directory)

    def run(self):
        self.dump(2)


def _files(workspace):
    return sorted(os.path.relpath(os.path.join(d, f), workspace) for d, _, fs in os.walk(workspace) for f in fs)


@pytest.mark.parametrize('workspace', ['./resources/', 'resources/', 'ABSOLUTE'])
def test_keeps_needed_outputs_and_logs(caplog, tmp_path, workspace):
    if workspace == 'ABSOLUTE':
        workspace = str(tmp_path / 'ws')
    gokart.build(Root(workspace_directory=workspace), reset_register=False)
    gokart.build(Leaf(x=5, workspace_directory=workspace), reset_register=False)
    os.makedirs(os.path.join(workspace, 'other'))
    for name in ('stale.bin', 'noext'):
        open(os.path.join(workspace, 'other', name), 'w').close()
    before = _files(workspace)
    stale_leaf = Leaf(x=5, workspace_directory=workspace).output().path()

    with caplog.at_level(logging.INFO, logger='gokart.workspace_management'):
        delete_local_unnecessary_outputs(Root(workspace_directory=workspace))

    removed = sorted([os.path.normpath(stale_leaf), os.path.normpath(os.path.join(workspace, 'other', 'stale.bin'))])
    assert caplog.messages == ['remove following files: \n ' + '\n'.join(removed)]
    assert set(before) - set(_files(workspace)) == {os.path.relpath(p, workspace) for p in removed}
    assert any(f.startswith('log/task_log/Leaf_') and 'Leaf_' in f for f in _files(workspace))  # logs are kept
    assert 'other/noext' in _files(workspace)  # only names with a dot are considered

    caplog.clear()
    with caplog.at_level(logging.INFO, logger='gokart.workspace_management'):
        delete_local_unnecessary_outputs(Root(workspace_directory=workspace))
    assert caplog.messages == ['all files are necessary for this task.']


def test_deep_chain(caplog):
    class Step(gokart.TaskOnKart):
        n = luigi.IntParameter()

        def requires(self):
            return Step(n=self.n - 1) if self.n else []

    os.makedirs('resources')
    with caplog.at_level(logging.INFO, logger='gokart.workspace_management'):
        delete_local_unnecessary_outputs(Step(n=5000))
    assert caplog.messages == ['all files are necessary for this task.']
