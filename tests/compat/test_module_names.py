"""The functions and classes tools import from gokart 1.12.2's modules are still there, and behave the same.

Differential: compat_names runs under gokart 1.12.2 and under ours. (1) Every function or class a public
module of 1.12.2 offers (defined by gokart, public or single-underscore) exists in ours under the same name,
of the same kind, with the same parameter names. (2) The private helpers give the same results. (3) The
exception classes 1.12.2 defines report its modules and qualnames, and pickles travel both ways.
"""

from __future__ import annotations

import importlib
import inspect
import pickle
import sys

import pytest

from ._upstream import COMPAT_DIR, run_python_json

sys.path.insert(0, str(COMPAT_DIR))
import compat_names  # noqa: E402

# Names of 1.12.2 we do not offer, with the reason (docs/compat.md, "Switching over").
KNOWN_GAPS = {
    # gokart.task is another change's file; map_flattenable_items is importable from gokart.utils
    ('gokart.task', 'map_flattenable_items'),
    # gokart.testing is another change's files: flatten there is luigi's (parameter `struct`, not `targets`)
    ('gokart.testing.check_if_run_with_empty_data_frame', 'flatten'),
}

# The private helpers of 1.12.2 that tools import, pinned (they exist without the upstream environment too).
PRIVATE_HELPERS = {
    'gokart.build': ['_get_output', '_reset_register'],
    'gokart.file_processor.base': ['_ChunkedLargeFileReader'],
    'gokart.parameter': ['_TaskInstanceEncoder'],
    'gokart.run': [
        '_run_tree_info', '_run_with_retcodes', '_try_get_slack_api', '_try_to_delete_unnecessary_output_file',
        '_try_to_send_event_summary_to_slack', '_try_tree_info',
    ],
    'gokart.slack.event_aggregator': ['FailureEvent'],
    'gokart.testing.check_if_run_with_empty_data_frame': ['_TestStatus', '_get_all_tasks', '_run_with_test_status'],
    'gokart.tree.task_info_formatter': ['_make_requires_info'],
    'gokart.utils': ['_resolve_type_var'],
    'gokart.worker': ['GetWorkResponse', '_get_retry_policy_dict', '_is_external'],
    'gokart.workspace_management': ['_get_all_output_file_paths'],
    'gokart.zip_client': ['_unzip_file'],
}  # fmt: skip


@pytest.mark.parametrize('module', sorted(PRIVATE_HELPERS))
def test_private_helpers_are_pinned(module):
    imported = importlib.import_module(module)
    missing = [name for name in PRIVATE_HELPERS[module] if not hasattr(imported, name)]
    assert not missing, f'{module} lacks {missing}'


def test_exception_classes_report_the_modules_of_1_12_2():
    expected = {
        'GokartBuildError': 'gokart.build',
        'HasLockedTaskException': 'gokart.build',
        'EmptyDumpError': 'gokart.task',
        'PandasTypeError': 'gokart.pandas_type_config',
        'TaskLockException': 'gokart.conflict_prevention_lock.task_lock',
        'ChannelListNotLoadedError': 'gokart.slack.slack_api',
        'ChannelNotFoundError': 'gokart.slack.slack_api',
        'FileNotUploadedError': 'gokart.slack.slack_api',
    }
    import gokart.errors

    for name, module in expected.items():
        cls = getattr(importlib.import_module(module), name)
        assert (cls.__module__, cls.__qualname__) == (module, name)
        if hasattr(gokart.errors, name):
            assert getattr(gokart.errors, name) is cls
        instance = compat_names._instance(cls)
        restored = pickle.loads(pickle.dumps(instance))
        assert type(restored) is cls and str(restored) == str(instance)
    restored = pickle.loads(pickle.dumps(compat_names._instance(gokart.errors.GokartBuildError)))
    assert list(restored.raised_exceptions) == ['id'] and str(restored.raised_exceptions['id'][0]) == 'boom'


def test_event_aggregator_keeps_get_summary():
    from gokart.slack import EventAggregator

    # 1.12.2 names it get_summary (no misspelt get_summury), and gokart.run calls that name
    assert callable(EventAggregator.get_summary) and not hasattr(EventAggregator, 'get_summury')
    assert 'event_aggregator.get_summary()' in inspect.getsource(importlib.import_module('gokart.run'))


@pytest.fixture(scope='module')
def upstream_package_dir(upstream_python: str, tmp_path_factory) -> str:
    code = 'import gokart, json, os; print(json.dumps(os.path.dirname(gokart.__file__)))'
    return run_python_json(upstream_python, code, cwd=tmp_path_factory.mktemp('dir'))


def _without_additions(ours: list, theirs: list) -> list:
    """Ours minus trailing keyword-only parameters with defaults beyond 1.12.2's (`gokart.run(..., executor=)`,
    an addition of docs/compat.md's Dask section): no call written for 1.12.2 can tell them apart."""
    extra = ours[len(theirs) :]
    if all(kind == 'KEYWORD_ONLY' and has_default for _, kind, has_default in extra):
        return ours[: len(theirs)]
    return ours


@pytest.mark.upstream
def test_every_name_of_1_12_2_modules_is_offered(upstream_python, upstream_package_dir, tmp_path):
    code = f'import json, compat_names; print(json.dumps(compat_names.surface({upstream_package_dir!r})))'
    theirs = run_python_json(upstream_python, code, cwd=tmp_path)
    ours = run_python_json(sys.executable, code, cwd=tmp_path)
    assert sorted(ours) == sorted(theirs)  # every public module of 1.12.2 imports
    problems = []
    for module, names in theirs.items():
        for name, (kind, parameters, by_gokart) in names.items():
            if not by_gokart:
                continue  # names 1.12.2 merely imported from luigi, typing or the standard library
            if (module, name) in KNOWN_GAPS:
                continue
            if name not in ours[module]:
                problems.append(f'{module}.{name}: missing ({kind})')
                continue
            our_kind, our_parameters, _ = ours[module][name]
            if our_kind != kind:
                problems.append(f'{module}.{name}: a {our_kind} here, a {kind} in 1.12.2')
            elif parameters is not None and [p[:2] for p in _without_additions(our_parameters, parameters)] != [
                p[:2] for p in parameters
            ]:
                problems.append(f'{module}.{name}: parameters {our_parameters} vs {parameters}')
    assert not problems, '\n'.join(problems)


@pytest.mark.upstream
def test_private_helpers_behave_as_in_1_12_2(upstream_python, tmp_path):
    (tmp_path / 'up').mkdir()
    (tmp_path / 'ours').mkdir()
    code = 'import json, compat_names; print(json.dumps(compat_names.behaviour({tmp!r})))'
    theirs = run_python_json(upstream_python, code.format(tmp=str(tmp_path / 'up')), cwd=tmp_path / 'up')
    ours = run_python_json(sys.executable, code.format(tmp=str(tmp_path / 'ours')), cwd=tmp_path / 'ours')
    assert ours == theirs
    assert 'get_summary' in theirs['EventAggregator methods']


@pytest.mark.upstream
def test_exception_classes_match_1_12_2_and_pickles_travel_both_ways(upstream_python, tmp_path):
    code = 'import json, compat_names; print(json.dumps(compat_names.exceptions()))'
    theirs = run_python_json(upstream_python, code, cwd=tmp_path)
    ours = run_python_json(sys.executable, code, cwd=tmp_path)
    for name, entry in theirs.items():
        for key in ('module', 'qualname', 'bases', 'same object in gokart.errors'):
            assert ours[name][key] == entry[key], (name, key)

    def load(python: str, payloads: dict) -> dict:
        loader = f'import json, compat_names; print(json.dumps(compat_names.unpickle({payloads!r})))'
        return run_python_json(python, loader, cwd=tmp_path)

    pickled_by_them = {n: e['pickle'] for n, e in theirs.items() if not e['pickle'].startswith('cannot')}
    pickled_by_us = {n: e['pickle'] for n, e in ours.items()}
    # 1.12.2 pickles GokartBuildError but cannot load it back (its __init__ needs raised_exceptions); ours can
    assert sorted(set(theirs) - set(pickled_by_them)) == []
    assert load(upstream_python, pickled_by_them)['GokartBuildError'] == 'cannot unpickle: TypeError'
    ours_loading_theirs = load(sys.executable, pickled_by_them)
    theirs_loading_ours = load(upstream_python, pickled_by_us)
    ours_loading_ours = load(sys.executable, pickled_by_us)
    for name in theirs:
        expected_message = 'build failed' if name == 'GokartBuildError' else 'message'
        assert theirs_loading_ours[name][:2] == [f'{theirs[name]["module"]}.{name}', expected_message], name
        assert ours_loading_ours[name] == theirs_loading_ours[name] == ours_loading_theirs[name], name
    assert ours_loading_ours['GokartBuildError'][2] == {'id': ["ValueError('boom')"]}
