"""The commands that look at a task tree without running it: tree, why, ls, show, clean, unique-id, list."""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import pathlib
import reprlib
import sys
from collections.abc import Iterator
from typing import Any

from ._errors import CliError
from ._graph import Graph, Node, build_graph, local_size_mtime
from ._progress import wants_color
from ._render import Style, to_dot, to_json, to_text
from ._tasks import add_configs, import_modules, luigi_argv, luigi_command_line, make_task, resolve_target

__all__ = ['clean', 'list_tasks', 'ls', 'show', 'tree', 'unique_id', 'why']


@contextlib.contextmanager
def _task(ns: argparse.Namespace, extras: list[str]) -> Iterator[Any]:
    """The target's task, with luigi's command line active (requires() may read other tasks' flags)."""
    family = resolve_target(ns.target, ns.module)
    add_configs(ns.config)
    with luigi_command_line(luigi_argv(family, extras)) as parser:
        yield make_task(parser)


def _kart(task: Any) -> Any:
    import gokart

    if not isinstance(task, gokart.TaskOnKart):
        raise CliError(f'{type(task).__name__} is not a gokart.TaskOnKart')
    return task


def _graph(ns: argparse.Namespace, extras: list[str]) -> Graph:
    with _task(ns, extras) as task:
        return build_graph(task)


def tree(ns: argparse.Namespace, extras: list[str]) -> int:
    ignore = [name for item in ns.ignore_task_names for name in item.split(',') if name]
    if ns.format == 'svg':  # core's picture, as gokart.visualize() shows it in a notebook
        import gokart

        with _task(ns, extras) as task:
            sys.stdout.write(gokart.visualize(task, hide=ignore).svg())
        return 0
    graph = _graph(ns, extras)
    if ns.format == 'json':
        print(to_json(graph, ignore))
    elif ns.format == 'dot':
        print(to_dot(graph, abbr=True, ignore=ignore))
    else:
        style = Style(wants_color(sys.stdout))
        print(to_text(graph, style, details=ns.details, abbr=ns.abbr, ignore=ignore))
    return 0


_MAX_INDENT = 12  # deeper tasks of `why` are indented no more, their depth shown instead


def why(ns: argparse.Namespace, extras: list[str]) -> int:
    from ._why import explain

    graph = _graph(ns, extras)
    entries = explain(graph)
    if ns.format == 'json':
        print(json.dumps({'root': graph.root, 'tasks': entries}, indent=2, ensure_ascii=False))
        return 0
    style = Style(wants_color(sys.stdout))
    if not entries:
        root = graph.nodes[graph.root]
        print(f'{root.name}[{root.unique_id or root.task_id}] is done: nothing would run')
        return 0
    for entry in entries:
        depth = entry['depth']
        indent = '  ' * min(depth, _MAX_INDENT) + (f'({depth}) ' if depth > _MAX_INDENT else '')
        ident = entry['unique_id'] or entry['task_id']
        print(f'{indent}{style.paint(entry["name"] + "[" + ident + "]", "1")}  {style.status(entry["status"])}')
        for reason in entry['reasons']:
            print(f'{indent}  - {reason["message"]}')
    return 0


def _mtime(timestamp: float) -> str:
    return datetime.datetime.fromtimestamp(timestamp).isoformat(sep=' ', timespec='seconds')


def _outputs(graph: Graph) -> list[tuple[Node, Any]]:
    return [(node, output) for node, _, first in graph.walk() if first for output in node.outputs]


def ls(ns: argparse.Namespace, extras: list[str]) -> int:
    rows = []
    for node, output in _outputs(_graph(ns, extras)):
        stat = local_size_mtime(output.path) if output.exists else None
        rows.append(
            {
                'task': node.name,
                'unique_id': node.unique_id,
                'path': output.path,
                'exists': output.exists,
                'size': stat[0] if stat else None,
                'mtime': _mtime(stat[1]) if stat else None,
            }
        )
    if ns.format == 'json':
        print(json.dumps(rows, indent=2))
        return 0
    width = max((len(r['task']) for r in rows), default=4)
    for r in rows:
        size = _size(r['size']) if r['size'] is not None else ('-' if not r['exists'] else '?')
        mtime = r['mtime'] or '-'
        print(f'{"yes" if r["exists"] else "no ":<3}  {size:>9}  {mtime:<19}  {r["task"]:<{width}}  {r["path"]}')
    return 0


def _size(n: int) -> str:
    value = float(n)
    for unit in ('B', 'KiB', 'MiB', 'GiB'):
        if value < 1024 or unit == 'GiB':
            return f'{n} B' if unit == 'B' else f'{value:.1f} {unit}'
        value /= 1024
    return f'{n} B'


def _pick(graph: Graph, name: str | None) -> Node:
    if name is None:
        return graph.nodes[graph.root]
    found = [
        node
        for node, _, first in graph.walk()
        if first and (node.name == name or type(node.task).__name__ == name or (node.unique_id or '').startswith(name))
    ]
    if not found:
        names = sorted({n.name for n in graph.nodes.values()})
        raise CliError(f'no task {name!r} in the tree (tasks: {", ".join(names)})')
    if len(found) > 1 and len({n.task_id for n in found}) > 1:
        ids = ', '.join((n.unique_id or n.task_id)[:8] for n in found)
        raise CliError(f'{len(found)} tasks named {name!r} in the tree: give a unique id prefix ({ids})')
    return found[0]


def _preview(value: Any, rows: int) -> str:
    shape, dtypes, head = (getattr(value, attr, None) for attr in ('shape', 'dtypes', 'head'))
    if shape is not None and dtypes is not None and callable(head):  # a pandas (or polars) DataFrame
        kind = f'{type(value).__module__.split(".")[0]}.{type(value).__name__}'
        text = head(rows)
        text = text.to_string() if hasattr(text, 'to_string') else str(text)
        if hasattr(dtypes, 'to_string'):
            types = dtypes.to_string()
        else:
            columns = getattr(value, 'columns', [])
            types = '\n'.join(f'{c}  {t}' for c, t in zip(columns, dtypes, strict=False))
        return f'{kind}, shape {tuple(shape)}\n\ndtypes:\n{types}\n\nfirst {rows} rows:\n{text}'
    limited = reprlib.Repr()
    limited.maxstring, limited.maxother, limited.maxlist, limited.maxdict = 200, 200, 20, 20
    limited.maxlevel = 4
    return f'{type(value).__module__}.{type(value).__qualname__}\n{limited.repr(value)}'


def show(ns: argparse.Namespace, extras: list[str]) -> int:
    with _task(ns, extras) as root:
        graph = build_graph(root)
        node = _pick(graph, ns.task)
        if not node.outputs:
            raise CliError(f'{node.name} has no output')
        for output in node.outputs:
            print(f'{node.name}[{node.unique_id or node.task_id}] {output.path}')
            if not output.exists:
                raise CliError(f'{output.path} does not exist: {node.name} has not run (gokart run first)')
            load = getattr(output.target, 'load', None)
            if load is None:
                raise CliError(f'{output.path}: not a gokart target, nothing to load it with')
            try:
                value = load()
            except Exception as e:
                raise CliError(f'cannot load {output.path}: {type(e).__name__}: {e}') from e
            print(_preview(value, ns.rows))
    return 0


def _unneeded(task: Any) -> list[tuple[str, int]]:
    """The files gokart.delete_local_unnecessary_outputs(task) removes: `*.*` under the workspace, but for
    `log/` and the outputs of the whole tree (compared as absolute paths)."""
    graph = build_graph(task)
    needed = {os.path.abspath(output.path) for _, output in _outputs(graph)}
    workspace = pathlib.Path(task.workspace_directory)
    files = []
    for path in sorted(workspace.glob('**/*.*')):
        if path.is_file() and path.relative_to(workspace).parts[0] != 'log' and os.path.abspath(path) not in needed:
            files.append((str(path), path.stat().st_size))
    return files


def clean(ns: argparse.Namespace, extras: list[str]) -> int:
    import gokart

    with _task(ns, extras) as task:
        _kart(task)
        if '://' in task.workspace_directory:
            raise CliError(f'{task.workspace_directory}: only local workspaces are supported')
        files = _unneeded(task)
        total = sum(size for _, size in files)
        for path, size in files:
            print(f'{_size(size):>9}  {path}')
        if not files:
            print(f'nothing to clean under {task.workspace_directory}', file=sys.stderr)
            return 0
        if not ns.yes:
            print(
                f'{len(files)} file(s), {_size(total)} would be freed; nothing deleted (dry run: add --yes)',
                file=sys.stderr,
            )
            return 0
        gokart.delete_local_unnecessary_outputs(task)
        print(f'deleted {len(files)} file(s), freed {_size(total)}', file=sys.stderr)
    return 0


def unique_id(ns: argparse.Namespace, extras: list[str]) -> int:
    import luigi.task

    from ._graph import _path

    with _task(ns, extras) as task:
        _kart(task)
        lines = [task.make_unique_id(), *(_path(t) for t in luigi.task.flatten(task.output()))]
    print('\n'.join(lines))
    return 0


def list_tasks(ns: argparse.Namespace) -> int:
    from luigi.task_register import Register, TaskClassException

    import gokart

    sources = [*ns.module, *ns.sources]
    modules = import_modules(sources)
    wanted = {m.__name__ for m in modules}
    found = []
    for name in Register.task_names():
        try:
            cls = Register.get_task_cls(name)
        except TaskClassException:  # ambiguous names are listed by luigi's own error
            continue
        module = cls.__module__
        if wanted:
            keep = any(module == m or module.startswith(m + '.') for m in wanted)
        else:
            keep = module.split('.', 1)[0] not in ('gokart', 'luigi')
        if keep and issubclass(cls, gokart.TaskOnKart):
            found.append(name)
    if not found and not sources:
        raise CliError('no tasks imported: name the module or file that defines them, e.g. gokart list tasks.py')
    for name in found:
        print(name)
    return 0
