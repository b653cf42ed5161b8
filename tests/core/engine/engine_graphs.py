"""Graphs of plain luigi tasks for the engine tests, described as data so luigi and the engine get the same ones.

`GRAPH` maps a node name to (deps, behaviour); `ROOT_DIR` is where outputs and the event log go. Both are
module globals set by `use_graph`, so task ids do not depend on the output directory.
"""

from __future__ import annotations

import os
import random

import luigi
from luigi.event import Event

GRAPH: dict[str, tuple[list[str], str]] = {}
ROOT_DIR = ''

RECORDED_EVENTS = (
    Event.START,
    Event.SUCCESS,
    Event.FAILURE,
    Event.PROCESSING_TIME,
    Event.DEPENDENCY_DISCOVERED,
    Event.DEPENDENCY_MISSING,
    Event.DEPENDENCY_PRESENT,
    Event.BROKEN_TASK,
)


class EngineBase(luigi.Task):
    """Every event of a graph task is appended to <ROOT_DIR>/events.log (works from forked workers too)."""


def _record(event):
    def handler(task, *args):
        extra = [a.task_id if isinstance(a, luigi.Task) else type(a).__name__ for a in args]
        with open(os.path.join(ROOT_DIR, 'events.log'), 'a') as f:
            f.write('\t'.join([event, task.task_id, *extra]) + '\n')

    return handler


for _event in RECORDED_EVENTS:
    EngineBase.event_handler(_event)(_record(_event))


class EngineExt(EngineBase):
    name = luigi.Parameter()
    run = None  # an external task, as luigi.ExternalTask

    def output(self):
        return luigi.LocalTarget(os.path.join(ROOT_DIR, 'ext', self.name))


class EngineNode(EngineBase):
    name = luigi.Parameter()

    def requires(self):
        deps, behaviour = GRAPH[self.name]
        if behaviour == 'requires_raises':
            raise ValueError(f'requires of {self.name}')
        if behaviour == 'non_task_dep':
            return [EngineNode(name=d) for d in deps] + [42]
        return [EngineExt(name=d[4:]) if d.startswith('ext:') else EngineNode(name=d) for d in deps]

    def output(self):
        return luigi.LocalTarget(os.path.join(ROOT_DIR, 'out', self.name))

    def complete(self):
        if GRAPH[self.name][1] == 'complete_raises':
            raise RuntimeError(f'complete of {self.name}')
        return super().complete()

    def run(self):
        behaviour = GRAPH[self.name][1]
        if behaviour == 'fail':
            raise ValueError(f'boom {self.name}')
        if behaviour == 'dynamic':
            yield [EngineNode(name=f'{self.name}_dyn')]
        if behaviour != 'no_output':
            os.makedirs(os.path.dirname(self.output().path), exist_ok=True)
            with open(self.output().path, 'w') as f:
                f.write(self.name + ':' + ','.join(GRAPH[self.name][0]))


def use_graph(graph: dict, root_dir: str) -> None:
    global ROOT_DIR
    GRAPH.clear()
    GRAPH.update(graph)
    for name, (_, behaviour) in list(graph.items()):
        if behaviour == 'dynamic':
            GRAPH.setdefault(f'{name}_dyn', ([], 'ok'))
    ROOT_DIR = root_dir
    os.makedirs(root_dir, exist_ok=True)


def fan(n: int) -> dict:
    graph = {f'leaf{i}': ([], 'ok') for i in range(n)}
    graph['root'] = ([f'leaf{i}' for i in range(n)], 'ok')
    return graph


def chain(depth: int) -> dict:
    graph = {'c0': ([], 'ok')}
    for i in range(1, depth):
        graph[f'c{i}'] = ([f'c{i - 1}'], 'ok')
    graph['root'] = ([f'c{depth - 1}'], 'ok')
    return graph


def dag(n: int, seed: int = 7, fanin: int = 3) -> dict:
    """Layered random DAG: each node needs up to `fanin` earlier nodes; the root needs all sinks."""
    rng = random.Random(seed)
    graph: dict[str, tuple[list[str], str]] = {}
    for i in range(n):
        deps = sorted({f'd{rng.randrange(i)}' for _ in range(min(i, fanin))})
        graph[f'd{i}'] = (deps, 'ok')
    used = {d for deps, _ in graph.values() for d in deps}
    graph['root'] = ([name for name in graph if name not in used], 'ok')
    return graph


def with_behaviour(graph: dict, **behaviours: str) -> dict:
    graph = dict(graph)
    for name, behaviour in behaviours.items():
        graph[name] = (graph[name][0], behaviour)
    return graph
