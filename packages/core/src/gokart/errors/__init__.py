"""Exceptions raised by gokart (public: user code catches them).

Each class is defined once, here, and reports the module gokart 1.12.2 defined it in (``__module__``):
tracebacks read the same, and pickles refer to ``gokart.build.GokartBuildError`` etc., which load under
either implementation. Those modules import the classes from here, so the names resolve to these objects.
"""

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

    __module__ = 'gokart.build'

    def __init__(self, message: object, raised_exceptions: dict[str, list[Exception]] | None = None) -> None:
        super().__init__(message)
        self.raised_exceptions = {} if raised_exceptions is None else raised_exceptions

    def __reduce__(self) -> tuple[object, ...]:
        # Exception's default rebuilds from `args` alone; 1.12.2's class, which requires raised_exceptions, could
        # not load its own pickles. Passing both loads under either class; the optional argument here loads
        # pickles 1.12.2 wrote (their state restores raised_exceptions).
        return (type(self), (*self.args, self.raised_exceptions), self.__dict__ or None)


class HasLockedTaskException(Exception):
    """A task could not take its redis lock during gokart.build(); the build is retried."""

    __module__ = 'gokart.build'


class PandasTypeError(Exception):
    """A column of a dumped DataFrame holds a value of another type than its PandasTypeConfig declares."""

    __module__ = 'gokart.pandas_type_config'


class EmptyDumpError(AssertionError):
    """An empty DataFrame was dumped by a task with fail_on_empty_dump=True."""

    __module__ = 'gokart.task'


class TaskOutputMissingError(RuntimeError):
    """A TaskOnKart's run() returned without writing an output that a dependent needs (a forgotten self.dump()?)."""


class OutputNotWrittenWarning(UserWarning):
    """A root task's run() returned without writing all of its outputs: it succeeds, as in gokart 1.12.2."""
