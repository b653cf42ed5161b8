"""The public surface of gokart 1.12.2 that user code imports and patches, pinned."""

import importlib
import subprocess
import sys

import pytest

UPSTREAM_ALL = {
    'build', 'WorkerSchedulerFactory', 'run', 'TaskOnKart', 'TaskInstanceParameter', 'ListTaskInstanceParameter',
    'ExplicitBoolParameter', 'SerializableParameter', 'ZonedDateSecondParameter', 'PandasTypeConfig', 'make_tree_info',
    'tree_info', 'make_task_info_as_tree_str', 'test_run', 'add_config', 'delete_local_unnecessary_outputs',
}  # fmt: skip

# Every public module of gokart 1.12.2 and the public names it defines.
MODULE_NAMES = {
    'gokart.task': ['TaskOnKart', 'EmptyDumpError'],
    'gokart.target': ['TargetOnKart', 'SingleFileTarget', 'ModelTarget', 'LargeDataFrameProcessor', 'make_target', 'make_model_target', 'wrap_dump_with_lock'],
    'gokart.file_processor': [
        'FileProcessor', 'DataFrameType', 'BinaryFileProcessor', 'PickleFileProcessor', 'TextFileProcessor', 'GzipFileProcessor',
        'XmlFileProcessor', 'NpzFileProcessor', 'CsvFileProcessor', 'JsonFileProcessor', 'ParquetFileProcessor', 'FeatherFileProcessor',
        'make_file_processor',
    ],
    'gokart.file_processor.base': ['_ChunkedLargeFileReader'],
    'gokart.file_processor.pandas': [],
    'gokart.file_processor.polars': ['HAS_POLARS'],
    'gokart.parameter': [
        'TaskInstanceParameter', 'ListTaskInstanceParameter', 'ExplicitBoolParameter', 'SerializableParameter',
        'ZonedDateSecondParameter', 'Serializable', 'ParameterKwargs', 'TASK_ON_KART_TYPE',
    ],
    'gokart.build': [
        'build', 'GokartBuildError', 'HasLockedTaskException', 'TaskLockExceptionRaisedFlag', 'LoggerConfig', 'WorkerSchedulerFactory',
        'WorkerProtocol', 'TaskDumpMode', 'TaskDumpOutputType', 'TaskDumpConfig', 'process_task_info', '_reset_register', '_get_output',
    ],
    'gokart.run': ['run', '_try_tree_info', '_try_to_delete_unnecessary_output_file', '_try_get_slack_api', '_try_to_send_event_summary_to_slack', '_run_with_retcodes'],
    'gokart.worker': ['Worker', 'gokart_worker', 'TaskProcess', 'ContextManagedTaskProcess'],
    'gokart.errors': ['GokartBuildError', 'HasLockedTaskException', 'PandasTypeError', 'EmptyDumpError'],
    'gokart.info': ['make_tree_info', 'tree_info'],
    'gokart.tree.task_info': ['make_task_info_as_tree_str', 'make_task_info_as_table', 'dump_task_info_table', 'dump_task_info_tree'],
    'gokart.tree.task_info_formatter': ['TaskInfo', 'RequiredTask', 'make_task_info_tree', 'make_tree_info', 'make_tree_info_table_list'],
    'gokart.conflict_prevention_lock.task_lock': [
        'TaskLockParams', 'TaskLockException', 'RedisClient', 'set_task_lock', 'set_lock_scheduler', 'make_task_lock_key',
        'make_task_lock_params', 'make_task_lock_params_for_run', 'redis',
    ],
    'gokart.conflict_prevention_lock.task_lock_wrappers': ['wrap_dump_with_lock', 'wrap_load_with_lock', 'wrap_remove_with_lock', 'wrap_run_with_lock'],
    'gokart.in_memory': ['InMemoryCacheRepository', 'InMemoryTarget', 'make_in_memory_target'],
    'gokart.in_memory.data': ['InMemoryData'],
    'gokart.in_memory.repository': ['InMemoryCacheRepository'],
    'gokart.in_memory.target': ['InMemoryTarget', 'make_in_memory_target'],
    'gokart.testing': ['test_run', 'try_to_run_test_for_empty_data_frame', 'assert_frame_contents_equal'],
    'gokart.testing.check_if_run_with_empty_data_frame': [],
    'gokart.testing.pandas_assert': ['assert_frame_contents_equal'],
    'gokart.utils': ['add_config', 'flatten', 'map_flattenable_items', 'load_dill_with_pandas_backward_compatibility', 'get_dataframe_type_from_task', 'FlattenableItems', 'FileLike'],
    'gokart.config_params': ['inherits_config_params'],
    'gokart.pandas_type_config': ['PandasTypeConfig', 'PandasTypeConfigMap', 'PandasTypeError'],
    'gokart.workspace_management': ['delete_local_unnecessary_outputs'],
    'gokart.slack': ['SlackConfig', 'SlackAPI', 'EventAggregator', 'ChannelListNotLoadedError', 'ChannelNotFoundError', 'FileNotUploadedError'],
    'gokart.slack.slack_api': ['SlackAPI', 'slack_sdk'],
    'gokart.slack.slack_config': ['SlackConfig'],
    'gokart.slack.event_aggregator': ['EventAggregator'],
    'gokart.object_storage': ['ObjectStorage'],
    'gokart.s3_config': ['S3Config'],
    'gokart.gcs_config': ['GCSConfig'],
    'gokart.zip_client': ['ZipClient', 'LocalZipClient'],
    'gokart.zip_client_util': ['make_zip_client'],
    'gokart.s3_zip_client': ['S3ZipClient'],
    'gokart.gcs_zip_client': ['GCSZipClient'],
    'gokart.gcs_obj_metadata_client': ['GCSObjectMetadataClient', 'MAX_GCS_METADATA_SIZE'],
    'gokart.required_task_output': ['RequiredTaskOutput'],
    'gokart.task_complete_check': ['task_complete_check_wrapper'],
    'gokart.mypy': ['plugin'],
}  # fmt: skip


def test_all_equals_upstream():
    import gokart

    assert set(gokart.__all__) == UPSTREAM_ALL
    assert len(gokart.__all__) == 16
    for name in gokart.__all__:
        assert getattr(gokart, name) is not None, name


def test_build_and_run_are_rebound_to_functions():
    import gokart
    from gokart.build import GokartBuildError

    assert callable(gokart.build) and gokart.build.__name__ == 'build'
    assert callable(gokart.run) and gokart.run.__name__ == 'run'
    assert issubclass(GokartBuildError, Exception)


# Names gokart offers beyond 1.12.2's (docs/compat.md, Additions): attributes of the package, outside __all__,
# so `from gokart import *` binds what it bound under 1.12.2.
ADDITIONS = {'visualize': 'gokart._notebook._visual'}


def test_additions_are_attributes_outside_all():
    import gokart

    for name, module in ADDITIONS.items():
        assert name not in gokart.__all__
        assert callable(getattr(gokart, name)) and getattr(gokart, name).__module__ == module


def test_the_visualize_object_has_a_public_surface():
    import gokart

    names = {name for name in dir(gokart._notebook.Visualization) if not name.startswith('__')}
    assert {'svg', 'save', 'counts', 'edges', '_repr_svg_', '_repr_mimebundle_'} <= names


@pytest.mark.parametrize('module', sorted(MODULE_NAMES))
def test_public_module_names(module):
    imported = importlib.import_module(module)
    missing = [name for name in MODULE_NAMES[module] if not hasattr(imported, name)]
    assert not missing, f'{module} lacks {missing}'


def test_submodules_are_attributes_after_import_gokart():
    # A fresh interpreter: attributes set by other tests' imports must not hide a missing one.
    names = [
        'testing',
        'tree',
        'utils',
        'slack',
        'target',
        'file_processor',
        'parameter',
        'info',
        'task',
        'workspace_management',
        'pandas_type_config',
    ]
    code = f'import gokart; missing = [n for n in {names!r} if not hasattr(gokart, n)]; print(missing)'
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == '[]'


def test_import_gokart_loads_no_optional_extras():
    code = 'import sys, gokart; print(sorted(m for m in ("polars", "boto3", "googleapiclient") if m in sys.modules))'
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == '[]'


def test_py_typed_marker_and_no_file_processor_module():
    import pathlib

    import gokart

    root = pathlib.Path(gokart.__file__).parent
    assert (root / 'py.typed').exists()
    assert not (root / 'file_processor.py').exists()


def test_fastio_public_names():
    import gokart_fastio

    expected = {
        'CANONICAL_VERSION', 'IMPLEMENTATION', 'DumpError', 'LoadError', '__version__', 'canonical_bytes', 'dump', 'dump_file', 'dumps',
        'gc_paused', 'heap_frozen', 'legacy_canonical', 'legacy_id', 'load', 'load_file', 'loads', 'msgpack_dumps', 'msgpack_loads', 'serialize_json', 'version_info',
        'write_csv', 'write_files', 'xxh3_hex', 'xxh3_id',
    }  # fmt: skip
    assert set(gokart_fastio.__all__) == expected
    assert gokart_fastio.IMPLEMENTATION in {'cython', 'python'}
