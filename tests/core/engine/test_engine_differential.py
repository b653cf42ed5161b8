"""The engine against luigi's own worker + local scheduler on the same graphs: same files, outcome sets,
status, summary text and events per task."""

from __future__ import annotations

import collections
import os

import engine_graphs as g
import luigi
import luigi.configuration
import pytest
from luigi.execution_summary import _summary_dict
from luigi.task_register import Register

from gokart._engine import schedule_and_run

SET_NAMES = (
    'already_done',
    'completed',
    'ever_failed',
    'failed',
    'scheduling_error',
    'still_pending_ext',
    'still_pending_not_ext',
    'upstream_failure',
    'upstream_missing_dependency',
    'upstream_scheduling_error',
    'not_run',
)


def _files(root: str) -> dict:
    found = {}
    for dirpath, _, filenames in os.walk(root):
        for name in filenames:
            path = os.path.join(dirpath, name)
            if name != 'events.log':
                with open(path) as f:
                    found[os.path.relpath(path, root)] = f.read()
    return found


def _events(root: str) -> dict:
    per_task = collections.defaultdict(collections.Counter)
    path = os.path.join(root, 'events.log')
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                event, task_id, *extra = line.rstrip('\n').split('\t')
                per_task[task_id][(event, *extra)] += 1
    return dict(per_task)


def _outcome(impl: str, graph: dict, root: str, roots, workers: int, precreate) -> dict:
    Register.clear_instance_cache()
    g.use_graph(graph, root)
    for name in precreate:
        os.makedirs(os.path.join(root, 'out'), exist_ok=True)
        with open(os.path.join(root, 'out', name), 'w') as f:
            f.write('pre')
    tasks = [g.EngineNode(name=name) for name in roots]
    env = {'local_scheduler': True, 'workers': workers, 'no_lock': True, 'log_level': 'CRITICAL'}
    if impl == 'luigi':
        result = luigi.build(tasks, detailed_summary=True, **env)
        sets = _summary_dict(result.worker)
    else:
        result = schedule_and_run(tasks, None, env, gokart_worker=False)
        sets = result.summary_sets
    return {
        'files': _files(root),
        'events': _events(root),
        'status': result.status,
        'summary': result.summary_text,
        'scheduling_succeeded': result.scheduling_succeeded,
        'sets': {name: sorted(t.task_id for t in sets[name]) for name in SET_NAMES},
    }


def assert_same(tmp_path, graph, roots=('root',), workers=1, precreate=()):
    expected = _outcome('luigi', graph, str(tmp_path / 'luigi'), roots, workers, precreate)
    actual = _outcome('engine', graph, str(tmp_path / 'engine'), roots, workers, precreate)
    for key in ('sets', 'status', 'files', 'events', 'summary', 'scheduling_succeeded'):
        assert actual[key] == expected[key], key
    return actual


def test_fan(tmp_path):
    out = assert_same(tmp_path, g.fan(25))
    assert len(out['sets']['completed']) == 26


def test_dag(tmp_path):
    out = assert_same(tmp_path, g.dag(80))
    assert out['status'].name == 'SUCCESS'


def test_deep_chain(tmp_path):
    out = assert_same(tmp_path, g.chain(300))
    assert len(out['sets']['completed']) == 301


def test_failure_in_the_middle_stops_only_dependents(tmp_path):
    graph = g.with_behaviour(g.dag(60), d20='fail', d41='fail')
    out = assert_same(tmp_path, graph)
    assert out['status'].name == 'FAILED'
    assert out['sets']['upstream_failure'] and out['sets']['completed']


def test_failure_deep_in_a_chain(tmp_path):
    out = assert_same(tmp_path, g.with_behaviour(g.chain(120), c3='fail'))
    assert len(out['sets']['upstream_failure']) == 117


def test_missing_external_input(tmp_path):
    graph = g.fan(5)
    graph['leaf2'] = (['ext:data'], 'ok')
    out = assert_same(tmp_path, graph)
    assert out['status'].name == 'MISSING_EXT'


def test_complete_and_requires_raising(tmp_path):
    graph = g.with_behaviour(g.fan(6), leaf1='complete_raises', leaf3='requires_raises')
    graph['leaf3'] = (['leaf4'], 'requires_raises')
    out = assert_same(tmp_path, graph)
    assert out['status'].name == 'SCHEDULING_FAILED'


def test_mixed_failures(tmp_path):
    graph = g.with_behaviour(g.dag(40), d5='fail', d9='complete_raises')
    graph['d30'] = (['ext:missing', *graph['d30'][0]], 'ok')
    out = assert_same(tmp_path, graph)
    assert out['status'].name == 'FAILED_AND_SCHEDULING_FAILED'


def test_task_that_runs_without_output_fails_its_dependent(tmp_path):
    out = assert_same(tmp_path, g.with_behaviour(g.chain(4), c1='no_output'))
    assert out['sets']['failed'] == [g.EngineNode(name='c2').task_id]
    assert (
        out['events'][g.EngineNode(name='c2').task_id][('event.core.failure', 'RuntimeError')] == 2
    )  # rescheduled once


def test_dynamic_dependencies(tmp_path):
    out = assert_same(tmp_path, g.with_behaviour(g.chain(3), c1='dynamic'))
    assert out['status'].name == 'SUCCESS'


def test_partly_complete_graph(tmp_path):
    out = assert_same(tmp_path, g.dag(50), precreate=['d10', 'd20', 'd45'])
    assert out['sets']['already_done']


def test_everything_complete(tmp_path):
    graph = g.fan(10)
    out = assert_same(tmp_path, graph, precreate=list(graph))
    assert out['sets']['already_done'] == [g.EngineNode(name='root').task_id]


def test_several_roots_share_a_subgraph(tmp_path):
    graph = g.dag(30)
    graph['other'] = (['d3', 'd7'], 'ok')
    assert_same(tmp_path, graph, roots=('root', 'other'))


def test_task_limit(tmp_path):
    luigi.configuration.get_config().set('worker', 'task_limit', '7')
    out = assert_same(tmp_path, g.dag(20))
    assert out['sets']['scheduling_error']


@pytest.mark.parametrize('graph_name', ['dag', 'failing_dag'])
def test_two_workers(tmp_path, graph_name):
    graph = g.dag(40) if graph_name == 'dag' else g.with_behaviour(g.dag(40), d11='fail')
    assert_same(tmp_path, graph, workers=2)


def test_non_task_in_requires_raises_like_luigi(tmp_path):
    graph = g.with_behaviour(g.fan(3), root='non_task_dep')
    errors = []
    for impl in ('luigi', 'engine'):
        with pytest.raises(Exception) as info:
            _outcome(impl, graph, str(tmp_path / impl), ['root'], 1, ())
        errors.append((type(info.value), str(info.value), _events(str(tmp_path / impl))))
    assert errors[0] == errors[1]
    assert 'requires() must return Task objects but 42' in errors[0][1]


class EnginePrio(luigi.Task):
    """Appends its name to order.log when it runs; `needs` and `prio` describe the graph."""

    name = luigi.Parameter()
    needs = luigi.ListParameter(default=[])
    prio = luigi.IntParameter(default=0)

    @property
    def priority(self):
        return self.prio

    def requires(self):
        return [EnginePrio(name=n, needs=d, prio=p) for n, d, p in self.needs]

    def output(self):
        return luigi.LocalTarget(os.path.join(g.ROOT_DIR, self.name))

    def run(self):
        with open(os.path.join(g.ROOT_DIR, 'order.log'), 'a') as f:
            f.write(self.name + '\n')
        with open(self.output().path, 'w') as f:
            f.write('x')


def test_priorities_and_their_inheritance_order_the_runs_like_luigi(tmp_path):
    needs = [
        ('low', [('x', [], 0)], 1),
        ('high', [('y', [], 0)], 50),
        ('mid', [('z', [], 0), ('w', [], 30)], 20),
    ]
    orders = []
    for impl in ('luigi', 'engine'):
        Register.clear_instance_cache()
        g.use_graph({}, str(tmp_path / impl))
        root = EnginePrio(name='root', needs=needs)
        env = {'local_scheduler': True, 'no_lock': True, 'log_level': 'CRITICAL'}
        if impl == 'luigi':
            luigi.build([root], **env)
        else:
            schedule_and_run([root], None, env, gokart_worker=False)
        with open(tmp_path / impl / 'order.log') as f:
            orders.append(f.read().split())
    assert orders[0] == orders[1]
    assert orders[1][:2] == ['y', 'high']  # y inherits the priority of its dependent
