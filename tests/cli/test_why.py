"""`gokart why`: for each task that would run, the precise reason its cache misses."""

import importlib
import json
import os

from luigi.task_register import Register

import gokart
from gokart_cli import main
from gokart_cli._why import param_changes


def _why(capsys, *args):
    assert main(['why', *args, '--format', 'json']) == 0
    data = json.loads(capsys.readouterr().out)
    return {task['name']: task for task in data['tasks']}


def _kinds(task):
    return [reason['kind'] for reason in task['reasons']]


def test_never_ran(pipeline, capsys):
    tasks = _why(capsys, '-m', pipeline, 'PipeTotal')
    assert list(tasks) == ['PipeTotal', 'demo.PipeScale', 'PipeLoad']
    load = tasks['PipeLoad']
    assert load['reasons'] == [{'kind': 'no_output', 'message': 'no output of PipeLoad exists in the workspace'}]
    assert _kinds(tasks['PipeTotal']) == ['no_output', 'dependency_runs']
    assert tasks['PipeTotal']['reasons'][1]['dependencies'] == [tasks['demo.PipeScale']['task_id']]
    assert [t['depth'] for t in tasks.values()] == [0, 1, 2]


def test_changed_parameters_old_to_new_down_to_task_parameters(pipeline, capsys):
    module = importlib.import_module(pipeline)
    gokart.build(module.PipeTotal(n=2), reset_register=False)
    tasks = _why(capsys, '-m', pipeline, 'PipeTotal', '--PipeTotal-n=3')
    total = tasks['PipeTotal']['reasons'][0]
    assert total['kind'] == 'params_differ'
    assert total['changes'] == [{'param': 'n', 'old': "'2'", 'new': "'3'"}]
    assert total['nearest'] == module.PipeTotal(n=2).make_unique_id()
    assert total['nearest_outputs'] == [module.PipeTotal(n=2).output().path()]
    # PipeScale's only parameter is a task: the change is told inside it.
    scale = tasks['demo.PipeScale']['reasons'][0]
    assert scale['changes'] == [{'param': 'src.n', 'old': "'2'", 'new': "'3'"}]
    assert tasks['PipeLoad']['reasons'][0]['changes'] == [{'param': 'n', 'old': "'2'", 'new': "'3'"}]


def test_the_nearest_earlier_output_is_the_one_differing_least(pipeline, capsys):
    module = importlib.import_module(pipeline)
    for n, factor in ((5, 5), (3, 3)):
        gokart.build(module.PipeTotal(n=n, factor=factor), reset_register=False)
    tasks = _why(capsys, '-m', pipeline, 'PipeTotal', '--PipeTotal-n=5', '--PipeTotal-factor=2')
    reason = tasks['PipeTotal']['reasons'][0]
    assert reason['logged_runs'] == 2
    assert reason['changes'] == [{'param': 'factor', 'old': "'5'", 'new': "'2'"}]


def test_same_parameters_other_upstream_ids(pipeline, capsys):
    module = importlib.import_module(pipeline)
    gokart.build(module.PipeParent(), reset_register=False)
    Register.clear_instance_cache()  # as in a new process: PipeParent() is a new instance, its id not cached
    tasks = _why(capsys, '-m', pipeline, 'PipeParent', '--PipeLoad-n=5')
    reason = tasks['PipeParent']['reasons'][0]
    assert reason['kind'] == 'upstream_differ'
    assert reason['upstream'] == [tasks['PipeLoad']['task_id']]
    assert 'its upstream ids differ: PipeLoad[' in reason['message']
    assert tasks['PipeLoad']['reasons'][0]['changes'] == [{'param': 'n', 'old': "'2'", 'new': "'5'"}]


def test_deleted_output_of_this_very_id(pipeline, capsys):
    module = importlib.import_module(pipeline)
    task = module.PipeLoad()
    gokart.build(task, reset_register=False)
    os.remove(task.output().path())
    (reason,) = _why(capsys, '-m', pipeline, 'PipeLoad')['PipeLoad']['reasons']
    assert reason['kind'] == 'deleted'
    assert reason['log'].endswith(f'log/task_params/PipeLoad_{task.make_unique_id()}.pkl')


def test_rerun(pipeline, capsys):
    module = importlib.import_module(pipeline)
    gokart.build(module.PipeLoad(), reset_register=False)
    (task,) = _why(capsys, '-m', pipeline, 'PipeLoad', '--rerun').values()
    assert _kinds(task) == ['rerun']


def test_missing_external_input(pipeline, capsys):
    tasks = _why(capsys, '-m', pipeline, 'PipeWithRaw')
    assert tasks['PipeRaw']['reasons'] == [
        {'kind': 'missing_external', 'message': 'external input missing: raw.txt', 'paths': ['raw.txt']}
    ]
    assert tasks['PipeWithRaw']['status'] == 'blocked'
    assert _kinds(tasks['PipeWithRaw']) == ['no_output', 'dependency_runs', 'blocked']


def test_nothing_to_run(pipeline, capsys):
    module = importlib.import_module(pipeline)
    gokart.build(module.PipeLoad(), reset_register=False)
    assert main(['why', '-m', pipeline, 'PipeLoad']) == 0
    uid = module.PipeLoad().make_unique_id()
    assert capsys.readouterr().out == f'PipeLoad[{uid}] is done: nothing would run\n'


def test_text_is_an_indented_tree(pipeline, capsys):
    module = importlib.import_module(pipeline)
    gokart.build(module.PipeTotal(n=2), reset_register=False)
    assert main(['why', '-m', pipeline, 'PipeTotal', '--PipeTotal-n=4']) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f'PipeTotal[{module.PipeTotal(n=4).make_unique_id()}]  ● will run'
    assert lines[1].startswith('  - the nearest existing output (') and lines[1].endswith("n: '2' → '4'")
    assert lines[2].startswith('  - a dependency will run first: demo.PipeScale[')
    assert lines[3].startswith('  demo.PipeScale[')
    assert lines[4].endswith("src.n: '2' → '4'")


def test_param_changes_names_new_and_dropped_parameters():
    assert param_changes({'a': '1', 'gone': 'x'}, {'a': '1', 'b': '2'}) == [
        {'param': 'b', 'old': None, 'new': "'2'"},
        {'param': 'gone', 'old': "'x'", 'new': None},
    ]
