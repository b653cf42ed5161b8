"""gokart: cached, reproducible luigi pipelines (drop-in for gokart 1.12.2)."""

__all__ = [
    'build',
    'WorkerSchedulerFactory',
    'run',
    'TaskOnKart',
    'TaskInstanceParameter',
    'ListTaskInstanceParameter',
    'ExplicitBoolParameter',
    'SerializableParameter',
    'ZonedDateSecondParameter',
    'PandasTypeConfig',
    'make_tree_info',
    'tree_info',
    'make_task_info_as_tree_str',
    'test_run',
    'add_config',
    'delete_local_unnecessary_outputs',
]

# Submodules gokart 1.12.2 exposes as attributes right after `import gokart`. They stay imported here:
# testing, slack and info define luigi tasks and configs (test_run, SlackConfig, tree_info) that luigi's
# command line must know before it parses.
from gokart import file_processor, slack, target, testing, tree, utils  # noqa: E402, F401
from gokart._lazy import module_getattr as _module_getattr  # noqa: E402
from gokart.build import WorkerSchedulerFactory, build  # noqa: E402
from gokart.info import make_tree_info, tree_info  # noqa: E402
from gokart.pandas_type_config import PandasTypeConfig  # noqa: E402
from gokart.parameter import (  # noqa: E402
    ExplicitBoolParameter,
    ListTaskInstanceParameter,
    SerializableParameter,
    TaskInstanceParameter,
    ZonedDateSecondParameter,
)
from gokart.run import run  # noqa: E402
from gokart.task import TaskOnKart  # noqa: E402
from gokart.testing import test_run  # noqa: E402
from gokart.tree.task_info import make_task_info_as_tree_str  # noqa: E402
from gokart.utils import add_config  # noqa: E402
from gokart.workspace_management import delete_local_unnecessary_outputs  # noqa: E402

# An addition, not in __all__, which stays 1.12.2's (docs/compat.md, Q44); the graph drawing is imported
# on first use.
_lazy_getattr, __dir__ = _module_getattr(__name__, {'visualize': 'gokart._notebook:visualize'})


def __getattr__(name: str):
    # Read lazily: metadata lookups cost an import-time file scan.
    if name == '__version__':
        from importlib.metadata import version

        return version('gokart')
    return _lazy_getattr(name)
