"""`gokart why`: for each task a run would run, the reasons its cache misses.

A gokart output is `<dir>/<stem>_<unique id><ext>`, and every run writes the task's significant parameters
to `<workspace>/log/task_params/<Class>_<unique id>.pkl`. So earlier runs of the same class are found by
listing those files; the earlier output each one stands for is the task's output path with the other id;
and the nearest earlier run is the one with an existing output whose parameters differ least. What differs
is then told parameter by parameter (old → new), decoding task parameters (`TaskInstanceParameter` values
are bz2-compressed JSON) down to the nested parameter that changed. When the parameters are all equal, the
id differs through the ids of the tasks it requires (or its code, with `serialized_task_definition_check`).
"""

from __future__ import annotations

import functools
import glob
import io
import os
import pickle
from typing import Any

from ._graph import BLOCKED, MISSING, WILL_RUN, Graph, Node
from ._params import decode_task as _decode_task
from ._params import value_text as _value_text

__all__ = ['explain', 'previous_runs']


class _PlainUnpickler(pickle.Unpickler):
    """task_params files hold a dict of str: no class may be loaded, so no code runs."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f'{module}.{name} is not allowed in a task_params file')


def _read_params(path: str) -> dict[str, str] | None:
    try:
        with open(path, 'rb') as f:
            value = _PlainUnpickler(io.BytesIO(f.read())).load()
    except Exception:
        return None
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return {k: str(v) for k, v in value.items()}
    return None


def param_changes(old: dict[str, Any], new: dict[str, Any], prefix: str = '') -> list[dict[str, Any]]:
    """Each difference as {param, old, new} (a missing side is None), nested into task parameters."""
    changes: list[dict[str, Any]] = []
    for name in list(new) + [k for k in old if k not in new]:
        before, after = old.get(name), new.get(name)
        if before == after:
            continue
        path = f'{prefix}{name}'
        if isinstance(before, str) and isinstance(after, str):
            a, b = _decode_task(before), _decode_task(after)
            if a is not None and b is not None:
                if a[0] != b[0]:
                    changes.append({'param': path, 'old': f'{a[0]}(…)', 'new': f'{b[0]}(…)'})
                else:
                    changes.extend(param_changes(a[1], b[1], prefix=f'{path}.'))
                continue
        changes.append(
            {
                'param': path,
                'old': None if name not in old else _value_text(before),
                'new': None if name not in new else _value_text(after),
            }
        )
    return changes


def _change_text(change: dict[str, Any]) -> str:
    if change['old'] is None:
        return f'{change["param"]} = {change["new"]} (new parameter)'
    if change['new'] is None:
        return f'{change["param"]} (was {change["old"]}; no longer a parameter)'
    return f'{change["param"]}: {change["old"]} → {change["new"]}'


@functools.lru_cache(maxsize=256)
def _logged_runs(workspace: str, cls_name: str) -> tuple[tuple[str, dict[str, str], str], ...]:
    """(unique id, parameters, file) of each task_params file of the class; read once per class and command."""
    runs = []
    pattern = os.path.join(glob.escape(workspace), 'log', 'task_params', f'{glob.escape(cls_name)}_*.pkl')
    for path in sorted(glob.glob(pattern)):
        uid = os.path.basename(path)[len(cls_name) + 1 : -len('.pkl')]
        params = _read_params(path) if len(uid) == 32 else None
        if params is not None:
            runs.append((uid, params, path))
    return tuple(runs)


def previous_runs(node: Node) -> list[dict[str, Any]]:
    """Earlier runs of the node's class in its workspace: unique id, params, their outputs and whether they exist."""
    workspace = getattr(node.task, 'workspace_directory', None)
    if node.unique_id is None or not isinstance(workspace, str) or '://' in workspace:
        return []
    runs = []
    for uid, params, path in _logged_runs(workspace, type(node.task).__name__):
        if uid == node.unique_id:
            continue
        outputs = [o.path.replace(node.unique_id, uid) for o in node.outputs if node.unique_id in o.path]
        runs.append({'unique_id': uid, 'params': params, 'outputs': outputs, 'log': path})
    return runs


def _differing(old: dict[str, str], new: dict[str, str]) -> int:
    """How many parameters differ, at the top level: cheap, for ranking the earlier runs."""
    return sum(old.get(name) != new.get(name) for name in old.keys() | new.keys())


def _outputs_exist(run: dict[str, Any]) -> bool:
    return bool(run['outputs']) and all(os.path.exists(p) for p in run['outputs'])


def _own_log(node: Node) -> str | None:
    workspace = getattr(node.task, 'workspace_directory', None)
    if node.unique_id is None or not isinstance(workspace, str):
        return None
    path = os.path.join(workspace, 'log', 'task_params', f'{type(node.task).__name__}_{node.unique_id}.pkl')
    return path if os.path.exists(path) else None


def _reasons(node: Node, graph: Graph) -> list[dict[str, Any]]:
    reasons: list[dict[str, Any]] = []
    missing = [o.path for o in node.outputs if not o.exists]
    if node.status == MISSING:
        return [
            {
                'kind': 'missing_external',
                'message': f'external input missing: {", ".join(missing) or "(no output)"}',
                'paths': missing,
            }
        ]
    if node.error:
        return [{'kind': 'error', 'message': node.error}]
    if getattr(node.task, 'rerun', False) is True:
        reasons.append({'kind': 'rerun', 'message': 'rerun=True is set: it runs even when its output exists'})
    if node.outputs and not missing and not reasons:
        reasons.append({'kind': 'complete_false', 'message': 'every output exists, but complete() returns False'})
    elif missing and len(missing) < len(node.outputs):
        reasons.append(
            {'kind': 'partial', 'message': f'some outputs are missing: {", ".join(missing)}', 'paths': missing}
        )
    if missing and node.unique_id is not None:
        own = _own_log(node)
        if own is not None:
            reasons.append(
                {
                    'kind': 'deleted',
                    'message': f'it ran before with this very id ({own}), but {", ".join(missing)} is gone',
                    'log': own,
                }
            )
        else:
            reasons.extend(_nearest(node, graph))
    elif missing and node.unique_id is None:
        reasons.append(
            {'kind': 'no_output', 'message': f'its output does not exist: {", ".join(missing)}', 'paths': missing}
        )
    deps = [graph.nodes[c] for c in node.children]
    running = [d for d in deps if d.status == WILL_RUN]
    blocked = [d for d in deps if d.status in (MISSING, BLOCKED)]
    if running:
        count = 'a dependency' if len(running) == 1 else f'{len(running)} dependencies'
        reasons.append(
            {
                'kind': 'dependency_runs',
                'message': f'{count} will run first: {", ".join(_short(d) for d in running)}',
                'dependencies': [d.task_id for d in running],
            }
        )
    if blocked:
        reasons.append(
            {
                'kind': 'blocked',
                'message': f'it cannot run: it waits for missing external input through {", ".join(_short(d) for d in blocked)}',
                'dependencies': [d.task_id for d in blocked],
            }
        )
    return reasons


def _short(node: Node) -> str:
    return f'{node.name}[{node.unique_id[:8]}]' if node.unique_id else node.task_id


def _nearest(node: Node, graph: Graph) -> list[dict[str, Any]]:
    cls_name = type(node.task).__name__
    runs = previous_runs(node)
    # Fewest differing parameters first, then the latest; the nearest is the first whose output exists
    # (files are only looked at in that order: a class run many times has many logs).
    scored = sorted(
        ((_differing(run['params'], node.params), -os.path.getmtime(run['log']), i) for i, run in enumerate(runs)),
    )
    found = next((runs[i] for _, _, i in scored if _outputs_exist(runs[i])), None)
    nearest = None if found is None else (param_changes(found['params'], node.params), found)
    if nearest is None:
        if runs:
            return [
                {
                    'kind': 'no_output',
                    'message': f'no output of {cls_name} exists in the workspace '
                    f'({len(runs)} earlier run(s) logged, their outputs are gone)',
                }
            ]
        return [{'kind': 'no_output', 'message': f'no output of {cls_name} exists in the workspace'}]
    changes, run = nearest
    where = {'nearest': run['unique_id'], 'nearest_outputs': run['outputs'], 'logged_runs': len(runs)}
    if changes:
        text = '; '.join(_change_text(c) for c in changes)
        return [
            {
                'kind': 'params_differ',
                'message': f'the nearest existing output ({run["outputs"][0]}) has other parameters: {text}',
                'changes': changes,
                **where,
            }
        ]
    deps = [graph.nodes[c] for c in node.children]
    new = [d for d in deps if not d.complete]
    if new:
        cause = f'its upstream ids differ: {", ".join(_short(d) for d in new)} has no output yet'
    elif deps:
        cause = 'every upstream id has an output, so requires() or the code of the task changed'
    else:
        cause = 'it has no upstream, so its code changed (serialized_task_definition_check)'
    return [
        {
            'kind': 'upstream_differ',
            'message': f'the nearest existing output ({run["outputs"][0]}) has the same parameters; {cause}',
            'upstream': [d.task_id for d in new],
            **where,
        }
    ]


def explain(graph: Graph) -> list[dict[str, Any]]:
    """One entry per task that would run (or whose external input is missing), root first."""
    _logged_runs.cache_clear()  # the workspace may have changed since an earlier call in this process
    out = []
    for node, depth, first in graph.walk():
        if not first or (node.status not in (WILL_RUN, MISSING, BLOCKED) and node.error is None):
            continue
        out.append(
            {
                'task_id': node.task_id,
                'name': node.name,
                'unique_id': node.unique_id,
                'status': node.status,
                'depth': depth,
                'outputs': [o.path for o in node.outputs],
                'reasons': _reasons(node, graph),
            }
        )
    return out
