"""The `dag` workload as the least Python that does a cold build's work, with no luigi and no gokart.

Each node is a plain object made through a dict instance cache; `requires()` lists its dependencies as
DagNode's does; its id is the md5 of its parameters and its dependencies' ids; its output is checked for
existence, then the six files of a gokart task (the output pickle and five small log pickles) are created
atomically, as the file-creation floor creates them. What it leaves out is everything else a build does:
luigi's Task and parameters, events, the scheduler's states, log contents, seeds, the summary.

The time of `build(n)` is the plain-Python floor of `dag_cold n` (benchmarks/README.md).
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import time

from bench_tasks import dag_deps

_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
_LOGS = ('processing_time', 'module_versions', 'task_log', 'random_seed', 'task_params')


class _Node:
    family = 'PlainNode'
    _cache: dict = {}

    def __new__(cls, **params):
        key = (cls, tuple(params.items()))
        node = cls._cache.get(key)
        if node is None:
            node = object.__new__(cls)
            node.params = params
            cls._cache[key] = node
        return node

    def requires(self) -> list:
        return [_Node(i=j) for j in dag_deps(self.params['i'])]


class _Root(_Node):
    family = 'PlainRoot'

    def requires(self) -> list:
        n = self.params['n']
        used = {j for i in range(n) for j in dag_deps(i)}
        return [_Node(i=i) for i in range(n) if i not in used]


def create_atomically(path: str, data: bytes) -> None:
    """Write `data` to a temporary sibling of `path`, then rename it: how the floors create each file."""
    temporary = path + '-tmp'
    try:
        fd = os.open(temporary, _FLAGS, 0o666)
    except FileNotFoundError:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd = os.open(temporary, _FLAGS, 0o666)
    os.write(fd, data)
    os.close(fd)
    os.replace(temporary, path)


def build(n: int, home: str) -> int:
    """Build the plain DAG of n nodes under `home`; the number of nodes run."""
    _Node._cache.clear()
    order: list = []
    seen: set = set()
    stack = [(_Root(n=n), None)]
    while stack:  # post order without recursion, as the engine walks
        node, deps = stack.pop()
        if deps is not None:
            order.append((node, deps))
            continue
        if node in seen:
            continue
        seen.add(node)
        deps = node.requires()
        stack.append((node, deps))
        stack.extend((dep, None) for dep in reversed(deps) if dep not in seen)
    ids: dict = {}
    ran = 0
    for node, deps in order:
        params = {key: str(value) for key, value in node.params.items()}
        unique_id = hashlib.md5(json.dumps([params, [ids[dep] for dep in deps]]).encode()).hexdigest()
        ids[node] = unique_id
        output = os.path.join(home, 'resources', node.family, f'{unique_id}.pkl')
        if os.path.exists(output):
            continue
        create_atomically(output, pickle.dumps(node.params.get('i', n)))
        base = os.path.join(home, 'resources', 'log', node.family, unique_id)
        for name in _LOGS:
            create_atomically(f'{base}_{name}.pkl', pickle.dumps({'name': name, 'at': time.time()}))
        ran += 1
    return ran
