"""`import gokart` imports no DataFrame, redis, cloud or Slack library; each is imported when a task needs it,
and every public name and patch point works as before. Each check runs in a fresh interpreter: in the test
process these libraries are long imported."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from tests.test_public_api import MODULE_NAMES

HEAVY = (
    'pandas',
    'numpy',
    'pyarrow',
    'polars',
    'redis',
    'apscheduler',
    'boto3',
    'botocore',
    'google.cloud',
    'googleapiclient',
    'slack_sdk',
)
# Cheaper, but not needed before a task runs either.
DEFERRED = ('dill', 'cloudpickle', 'msgpack', 'xxhash', 'gokart_fastio', 'backoff', 'unittest.mock', 'xml.etree')


def _python(code: str, cwd) -> str:
    result = subprocess.run(
        [sys.executable, '-c', textwrap.dedent(code)], cwd=cwd, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def _loaded(names) -> str:
    return f'json.dumps(sorted(m for m in {names!r} if m in sys.modules))'


@pytest.mark.parametrize('what', ['HEAVY', 'DEFERRED'])
def test_import_gokart_loads_none_of_them(tmp_path, what):
    names = HEAVY if what == 'HEAVY' else DEFERRED
    assert json.loads(_python(f'import json, sys, gokart; print({_loaded(names)})', tmp_path)) == []


def test_importing_every_public_module_loads_none_of_them(tmp_path):
    code = f'import importlib, json, sys\nfor m in {sorted(MODULE_NAMES)!r}: importlib.import_module(m)\n'
    code += f'print({_loaded(HEAVY)})'
    assert json.loads(_python(code, tmp_path)) == []


def test_import_gokart_defers_the_notebook_display_yet_visualize_resolves(tmp_path):
    code = """
    import json, sys
    import gokart
    before = [m for m in sys.modules if m.startswith('gokart._notebook')]
    ok = gokart.visualize is sys.modules['gokart._notebook._visual'].visualize and 'visualize' in dir(gokart)
    print(json.dumps([before, ok]))
    """
    assert json.loads(_python(code, tmp_path)) == [[], True]


def test_a_build_reads_the_tree_functions_through_their_modules_as_1_12_2_does(tmp_path, monkeypatch):
    import gokart
    import gokart.tree.task_info
    from gokart.build import TaskDumpConfig, TaskDumpMode, TaskDumpOutputType, process_task_info

    monkeypatch.chdir(tmp_path)  # the dump goes to ./resources, through a bare TaskOnKart
    calls = []
    monkeypatch.setattr(gokart, 'make_tree_info', lambda task: calls.append('tree') or 'patched tree')
    monkeypatch.setattr(gokart.tree.task_info, 'make_task_info_as_table', lambda task: calls.append('table'))
    process_task_info(gokart.TaskOnKart(), TaskDumpConfig(TaskDumpMode.TREE, TaskDumpOutputType.DUMP))
    with pytest.raises(AttributeError):  # the patched table function returned None, whose to_csv is missing
        process_task_info(gokart.TaskOnKart(), TaskDumpConfig(TaskDumpMode.TABLE, TaskDumpOutputType.PRINT))
    assert calls == ['tree', 'table']
    [dumped] = (tmp_path / 'resources' / 'log' / 'task_info').iterdir()
    assert dumped.read_text() == 'patched tree'


def test_every_public_name_resolves_to_the_same_object_on_every_path(tmp_path):
    # Read before anything imported the libraries: the lazily bound names must be the libraries' own objects.
    code = """
    import json, sys
    import gokart
    from gokart.conflict_prevention_lock import task_lock
    from gokart.slack import slack_api
    checks = {
        'task_lock.redis': task_lock.redis is sys.modules['redis'],
        'task_lock.Lock': task_lock.Lock is sys.modules['redis.lock'].Lock,
        'task_lock.BackgroundScheduler':
            task_lock.BackgroundScheduler is sys.modules['apscheduler.schedulers.background'].BackgroundScheduler,
        'slack_api.slack_sdk': slack_api.slack_sdk is sys.modules['slack_sdk'],
    }
    from gokart.target import pd
    import pandas
    checks['target.pd'] = pd is pandas
    from gokart.pandas_type_config import pd
    checks['pandas_type_config.pd'] = pd is pandas
    import gokart.file_processor.pandas as fp_pandas
    checks['file_processor.pandas.pd.DataFrame'] = fp_pandas.pd.DataFrame is pandas.DataFrame
    checks['file_processor.pandas.pd rebound'] = fp_pandas.pd is pandas
    import gokart.file_processor.base as base
    import numpy
    checks['base.np.ndarray'] = base.np.ndarray is numpy.ndarray
    checks['dir(task_lock)'] = {'redis', 'Lock', 'BackgroundScheduler', 'TaskLockParams'} <= set(dir(task_lock))
    print(json.dumps(checks))
    """
    checks = json.loads(_python(code, tmp_path))
    assert [name for name, ok in checks.items() if not ok] == []

    import gokart
    import gokart.build
    import gokart.errors
    import gokart.file_processor
    import gokart.file_processor.base
    import gokart.file_processor.pandas
    import gokart.info
    import gokart.object_storage
    import gokart.parameter
    import gokart.required_task_output
    import gokart.target
    import gokart.task
    import gokart.testing
    import gokart.tree.task_info
    import gokart.utils
    import gokart.workspace_management
    from gokart.conflict_prevention_lock import task_lock_wrappers

    groups = [
        (gokart.TaskOnKart, gokart.task.TaskOnKart),
        (gokart.build, sys.modules['gokart.build'].build),
        (gokart.test_run, gokart.testing.test_run),
        (gokart.PandasTypeConfig, gokart.pandas_type_config.PandasTypeConfig),
        (gokart.make_tree_info, gokart.info.make_tree_info),
        (gokart.make_task_info_as_tree_str, gokart.tree.task_info.make_task_info_as_tree_str),
        (gokart.add_config, gokart.utils.add_config),
        (gokart.delete_local_unnecessary_outputs, gokart.workspace_management.delete_local_unnecessary_outputs),
        (gokart.TaskInstanceParameter, gokart.parameter.TaskInstanceParameter),
        (sys.modules['gokart.build'].GokartBuildError, gokart.errors.GokartBuildError),
        (gokart.target.wrap_dump_with_lock, task_lock_wrappers.wrap_dump_with_lock),
        (gokart.target.RequiredTaskOutput, gokart.required_task_output.RequiredTaskOutput),
        (gokart.file_processor.CsvFileProcessor.__module__, 'gokart.file_processor'),
        (gokart.file_processor.NpzFileProcessor, gokart.file_processor.base.NpzFileProcessor),
        (gokart.file_processor.pandas.ObjectStorage, gokart.object_storage.ObjectStorage),
        (gokart.task.make_file_processor, gokart.file_processor.make_file_processor),
        (
            gokart.file_processor.base.load_dill_with_pandas_backward_compatibility,
            gokart.utils.load_dill_with_pandas_backward_compatibility,
        ),
    ]
    assert [i for i, (a, b) in enumerate(groups) if a is not b and a != b] == []


def test_patches_of_lazily_imported_patch_points_take_effect_in_a_build(tmp_path, redis_server):
    host, port = redis_server
    code = f"""
    import sys
    from unittest import mock
    import gokart
    import gokart.file_processor
    assert not {{'redis', 'pandas', 'slack_sdk'}} & set(sys.modules), sorted(sys.modules)

    class Frame(gokart.TaskOnKart):
        redis_host = 'lock-host'
        redis_port = 1
        def output(self):
            return self.make_target('frame.csv')
        def run(self):
            import pandas as pd
            self.dump(pd.DataFrame({{'a': [1, 2]}}))

    dumped = []
    class Recording(gokart.file_processor.CsvFileProcessor):
        def dump(self, obj, file):
            dumped.append(len(obj))
            super().dump(obj, file)

    def redis_factory(host, port):  # the real client, on the test's server
        return sys.modules['redis.client'].Redis(host={host!r}, port={port})

    with mock.patch('gokart.conflict_prevention_lock.task_lock.redis.Redis', side_effect=redis_factory) as redis_cls, \\
            mock.patch('gokart.file_processor.CsvFileProcessor', Recording):
        frame = gokart.build(Frame(), reset_register=False)
    assert redis_cls.call_args_list == [mock.call(host='lock-host', port=1)], redis_cls.call_args_list
    assert dumped == [2], dumped
    assert frame['a'].tolist() == [1, 2]
    assert sys.modules['redis'].Redis is sys.modules['redis'].client.Redis  # the patch is undone

    with mock.patch('gokart.slack.slack_api.slack_sdk.WebClient') as web_client:
        web_client.return_value.conversations_list.return_value = [{{'channels': [{{'name': 'c', 'id': 'C1'}}]}}]
        api = gokart.slack.SlackAPI(token='t', channel='c', to_user='')
    assert web_client.call_args == mock.call(token='t') and api._channel_id == 'C1'
    print('ok')
    """
    assert _python(code, tmp_path) == 'ok'


def test_a_subclass_of_a_public_processor_needs_no_import_until_it_runs(tmp_path):
    code = """
    import sys
    import gokart
    from gokart.file_processor import CsvFileProcessor, NpzFileProcessor

    class Semicolons(CsvFileProcessor):
        def __init__(self):
            super().__init__(sep=';')

    target = gokart.target.make_target('out/frame.csv', processor=Semicolons())
    assert 'pandas' not in sys.modules
    import pandas as pd
    target.dump(pd.DataFrame({'a': [1], 'b': [2]}))
    assert open(target.path()).read() == 'a;b\\n1;2\\n'
    assert 'numpy' in sys.modules  # pandas brought it
    import numpy as np
    npz = gokart.target.make_target('out/array.npz', processor=NpzFileProcessor())
    npz.dump(np.arange(3))
    assert npz.load().tolist() == [0, 1, 2]
    print('ok')
    """
    assert _python(code, tmp_path) == 'ok'


def test_quickstart_pipeline_in_a_fresh_interpreter(tmp_path):
    code = """
    import json, sys
    import gokart
    import luigi

    class Numbers(gokart.TaskOnKart):
        n = luigi.IntParameter(default=3)
        def run(self):
            self.dump(list(range(self.n)))

    class Total(gokart.TaskOnKart):
        numbers = gokart.TaskInstanceParameter()
        def run(self):
            self.dump(sum(self.load('numbers')))

    class Table(gokart.TaskOnKart):
        total = gokart.TaskInstanceParameter()
        def output(self):
            return self.make_target('table.csv')
        def run(self):
            import pandas as pd
            self.dump(pd.DataFrame({'total': [self.load('total')]}))

    total = Total(numbers=Numbers())
    assert gokart.build(total, reset_register=False) == 3
    # numpy is not imported by a task start: its seeding waits for its import (docs/compat.md, Q33)
    before = sorted(m for m in ('numpy', 'pandas', 'pyarrow', 'redis', 'apscheduler', 'slack_sdk') if m in sys.modules)
    table = gokart.build(Table(total=total), reset_register=False)
    print(json.dumps({'before': before, 'table': table['total'].tolist(), 'text': gokart.make_tree_info(total)}))
    """
    result = json.loads(_python(code, tmp_path))
    assert result['before'] == []  # a pipeline of plain objects needs none of them
    assert result['table'] == [3]
    assert 'Total[' in result['text'] and 'Numbers[' in result['text']


def test_a_one_worker_build_imports_no_process_pool_nor_backoff_and_a_two_worker_build_still_forks(tmp_path):
    code = """
    import json, os, sys
    import gokart
    import luigi

    class Pid(gokart.TaskOnKart):
        i = luigi.IntParameter()
        def run(self):
            self.dump(os.getpid())

    assert gokart.build(Pid(i=0), reset_register=False) == os.getpid()
    pool_modules = ('gokart._engine._pool', 'multiprocessing.managers', 'multiprocessing.pool', 'backoff')
    one = [m for m in pool_modules if m in sys.modules]
    forked = gokart.build(Pid(i=1), reset_register=False, workers=2) != os.getpid()
    print(json.dumps([one, forked, 'gokart._engine._pool' in sys.modules]))
    """
    assert json.loads(_python(code, tmp_path)) == [[], True, True]
