"""Exceptions raised by gokart (public: user code catches them)."""

__all__ = [
    'EmptyDumpError',
    'GokartBuildError',
    'HasLockedTaskException',
    'OutputNotWrittenWarning',
    'PandasTypeError',
    'TaskOutputMissingError',
]


class GokartBuildError(Exception):
    """gokart.build() finished with failed tasks; `raised_exceptions` maps unique ids to their exceptions."""

    def __init__(self, message, raised_exceptions: dict[str, list[Exception]]):
        super().__init__(message)
        self.raised_exceptions = raised_exceptions


class HasLockedTaskException(Exception):
    """A task could not take its redis lock during gokart.build(); the build is retried."""


class PandasTypeError(Exception):
    """A column of a dumped DataFrame holds a value of another type than its PandasTypeConfig declares."""


class EmptyDumpError(AssertionError):
    """An empty DataFrame was dumped by a task with fail_on_empty_dump=True."""


class TaskOutputMissingError(RuntimeError):
    """A TaskOnKart's run() returned without writing an output that a dependent needs (a forgotten self.dump()?)."""


class OutputNotWrittenWarning(UserWarning):
    """A root task's run() returned without writing all of its outputs: it succeeds, as in gokart 1.12.2."""
