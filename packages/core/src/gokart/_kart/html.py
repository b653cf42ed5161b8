"""`TaskOnKart._repr_html_`: how a task shows in Jupyter (class, parameters, unique id, outputs, cached)."""

from __future__ import annotations

from html import escape
from typing import Any

import luigi

from gokart._kart import identity
from gokart._kart.register import KartRegister, class_params

__all__ = ['task_html']


def _path(target: Any) -> str:
    path = getattr(target, 'path', None)  # gokart targets: a method; luigi targets: an attribute
    path = path() if callable(path) else path
    return str(path) if path is not None else repr(target)


def _value(task: Any, name: str) -> str:
    try:
        return identity.serialized(task, name)
    except Exception:  # a value that does not serialize still displays
        return repr(task.param_kwargs.get(name))


def _rows(task: Any, names: list[str]) -> str:
    by_name = class_params(type(task)).by_name
    rows = []
    for name in names:
        significant = by_name[name].significant
        mark = '<td title="significant: part of the unique id">●</td>' if significant else '<td></td>'
        label = f'<b>{escape(name)}</b>' if significant else escape(name)
        rows.append(f'<tr>{mark}<td>{label}</td><td><code>{escape(_value(task, name))}</code></td></tr>')
    return ''.join(rows)


def _status(task: Any) -> str:
    try:
        return '<span style="color:#1a7f37">● cached</span>' if task.complete() else '<span>○ not cached</span>'
    except Exception as e:
        return f'<span style="color:#cf222e">complete() raised {escape(type(e).__name__)}: {escape(str(e))}</span>'


def task_html(task: Any) -> str:
    """An HTML fragment; parameters of TaskOnKart itself are folded away below the task's own."""
    base = KartRegister.root
    own_names = set(vars(base)) if base is not None else set()
    names = list(task.param_kwargs)
    own = [n for n in names if n not in own_names]
    inherited = [n for n in names if n in own_names]
    try:
        outputs = ''.join(f'<li><code>{escape(_path(t))}</code></li>' for t in luigi.task.flatten(task.output()))
    except Exception as e:
        outputs = f'<li>output() raised {escape(type(e).__name__)}: {escape(str(e))}</li>'
    cls = type(task)
    head = (
        f'<div class="gokart-task"><b>{escape(task.get_task_family())}</b> '
        f'<span style="opacity:.7">({escape(cls.__module__)}.{escape(cls.__qualname__)})</span> · {_status(task)}'
        f'<br>unique id: <code>{escape(task.make_unique_id())}</code>'
    )
    table = '<table style="text-align:left">' + _rows(task, own) + '</table>' if own else '<br><i>no parameters</i>'
    folded = (
        f'<details><summary>TaskOnKart parameters ({len(inherited)})</summary>'
        f'<table style="text-align:left">{_rows(task, inherited)}</table></details>'
    )
    return f'{head}{table}{folded}outputs:<ul>{outputs or "<li>none</li>"}</ul></div>'
