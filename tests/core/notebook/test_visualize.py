"""gokart.visualize(): statuses, the SVG document, save(), hidden tasks."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import luigi
import pytest

import gokart
from gokart.build import GokartBuildError

SVG = '{http://www.w3.org/2000/svg}'


class Raw(luigi.ExternalTask):
    def output(self):
        return luigi.LocalTarget('raw.txt')


class Leaf(gokart.TaskOnKart):
    n = luigi.IntParameter(default=1)

    def run(self):
        self.dump(self.n)


class Flaky(gokart.TaskOnKart):
    def requires(self):
        return Leaf()

    def run(self):
        raise RuntimeError('flaky')


class Root(gokart.TaskOnKart):
    def requires(self):
        return {'leaf': Leaf(), 'flaky': Flaky(), 'raw': Raw(), 'other': Leaf(n=2)}

    def run(self):
        self.dump(0)


def _labels(svg: str) -> dict[str, list[str]]:
    root = ET.fromstring(svg)
    return {g.get('id'): [t.text for t in g.iter(f'{SVG}text')] for g in root.iter(f'{SVG}g')}


def test_statuses_before_and_after_a_failed_build():
    picture = gokart.visualize(Root())
    assert {n.name: n.status for n in picture.nodes.values()} == {
        'Leaf': 'to run',
        'Flaky': 'to run',
        'Raw': 'external',
        'Root': 'to run',
    }
    with pytest.raises(GokartBuildError):
        gokart.build(Flaky())
    statuses = {(n.name, n.short_id): n.status for n in gokart.visualize(Root()).nodes.values()}
    assert statuses[('Leaf', Leaf().make_unique_id()[:8])] == 'cached'
    assert statuses[('Leaf', Leaf(n=2).make_unique_id()[:8])] == 'to run'
    assert statuses[('Flaky', Flaky().make_unique_id()[:8])] == 'failed'
    node = gokart.visualize(Root()).nodes[Flaky().task_id]
    assert node.reason == 'RuntimeError: flaky'


def test_svg_nodes_edges_and_legend():
    picture = gokart.visualize(Root())
    svg = picture._repr_mimebundle_()['image/svg+xml']
    assert svg == picture._repr_svg_() == picture.svg()
    labels = _labels(svg)
    assert labels[Leaf().task_id] == ['Leaf', Leaf().make_unique_id()[:8], 'to run']
    assert labels[Raw().task_id][2] == 'external, missing'
    root = ET.fromstring(svg)
    assert len(root.findall(f'{SVG}path')) == 5 == len(picture.edges)
    legend = [t.text for t in root.findall(f'{SVG}text')]
    assert legend == ['to run', 'external']
    assert 'Root: 5 tasks (4 to run, 1 external)' in repr(picture)


def test_dependencies_are_left_of_their_dependents():
    root = ET.fromstring(gokart.visualize(Root()).svg())
    x = {g.get('id'): float(g.find(f'{SVG}rect').get('x')) for g in root.iter(f'{SVG}g')}
    for dep in (Leaf(), Flaky(), Raw(), Leaf(n=2)):
        assert x[dep.task_id] < x[Root().task_id]
    assert x[Leaf().task_id] < x[Flaky().task_id]


def test_save_svg_and_a_clear_error_for_other_formats(tmp_path):
    picture = gokart.visualize(Root())
    assert picture.save(tmp_path / 'g.svg') == str(tmp_path / 'g.svg')
    assert (tmp_path / 'g.svg').read_text() == picture.svg()
    with pytest.raises(ValueError, match=r"cannot save the picture as '.*g\.png': only \.svg is supported"):
        picture.save(tmp_path / 'g.png')
    assert not (tmp_path / 'g.png').exists()


def test_hidden_tasks_and_bad_input():
    picture = gokart.visualize(Root(), hide=['Leaf'])
    assert sorted(n.name for n in picture.nodes.values()) == ['Flaky', 'Raw', 'Root']
    assert len(picture.edges) == 2
    with pytest.raises(TypeError, match=r'takes a task instance, got the class Root: pass Root\(\)'):
        gokart.visualize(Root)
    with pytest.raises(TypeError, match="takes a task instance, got str: 'Root'"):
        gokart.visualize('Root')


def test_a_task_whose_complete_raises_is_failed_with_the_reason():
    class Broken(gokart.TaskOnKart):
        def complete(self):
            raise OSError('disk gone')

    (node,) = gokart.visualize(Broken()).nodes.values()
    assert node.status == 'failed' and node.reason == 'complete() raised OSError: disk gone'


def test_deep_chains_do_not_recurse():
    class Chain(gokart.TaskOnKart):
        n = luigi.IntParameter()

        def requires(self):
            return Chain(n=self.n - 1) if self.n else []

    picture = gokart.visualize(Chain(n=1500))
    assert len(picture.nodes) == 1501 and picture.svg().count('<g class="node"') == 1501
