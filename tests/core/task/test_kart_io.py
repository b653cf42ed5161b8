"""requires()/input()/output() defaults, target factories, load/load_generator/load_data_frame
and dump (keywords passed to the target, type checks, empty-dump failure)."""

from __future__ import annotations

import os
from unittest import mock

import luigi
import pandas as pd
import pytest

import gokart
from gokart.required_task_output import RequiredTaskOutput
from gokart.target import TargetOnKart


class IoLeaf(gokart.TaskOnKart):
    v = luigi.IntParameter(default=1)

    def run(self):
        self.dump(self.v)


class IoFrame(gokart.TaskOnKart):
    task_namespace = 'io_frames'
    rows = luigi.IntParameter(default=2)

    def run(self):
        self.dump(pd.DataFrame({'a': list(range(self.rows)), 'b': ['x'] * self.rows}))


class IoHolder(gokart.TaskOnKart):
    one = gokart.TaskInstanceParameter()
    many = gokart.ListTaskInstanceParameter()


class IoDictReq(gokart.TaskOnKart):
    def requires(self):
        return {'first': IoLeaf(v=1), 'second': IoLeaf(v=2)}


class IoListReq(gokart.TaskOnKart):
    def requires(self):
        return [IoLeaf(v=1), IoLeaf(v=2)]


class IoNestedReq(gokart.TaskOnKart):
    def requires(self):
        return {'a': [IoLeaf(v=1), IoLeaf(v=2)], 'b': IoLeaf(v=3)}


def _materialize(*tasks):
    for task in tasks:
        task.run()


# ---- requires / input / output ----


def test_requires_default_collects_task_values_in_parameter_order():
    holder = IoHolder(one=IoLeaf(v=1), many=[IoLeaf(v=2), IoLeaf(v=3)])
    assert holder.requires() == {'one': IoLeaf(v=1), 'many': (IoLeaf(v=2), IoLeaf(v=3))}
    assert list(holder.requires()) == ['one', 'many']


def test_requires_default_empty_list_and_empty_tuple_does_not_count():
    assert IoLeaf().requires() == []
    holder = IoHolder(one=IoLeaf(), many=[])
    assert holder.requires() == {'one': IoLeaf()}


def test_requires_default_counts_any_instance_attribute():
    task = IoLeaf()
    task.extra = IoLeaf(v=9)
    task.not_task = (IoLeaf(v=1), 3)
    assert task.requires() == {'extra': IoLeaf(v=9)}
    assert task.make_task_instance_dictionary() == {'extra': IoLeaf(v=9)}


def test_is_task_on_kart():
    assert gokart.TaskOnKart.is_task_on_kart(IoLeaf())
    assert gokart.TaskOnKart.is_task_on_kart((IoLeaf(), IoLeaf(v=2)))
    assert not gokart.TaskOnKart.is_task_on_kart(())
    assert not gokart.TaskOnKart.is_task_on_kart([IoLeaf()])
    assert not gokart.TaskOnKart.is_task_on_kart((IoLeaf(), 1))
    assert not gokart.TaskOnKart.is_task_on_kart(3)


def test_input_is_the_output_of_requires():
    task = IoDictReq()
    inputs = task.input()
    assert set(inputs) == {'first', 'second'}
    assert inputs['first'].path() == IoLeaf(v=1).output().path()


def test_output_default_path():
    task = IoLeaf()
    uid = task.make_unique_id()
    module_dir = IoLeaf.__module__.replace('.', '/')
    assert task.output().path() == f'./resources/{module_dir}/IoLeaf_{uid}.pkl'
    assert isinstance(task.output(), TargetOnKart)


# ---- target factories ----


@pytest.mark.parametrize(
    ('path', 'processor_name'),
    [
        ('a.pkl', 'PickleFileProcessor'),
        ('a.csv', 'CsvFileProcessor'),
        ('a.tsv', 'CsvFileProcessor'),
        ('a.txt', 'TextFileProcessor'),
        ('a.json', 'JsonFileProcessor'),
        ('a.ndjson', 'JsonFileProcessor'),
        ('a.feather', 'FeatherFileProcessor'),
        ('a.parquet', 'ParquetFileProcessor'),
        ('a.gz', 'GzipFileProcessor'),
        ('a.npz', 'NpzFileProcessor'),
        ('a.xml', 'XmlFileProcessor'),
        ('a.png', 'BinaryFileProcessor'),
        ('a.jpg', 'BinaryFileProcessor'),
    ],
)
def test_make_target_chooses_processor_by_extension(path, processor_name):
    target = IoLeaf().make_target(path)
    assert type(target._processor).__name__ == processor_name


def test_make_target_takes_a_patched_pickle_processor(monkeypatch):
    class Recording(gokart.file_processor.PickleFileProcessor):
        pass

    monkeypatch.setattr(gokart.file_processor, 'PickleFileProcessor', Recording)
    assert type(IoLeaf().make_target('patched.pkl')._processor) is Recording


def test_make_target_tsv_separator_and_explicit_processor():
    assert IoLeaf().make_target('a.tsv')._processor._sep == '\t'
    processor = gokart.file_processor.CsvFileProcessor(sep='|')
    assert IoLeaf().make_target('a.pkl', processor=processor)._processor is processor


def test_make_target_paths_and_id_insertion():
    task = IoLeaf()
    uid = task.make_unique_id()
    assert task.make_target('dir/file.tar.csv').path() == f'./resources/dir/file.tar_{uid}.csv'
    assert task.make_target('dir/file.csv', use_unique_id=False).path() == './resources/dir/file.csv'
    assert task.make_target('/abs/file.csv').path() == f'/abs/file_{uid}.csv'
    assert IoLeaf(workspace_directory='ws').make_target('x.pkl').path() == f'ws/x_{uid}.pkl'


def test_make_target_unknown_extension_fails():
    # message as gokart 1.12.2 (run as a black box), which has no '.msgpack'
    expected = (
        ".unknownext is not supported. The supported extensions are ['.txt', '.ini', '.csv', '.tsv', '.pkl', '.gz', "
        "'.json', '.ndjson', '.xml', '.npz', '.parquet', '.feather', '.png', '.jpg', '.msgpack']."
    )
    with pytest.raises(AssertionError) as info:
        IoLeaf().make_target('a.unknownext')
    assert str(info.value) == expected


def test_make_target_store_index_in_feather_is_passed():
    assert IoLeaf(store_index_in_feather=False).make_target('a.feather')._processor._store_index_in_feather is False
    assert IoLeaf().make_target('a.feather')._processor._store_index_in_feather is True


def test_make_model_target_requires_zip():
    with pytest.raises(AssertionError) as info:
        IoLeaf().make_model_target('a/b.pkl', save_function=lambda o, p: None, load_function=lambda p: None)
    assert str(info.value) == 'extension must be zip, but a/b.pkl is passed.'


def test_make_model_target_roundtrip():
    task = IoLeaf()

    def save(obj, path):
        with open(path, 'w') as f:
            f.write(obj)

    def load(path):
        with open(path) as f:
            return f.read()

    target = task.make_model_target('model/m.zip', save_function=save, load_function=load)
    assert target.path() == f'./resources/model/m_{task.make_unique_id()}.zip'
    target.dump('weights')
    assert target.exists()
    assert target.load() == 'weights'


def test_make_large_data_frame_target_default_path_and_roundtrip():
    task = IoLeaf()
    target = task.make_large_data_frame_target()
    module_dir = IoLeaf.__module__.replace('.', '/')
    assert target.path() == f'./resources/{module_dir}/IoLeaf_{task.make_unique_id()}.zip'
    df = pd.DataFrame({'a': range(5)})
    target.dump(df)
    pd.testing.assert_frame_equal(target.load(), df)


# ---- load ----


def test_load_none_dict_list_nested():
    _materialize(IoLeaf(v=1), IoLeaf(v=2), IoLeaf(v=3))
    assert IoDictReq().load() == {'first': 1, 'second': 2}
    assert IoListReq().load() == [1, 2]
    assert IoNestedReq().load() == {'a': [1, 2], 'b': 3}


def test_load_by_key():
    _materialize(IoLeaf(v=1), IoLeaf(v=2))
    assert IoDictReq().load('second') == 2


def test_load_by_key_needs_dict_input():
    _materialize(IoLeaf(v=1), IoLeaf(v=2))
    with pytest.raises(AssertionError):
        IoListReq().load('first')


def test_load_by_task():
    _materialize(IoLeaf(v=1), IoLeaf(v=2))
    task = IoListReq()
    assert task.load(IoLeaf(v=2)) == 2
    assert task.load([IoLeaf(v=2), IoLeaf(v=1)]) == [2, 1]
    assert task.load((IoLeaf(v=1),)) == [1]


def test_load_task_not_in_requires():
    with pytest.raises(AssertionError) as info:
        IoListReq().load(IoLeaf(v=7))
    assert str(info.value) == f'{IoLeaf(v=7)} should be in requires method'


def test_load_by_target():
    leaf = IoLeaf(v=5)
    leaf.run()
    assert IoListReq().load(leaf.output()) == 5


def test_load_plain_luigi_input_has_no_load():
    class IoPlainExt(luigi.ExternalTask):
        def output(self):
            return luigi.LocalTarget('plain.txt')

    class IoUsesPlain(gokart.TaskOnKart):
        def requires(self):
            return IoPlainExt()

    with open('plain.txt', 'w') as f:
        f.write('hello')
    task = IoUsesPlain()
    with pytest.raises(AttributeError):
        task.load()
    with task.input().open() as f:
        assert f.read() == 'hello'


def test_load_generator_yields_loaded_values_for_dict_inputs_q3():
    _materialize(IoLeaf(v=1), IoLeaf(v=2), IoLeaf(v=3))
    assert list(IoDictReq().load_generator()) == [1, 2]
    assert list(IoListReq().load_generator()) == [1, 2]
    assert list(IoNestedReq().load_generator()) == [1, 2, 3]
    assert list(IoDictReq().load_generator('first')) == [1]


def test_load_generator_is_lazy():
    task = IoListReq()
    IoLeaf(v=1).run()
    gen = task.load_generator()
    assert next(gen) == 1
    with pytest.raises(FileNotFoundError):
        next(gen)


# ---- load_data_frame (an extra: removed from gokart in 1.10.0, see docs/compat.md) ----


class IoFrames(gokart.TaskOnKart):
    task_namespace = 'io_frames'

    def requires(self):
        return [IoFrame(rows=2), IoFrame(rows=3)]


class IoOneFrame(gokart.TaskOnKart):
    task_namespace = 'io_frames'

    def requires(self):
        return IoFrame(rows=2)


class IoEmptyFrame(gokart.TaskOnKart):
    task_namespace = 'io_frames'

    def run(self):
        self.dump(pd.DataFrame())


class IoUsesEmpty(gokart.TaskOnKart):
    task_namespace = 'io_frames'

    def requires(self):
        return IoEmptyFrame()


def test_load_data_frame_single_and_concat():
    _materialize(IoFrame(rows=2), IoFrame(rows=3))
    one = IoOneFrame().load_data_frame()
    pd.testing.assert_frame_equal(one, pd.DataFrame({'a': [0, 1], 'b': ['x', 'x']}))
    both = IoFrames().load_data_frame()
    assert len(both) == 5
    assert list(both['a']) == [0, 1, 0, 1, 2]


def test_load_data_frame_required_and_drop_columns():
    _materialize(IoFrame(rows=2))
    kept = IoOneFrame().load_data_frame(required_columns={'a'}, drop_columns=True)
    assert list(kept.columns) == ['a']
    not_dropped = IoOneFrame().load_data_frame(required_columns={'a'})
    assert list(not_dropped.columns) == ['a', 'b']
    with pytest.raises(ValueError, match='zz'):
        IoOneFrame().load_data_frame(required_columns={'a', 'zz'})


def test_load_data_frame_empty_frame_with_required_columns():
    IoEmptyFrame().run()
    frame = IoUsesEmpty().load_data_frame(required_columns={'b', 'a'})
    assert frame.empty
    assert set(frame.columns) == {'a', 'b'}
    assert IoUsesEmpty().load_data_frame().empty


# ---- dump ----


def test_dump_passes_exactly_the_documented_keywords():
    task = IoDictReq()
    target = mock.MagicMock()
    task.dump('obj', target, custom_labels={'k': 'v'})
    target.dump.assert_called_once()
    args, kwargs = target.dump.call_args
    assert args == ('obj',)
    assert set(kwargs) == {'lock_at_dump', 'task_params', 'custom_labels', 'required_task_outputs'}
    assert kwargs['lock_at_dump'] is True
    assert kwargs['custom_labels'] == {'k': 'v'}
    assert kwargs['task_params'] == {}
    assert kwargs['required_task_outputs'] == {
        'first': RequiredTaskOutput(task_name='IoLeaf', output_path=IoLeaf(v=1).output().path()),
        'second': RequiredTaskOutput(task_name='IoLeaf', output_path=IoLeaf(v=2).output().path()),
    }


def test_dump_task_params_are_significant_public_only():
    from luigi.parameter import ParameterVisibility

    class IoVis(gokart.TaskOnKart):
        pub = luigi.Parameter(default='p')
        hid = luigi.Parameter(default='h', visibility=ParameterVisibility.HIDDEN)
        pri = luigi.Parameter(default='r', visibility=ParameterVisibility.PRIVATE)
        ins = luigi.Parameter(default='i', significant=False)

    target = mock.MagicMock()
    IoVis().dump(1, target)
    assert target.dump.call_args.kwargs['task_params'] == {'pub': 'p'}
    assert target.dump.call_args.kwargs['required_task_outputs'] == []


def test_dump_default_target_and_str_key():
    class IoMultiOut(gokart.TaskOnKart):
        def output(self):
            return {'x': self.make_target('x.pkl'), 'y': self.make_target('y.pkl')}

    task = IoMultiOut()
    task.dump(10, 'x')
    task.dump(20, 'y')
    assert task.output()['x'].load() == 10
    assert task.output()['y'].load() == 20
    with pytest.raises(AssertionError):
        task.dump(30)


def test_dump_str_key_needs_dict_output():
    with pytest.raises(AssertionError):
        IoLeaf().dump(1, 'x')


def test_dump_then_load_default_output():
    task = IoLeaf(v=4)
    task.dump({'a': 1})
    assert task.output().load() == {'a': 1}
    assert os.path.exists(task.output().path())


def test_fail_on_empty_dump():
    with pytest.raises(gokart.errors.EmptyDumpError):
        IoFrame(fail_on_empty_dump=True).dump(pd.DataFrame())
    IoFrame(fail_on_empty_dump=True).dump(pd.DataFrame({'a': [1]}))
    IoFrame(rows=7).dump(pd.DataFrame())  # allowed by default
    assert IoFrame(rows=7).output().load().empty
    IoFrame(rows=8, fail_on_empty_dump=True).dump([])  # only empty DataFrames fail


def test_dataframe_dump_of_a_task_without_namespace():
    class IoNoNamespaceFrame(gokart.TaskOnKart):
        pass

    IoNoNamespaceFrame().dump(pd.DataFrame({'a': [1]}))
    assert list(IoNoNamespaceFrame().output().load()['a']) == [1]


def test_empty_dump_error_is_exported_from_task_module():
    from gokart.task import EmptyDumpError

    assert EmptyDumpError is gokart.errors.EmptyDumpError


def test_dump_checks_pandas_type_config():
    class IoTypeCfg(gokart.PandasTypeConfig):
        task_namespace = 'io_typed'

        @classmethod
        def type_dict(cls):
            return {'a': int}

    class IoTyped(gokart.TaskOnKart):
        task_namespace = 'io_typed'

    with pytest.raises(gokart.pandas_type_config.PandasTypeError):
        IoTyped().dump(pd.DataFrame({'a': ['s']}))
    IoTyped().dump(pd.DataFrame({'a': [1]}))


def test_dump_with_plain_luigi_dependency_q18():
    class IoPlainDep(luigi.ExternalTask):
        def output(self):
            return luigi.LocalTarget('dep.txt')

    class IoDumpsWithPlainDep(gokart.TaskOnKart):
        def requires(self):
            return {'plain': IoPlainDep(), 'kart': IoLeaf()}

    target = mock.MagicMock()
    IoDumpsWithPlainDep().dump(1, target)
    outputs = target.dump.call_args.kwargs['required_task_outputs']
    assert outputs['plain'] == RequiredTaskOutput(task_name='IoPlainDep', output_path='dep.txt')
    assert outputs['kart'] == RequiredTaskOutput(task_name='IoLeaf', output_path=IoLeaf().output().path())
    IoDumpsWithPlainDep().dump(2)
    assert IoDumpsWithPlainDep().output().load() == 2


def test_taskonkart_dump_is_patchable():
    with mock.patch('gokart.TaskOnKart.dump') as patched:
        IoLeaf().run()
    patched.assert_called_once_with(1)
