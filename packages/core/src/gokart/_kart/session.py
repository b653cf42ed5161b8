"""The build session: the one owner of what lasts exactly as long as a build.

Inside a session (1) the supplementary log files are written in the background, and all of them are on
disk when the session ends; (2) requires(), output() and the required-output records of each task are
evaluated at most once and shared by discovery, ids, completeness checks, dumps, loads and logs.

gokart.build() and gokart.run() open a session around everything they do; gokart's luigi Worker opens
one for runs that bypass both (luigi.build with gokart's worker). Sessions nest: an inner one joins the
outer. A session is per thread: builds started from several threads do not share memos.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import Any

import luigi

from gokart import _log_writer
from gokart._kart.register import KartRegister
from gokart._kart.state import state_of
from gokart._targets import listing
from gokart.utils import _flatten_reiterable

__all__ = ['build_session', 'current', 'flat_requires_of', 'input_of', 'memoized', 'outputs_of', 'requires_of']


class _Local(threading.local):
    session: object | None = None


_local = _Local()


def current() -> object | None:
    return _local.session


@contextlib.contextmanager
def build_session() -> Iterator[object]:
    """Enter the current thread's session, opening one (and the deferred log window) if none is open."""
    session = _local.session
    if session is not None:
        yield session
        return
    session = _local.session = object()
    try:
        with _log_writer.deferred(), listing.session():  # S3/GCS exists() from listings (docs/compat.md Q50)
            yield session
    finally:
        _local.session = None


def _memo(task: Any) -> dict[str, Any] | None:
    """The task's memo for the current session (None outside one, and for plain luigi tasks)."""
    session = _local.session
    # is_kart() and state_of() inlined: this runs ~14 times per task of a build (a KartState is truthy).
    if session is None or not isinstance(type(task), KartRegister):
        return None
    state = task.__dict__.get('_kart') or state_of(task)
    if state.session is not session:
        state.session = session
        state.memo = {}
    return state.memo


def memoized(task: Any, name: str, compute: Any) -> Any:
    """compute(), once per session for this task under `name` (every time outside a session)."""
    memo = _memo(task)
    if memo is None:
        return compute()
    found = memo.get(name, memo)
    if found is memo:
        found = memo[name] = compute()
    return found


def _requires(task: Any) -> Any:
    found = task.requires()
    if isinstance(found, Iterator):  # a generator: the session's first walk would spend it (docs/compat.md Q56)
        return list(found)
    return found


def requires_of(task: Any) -> Any:
    """requires() once per session (a plain luigi task is asked each time)."""
    return memoized(task, 'requires', lambda: _requires(task))


def flat_requires_of(task: Any) -> list[Any]:
    """flatten(requires_of(task)), once per session where a second walk would find the same leaves (a
    structure of exact lists, tuples and dicts: not a generator). Callers must not mutate the list."""
    memo = _memo(task)
    if memo is None:
        return _flatten_reiterable(requires_of(task))[0]
    found = memo.get('flat_requires')
    if found is None:
        found, reiterable = _flatten_reiterable(requires_of(task))
        if reiterable:
            memo['flat_requires'] = found
    return found


def outputs_of(task: Any) -> Any:
    """output() once per session (a plain luigi task is asked each time)."""
    # A known output read in place: ~8 reads per task of a build (completeness, dumps, loads, logs, commit).
    session = _local.session
    if session is not None and isinstance(type(task), KartRegister):
        state = task.__dict__.get('_kart')
        if state is not None and state.session is session:
            found = state.memo.get('output', _MISSING)
            if found is not _MISSING:
                return found
    return memoized(task, 'output', task.output)


_MISSING = object()


def _paths(struct: Any) -> Any:
    """luigi's getpaths: the outputs of tasks in a dict/list/tuple structure, structure kept."""
    if isinstance(struct, luigi.Task):
        return outputs_of(struct)
    if isinstance(struct, dict):
        return struct.__class__((key, _paths(value)) for key, value in struct.items())
    if isinstance(struct, (list, tuple)):
        return struct.__class__(_paths(item) for item in struct)
    try:
        return [_paths(item) for item in struct]
    except TypeError:
        raise Exception(f'Cannot map {struct} to Task/dict/list') from None


def input_of(task: Any) -> Any:
    """task.input() as luigi defines it (the outputs of requires()), from the session's memos."""
    return _paths(requires_of(task))
