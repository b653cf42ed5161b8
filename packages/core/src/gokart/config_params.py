"""Fill task parameters from a ``luigi.Config`` unless the caller passed them."""

from __future__ import annotations

from typing import Any, TypeVar

import luigi
import luigi.task

__all__ = ['inherits_config_params']

_T = TypeVar('_T', bound=type)


class inherits_config_params:
    """Class decorator: each parameter of ``config_class()`` feeds the same-named (or aliased) task parameter.

    ``parameter_alias`` maps a parameter name of ``config_class`` to the task's name for it. Values the caller
    passes (by keyword or position) win. A class, as in gokart 1.12.2; use it as ``@inherits_config_params(C)``.
    """

    def __init__(self, config_class: type[luigi.Config], parameter_alias: dict[str, str] | None = None) -> None:
        self._config_class = config_class
        self._parameter_alias: dict[str, str] = dict(parameter_alias or {})

    def __call__(self, task_class: _T) -> _T:
        config_class = self._config_class
        aliases = self._parameter_alias

        # _task_wraps keeps name, module and docstring, so the family, ids and pickling are unchanged
        @luigi.task._task_wraps(task_class)
        class Wrapped(task_class):  # type: ignore[valid-type, misc]
            @classmethod
            def get_param_values(cls, params: Any, args: Any, kwargs: Any) -> Any:
                own = {name for name, _ in params}
                positional = [name for name, param in params if param.positional]
                given = set(kwargs) | set(positional[: len(args)])
                filled = dict(kwargs)
                config = config_class()
                for name, value in config.param_kwargs.items():
                    target = aliases.get(name, name)
                    if target in own and target not in given:
                        filled[target] = value
                return super().get_param_values(params, args, filled)

        return Wrapped  # type: ignore[return-value]
