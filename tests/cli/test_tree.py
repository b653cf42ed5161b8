"""`gokart tree`: the status, unique id and outputs of each task, as text, JSON, DOT and SVG."""

import importlib
import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import gokart
from gokart_cli import main


def _tree(capsys, *args):
    assert main(['tree', *args]) == 0
    return capsys.readouterr().out


def _json(capsys, *args):
    data = json.loads(_tree(capsys, *args, '--format', 'json'))
    return data, {task['name']: task for task in data['tasks']}


def test_external_task_is_a_leaf_and_what_needs_it_is_blocked(pipeline, capsys):
    # gokart.make_tree_info raises TypeError on a luigi.ExternalTask; the command shows it as a leaf.
    lines = _tree(capsys, '-m', pipeline, 'PipeWithRaw').splitlines()
    assert lines[0].startswith('PipeWithRaw[') and lines[0].endswith('⊘ blocked')
    raw = next(line for line in lines if 'PipeRaw[' in line)
    assert raw.startswith('├── PipeRaw[PipeRaw_raw_txt_') and raw.endswith('✗ missing')
    load = next(line for line in lines if 'PipeLoad[' in line)
    assert load.startswith('└── PipeLoad[') and load.endswith('● will run')
    assert '│       → raw.txt  (not written)' in lines


def test_statuses_follow_the_workspace(pipeline, capsys):
    module = importlib.import_module(pipeline)
    Path('raw.txt').write_text('x')
    gokart.build(module.PipeLoad(), reset_register=False)
    _, tasks = _json(capsys, '-m', pipeline, 'PipeWithRaw')
    assert [tasks[name]['status'] for name in ('PipeWithRaw', 'PipeRaw', 'PipeLoad')] == ['will run', 'done', 'done']
    assert tasks['PipeRaw']['external'] is True and tasks['PipeRaw']['unique_id'] is None


def test_dependencies_of_a_done_task_are_not_needed(pipeline, capsys):
    module = importlib.import_module(pipeline)
    gokart.build(module.PipeParent(), reset_register=False)
    os.remove(module.PipeLoad().output().path())
    _, tasks = _json(capsys, '-m', pipeline, 'PipeParent')
    assert tasks['PipeParent']['status'] == 'done'
    assert tasks['PipeLoad']['status'] == 'not needed'


def test_json_has_ids_outputs_params_and_edges(pipeline, capsys):
    module = importlib.import_module(pipeline)
    data, tasks = _json(capsys, '-m', pipeline, 'PipeTotal', '--PipeTotal-n=3')
    root = module.PipeTotal(n=3)
    assert data['root'] == root.task_id
    assert set(tasks) == {'PipeTotal', 'demo.PipeScale', 'PipeLoad'}
    total = tasks['PipeTotal']
    assert total['unique_id'] == root.make_unique_id()
    assert total['outputs'] == [{'path': root.output().path(), 'exists': False}]
    assert total['params'] == {'n': '3', 'factor': '2'}
    assert total['requires'] == [tasks['demo.PipeScale']['task_id']]
    assert tasks['demo.PipeScale']['requires'] == [tasks['PipeLoad']['task_id']]
    assert tasks['PipeLoad']['requires'] == []


def test_text_shows_ids_outputs_and_with_details_params(pipeline, capsys):
    module = importlib.import_module(pipeline)
    root = module.PipeTotal()
    lines = _tree(capsys, '-m', pipeline, 'PipeTotal', '--details').splitlines()
    assert lines[0] == f'PipeTotal[{root.make_unique_id()}]  ● will run'
    assert lines[1] == f'│   → {root.output().path()}  (not written)'
    assert lines[2] == '│   params: n=2, factor=2'
    assert lines[3].startswith('└── demo.PipeScale[')


def test_abbr_shortens_ids(pipeline, capsys):
    uid = importlib.import_module(pipeline).PipeTotal().make_unique_id()
    first = _tree(capsys, '-m', pipeline, 'PipeTotal', '--abbr').splitlines()[0]
    assert first == f'PipeTotal[{uid[:8]}]  ● will run'


def test_ignore_task_names_leaves_them_out(pipeline, capsys):
    data, tasks = _json(capsys, '-m', pipeline, 'PipeTotal', '--ignore-task-names', 'PipeLoad')
    assert set(tasks) == {'PipeTotal', 'demo.PipeScale'}
    assert tasks['demo.PipeScale']['requires'] == []
    assert 'PipeLoad' not in _tree(capsys, '-m', pipeline, 'PipeTotal', '--ignore-task-names=PipeLoad')


def test_shared_dependencies_are_shown_once(write_module, capsys):
    name = write_module(
        """
        import gokart


        class TreeShared(gokart.TaskOnKart):
            pass


        class TreeLeft(gokart.TaskOnKart):
            def requires(self):
                return TreeShared()


        class TreeBoth(gokart.TaskOnKart):
            def requires(self):
                return [TreeLeft(), TreeShared()]
        """
    )
    lines = _tree(capsys, '-m', name, 'TreeBoth').splitlines()
    shared = [line for line in lines if 'TreeShared[' in line]
    assert len(shared) == 2
    assert shared[1].endswith('(shown above)')


def test_dot_has_a_node_per_task_and_data_flow_edges(pipeline, capsys):
    text = _tree(capsys, '-m', pipeline, 'PipeWithRaw', '--format', 'dot')
    assert text.startswith('digraph gokart {') and text.rstrip().endswith('}')
    assert text.count('[label=') == 3
    assert text.count(' -> ') == 2
    assert 'shape=cylinder' in text  # the external input


@pytest.mark.parametrize('target', ['PipeTotal', 'PipeWithRaw'])
def test_svg_is_a_standalone_document(pipeline, capsys, target):
    text = _tree(capsys, '-m', pipeline, target, '--format', 'svg')
    root = ET.fromstring(text)
    assert root.tag == '{http://www.w3.org/2000/svg}svg'
    groups = root.findall('{http://www.w3.org/2000/svg}g')
    assert len(groups) == 3
    texts = [t.text for t in root.iter('{http://www.w3.org/2000/svg}text')]
    assert target in texts
    assert len(root.findall('{http://www.w3.org/2000/svg}path')) == 2  # one per edge


def test_svg_is_core_s_picture_with_its_statuses(pipeline, capsys):
    # `gokart tree --format svg` draws what gokart.visualize() draws: cached, to run, failed, external
    module = importlib.import_module(pipeline)
    root = ET.fromstring(_tree(capsys, '-m', pipeline, 'PipeWithRaw', '--format', 'svg'))
    labels = {
        g.find('{http://www.w3.org/2000/svg}text').text: [t.text for t in g.iter('{http://www.w3.org/2000/svg}text')][2]
        for g in root.findall('{http://www.w3.org/2000/svg}g')
    }
    assert labels == {'PipeWithRaw': 'to run', 'PipeLoad': 'to run', 'PipeRaw': 'external, missing'}
    assert (
        _tree(capsys, '-m', pipeline, 'PipeWithRaw', '--format', 'svg') == gokart.visualize(module.PipeWithRaw()).svg()
    )


def test_svg_columns_follow_the_data_flow(pipeline, capsys):
    root = ET.fromstring(_tree(capsys, '-m', pipeline, 'PipeTotal', '--format', 'svg'))
    x = {}
    for group in root.findall('{http://www.w3.org/2000/svg}g'):
        name = group.find('{http://www.w3.org/2000/svg}text').text
        x[name] = float(group.find('{http://www.w3.org/2000/svg}rect').get('x'))
    assert x['PipeLoad'] < x['demo.PipeScale'] < x['PipeTotal']


def test_tree_reads_other_tasks_parameters_from_the_command_line(tasks, capsys):
    _, found = _json(capsys, '-m', tasks, 'CliDouble', '--CliDouble-size=7')
    assert found['CliDouble']['params']['size'] == '7'


def test_a_task_whose_complete_raises_is_shown_with_the_error(write_module, capsys):
    name = write_module(
        """
        import gokart


        class Broken(gokart.TaskOnKart):
            def complete(self):
                raise OSError('disk gone')
        """
    )
    _, tasks = _json(capsys, '-m', name, 'Broken')
    assert tasks['Broken']['status'] == 'error'
    assert tasks['Broken']['error'] == 'complete() raised OSError: disk gone'
