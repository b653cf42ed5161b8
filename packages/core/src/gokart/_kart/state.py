"""Where gokart keeps what it knows about one TaskOnKart instance, and for how long.

Lifetime. A KartState is created with its task (by the metaclass, or on first use for an instance made
otherwise, e.g. by copy) and dies with it. Parameter values never change after construction, so what is
derived from them alone lives as long as the task: serialized parameters, the hash, the serialized form
as a task-valued parameter, the default targets. What comes from user code that may read anything else
(requires(), output(), and the required outputs derived from both) is kept for one build session only
(gokart._kart.session), so that a build evaluates each at most once and the next build asks again.
What belongs to one run of the task (its commit: staged files, pending log writes) lives from the
executor's begin, right before luigi's START event, to its end, after SUCCESS or FAILURE
(gokart._kart.commit).
"""

from __future__ import annotations

from typing import Any

__all__ = ['KartState', 'state_of']


class KartState:
    __slots__ = (
        'param_values',
        'str_values',
        'views',
        'hash',
        'serialized_instance',
        'targets',
        'session',
        'memo',
        'checked_at_run',
        'commit',
    )

    def __init__(self, param_values: list[tuple[str, Any]] | None = None) -> None:
        # Resolved by the metaclass for TaskOnKart.__init__, which takes them (then None).
        self.param_values = param_values
        # name -> serialized value; (only_significant, only_public) -> {name: serialized value}
        self.str_values: dict[str, str] = {}
        self.views: dict[tuple[bool, bool], dict[str, str]] = {}
        self.hash: int | None = None
        self.serialized_instance: str | None = None
        # make_target() key -> target, for the default targets (see TaskOnKart.make_target)
        self.targets: dict[tuple[Any, ...], Any] = {}
        # The build session `memo` belongs to: 'requires', 'output', 'required_outputs' -> value.
        self.session: object | None = None
        self.memo: dict[str, Any] = {}
        # The executor has just found the task incomplete, right before run(): complete_check_at_run
        # need not ask again.
        self.checked_at_run = False
        # The task's current run, while an executor runs it on the direct local path (gokart._kart.commit).
        self.commit: Any = None


def state_of(task: Any) -> KartState:
    state = task.__dict__.get('_kart')
    if state is None:
        state = task.__dict__['_kart'] = KartState()
    return state
