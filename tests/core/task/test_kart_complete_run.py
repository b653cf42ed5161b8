"""complete() (rerun, strict_check, modification_time_check), clone(), the run
wrappers, and gokart's own parameter classes (ExplicitBool, Serializable, ZonedDateSecond)."""

from __future__ import annotations

import datetime
import logging
import os
import warnings

import luigi
import pytest
from luigi.cmdline_parser import CmdlineParser

import gokart
from gokart.task_complete_check import task_complete_check_wrapper


class CrLeaf(gokart.TaskOnKart):
    v = luigi.IntParameter(default=1)
    calls: list = []

    def run(self):
        type(self).calls.append(self.v)
        self.dump(self.v)


class CrDown(gokart.TaskOnKart):
    child = gokart.TaskInstanceParameter()

    def run(self):
        self.dump(self.load() + 1)


class CrMultiOut(gokart.TaskOnKart):
    def output(self):
        return {'a': self.make_target('a.pkl'), 'b': self.make_target('b.pkl')}


class CrNoOutput(gokart.TaskOnKart):
    def output(self):
        return []


@pytest.fixture(autouse=True)
def _reset_calls():
    CrLeaf.calls = []


def _set_mtime(target, seconds):
    os.utime(target.path(), (seconds, seconds))


# ---- complete() ----


def test_complete_follows_output_existence():
    task = CrLeaf()
    assert task.complete() is False
    task.dump(1)
    assert task.complete() is True


def test_complete_all_outputs_must_exist():
    task = CrMultiOut()
    task.dump(1, 'a')
    assert task.complete() is False
    task.dump(2, 'b')
    assert task.complete() is True


def test_no_outputs_is_complete():
    assert CrNoOutput().complete() is True


def test_rerun_removes_outputs_once_per_instance_q9():
    task = CrLeaf(v=3)
    task.dump(3)
    rerun = CrLeaf(v=3, rerun=True)
    assert rerun.complete() is False
    assert not os.path.exists(rerun.output().path())
    rerun.dump(3)
    assert rerun.complete() is True
    # the instance cache hands back the same instance, whose rerun flag is spent
    again = CrLeaf(v=3, rerun=True)
    assert again is rerun
    assert again.complete() is True


def test_rerun_with_gokart_build_runs_once():
    gokart.build(CrLeaf(v=4), log_level=logging.CRITICAL)
    assert CrLeaf.calls == [4]
    gokart.build(CrLeaf(v=4, rerun=True), log_level=logging.CRITICAL)
    assert CrLeaf.calls == [4, 4]
    gokart.build(CrLeaf(v=4, rerun=True), log_level=logging.CRITICAL)
    assert CrLeaf.calls == [4, 4]


def test_without_checks_downstream_ignores_missing_upstream():
    down = CrDown(child=CrLeaf(v=5))
    down.dump(6)
    assert down.complete() is True


def test_strict_check_requires_complete_dependencies_and_existing_inputs():
    down = CrDown(child=CrLeaf(v=5), strict_check=True)
    down.dump(6)
    assert down.complete() is False
    CrLeaf(v=5).dump(5)
    assert down.complete() is True


def test_modification_time_check():
    leaf = CrLeaf(v=6)
    down = CrDown(child=leaf, modification_time_check=True)
    leaf.dump(6)
    down.dump(7)
    _set_mtime(leaf.output(), 1_000_000)
    _set_mtime(down.output(), 2_000_000)
    assert down.complete() is True
    _set_mtime(down.output(), 1_000_000)
    assert down.complete() is True  # equal mtimes are fine
    _set_mtime(leaf.output(), 3_000_000)
    assert down.complete() is False


def test_modification_time_check_needs_everything_present():
    leaf = CrLeaf(v=7)
    down = CrDown(child=leaf, modification_time_check=True)
    down.dump(8)
    assert down.complete() is False


def test_modification_time_check_without_inputs():
    task = CrLeaf(v=8, modification_time_check=True)
    task.dump(8)
    assert task.complete() is True


def test_modification_time_check_ignores_shared_paths():
    class CrShared(gokart.TaskOnKart):
        child = gokart.TaskInstanceParameter()

        def output(self):
            return {'shared': self.child.output(), 'own': self.make_target('own.pkl')}

    leaf = CrLeaf(v=9)
    task = CrShared(child=leaf, modification_time_check=True)
    leaf.dump(9)
    task.dump(1, 'own')
    _set_mtime(leaf.output(), 5_000_000)
    _set_mtime(task.output()['own'], 1_000_000)
    # the only input is also an output, so no input mtime is compared
    assert task.complete() is True


# ---- clone() ----


class CrCloneSrc(gokart.TaskOnKart):
    a = luigi.IntParameter(default=1)
    b = luigi.IntParameter(default=2)


class CrCloneDst(gokart.TaskOnKart):
    a = luigi.IntParameter(default=1)


def test_clone_copies_params_but_not_rerun_and_check_flags():
    task = CrCloneSrc(
        a=5, rerun=True, strict_check=True, modification_time_check=True, workspace_directory='./w/', redis_timeout=30
    )
    cloned = task.clone()
    assert (cloned.a, cloned.b, cloned.workspace_directory, cloned.redis_timeout) == (5, 2, './w/', 30)
    assert (cloned.rerun, cloned.strict_check, cloned.modification_time_check) == (False, False, False)
    explicit = task.clone(rerun=True, strict_check=True)
    assert (explicit.rerun, explicit.strict_check, explicit.modification_time_check) == (True, True, False)


def test_clone_to_other_class():
    task = CrCloneSrc(a=5, rerun=True, workspace_directory='./w/')
    other = task.clone(CrCloneDst)
    assert type(other) is CrCloneDst
    assert (other.a, other.workspace_directory, other.rerun) == (5, './w/', False)
    assert task.clone(CrCloneDst, a=9).a == 9


# ---- run wrappers ----


def test_complete_check_at_run_skips_with_warning(caplog):
    task = CrLeaf(v=10)
    task.dump(10)
    with caplog.at_level(logging.WARNING, logger='gokart.task_complete_check'):
        assert task.run() is None
    assert CrLeaf.calls == []
    records = [r for r in caplog.records if r.name == 'gokart.task_complete_check']
    assert [(r.levelno, r.getMessage()) for r in records] == [
        (logging.WARNING, 'run is skipped because the task is already completed.')
    ]


def test_complete_check_at_run_runs_when_incomplete():
    task = CrLeaf(v=11)
    task.run()
    assert CrLeaf.calls == [11]
    assert task.run.__wrapped__.__func__ is CrLeaf.run
    assert task.run.__name__ == 'run'


def test_complete_check_at_run_disabled():
    task = CrLeaf(v=12, complete_check_at_run=False)
    task.dump(12)
    assert not hasattr(task.run, '__wrapped__')
    task.run()
    assert CrLeaf.calls == [12]


def test_task_complete_check_wrapper_passes_args():
    def run(x, y=0):
        return x + y

    wrapped = task_complete_check_wrapper(run_func=run, complete_check_func=lambda: False)
    assert wrapped(1, y=2) == 3
    assert wrapped.__wrapped__ is run
    assert task_complete_check_wrapper(run_func=run, complete_check_func=lambda: True)(1) is None


def test_should_lock_run_wraps_run_and_disables_dump_lock():
    task = CrLeaf(v=13, should_lock_run=True, redis_host='localhost', redis_port=6379)
    assert task._lock_at_dump is False
    assert CrLeaf(v=13)._lock_at_dump is True
    # outermost wrapper is the lock, the complete check is inside it
    assert task.run.__wrapped__ is not None


# ---- ExplicitBoolParameter ----


class CrFlag(gokart.TaskOnKart):
    flag = gokart.ExplicitBoolParameter(default=False)


class CrFlagRequired(gokart.TaskOnKart):
    flag = gokart.ExplicitBoolParameter()


@pytest.mark.parametrize(('value', 'expected'), [('true', True), ('True', True), ('false', False), ('False', False)])
def test_explicit_bool_cli_with_value(value, expected):
    with CmdlineParser.global_instance(['CrFlag', '--flag', value]) as cp:
        assert cp.get_task_obj().flag is expected


def test_explicit_bool_cli_default_and_family_flag():
    with CmdlineParser.global_instance(['CrFlag']) as cp:
        assert cp.get_task_obj().flag is False
    with CmdlineParser.global_instance(['CrLeaf', '--CrFlag-flag', 'true']):
        assert CrFlag().flag is True


def test_explicit_bool_bare_flag_is_an_argparse_error(capsys):
    with pytest.raises(SystemExit) as info:
        with CmdlineParser.global_instance(['CrFlag', '--flag']):
            pass
    assert info.value.code == 2


def test_explicit_bool_without_default_is_required():
    with pytest.raises(
        luigi.parameter.MissingParameterException,
        match=r"^CrFlagRequired\[args=\(\), kwargs=\{\}\]: requires the 'flag' parameter to be set$",
    ):
        CrFlagRequired()
    assert CrFlagRequired(flag=True).flag is True


def test_explicit_bool_parse_serialize():
    param = gokart.ExplicitBoolParameter()
    assert param.parse('true') is True
    assert param.parse('False') is False
    assert param.serialize(True) == 'True'
    assert isinstance(param, luigi.BoolParameter)


# ---- SerializableParameter ----


class Point:
    def __init__(self, x, y):
        self.x, self.y = x, y

    def gokart_serialize(self):
        return f'{self.x},{self.y}'

    @classmethod
    def gokart_deserialize(cls, s):
        x, y = s.split(',')
        return cls(int(x), int(y))


class CrSer(gokart.TaskOnKart):
    point = gokart.SerializableParameter(object_type=Point)


def test_serializable_parameter_in_ids_and_cli():
    task = CrSer(point=Point(1, 2))
    assert task.to_str_params(only_significant=True) == {'point': '1,2'}
    param = dict(CrSer.get_params())['point']
    parsed = param.parse('3,4')
    assert (type(parsed), parsed.x, parsed.y) == (Point, 3, 4)
    assert param.serialize(parsed) == '3,4'
    with CmdlineParser.global_instance(['CrSer', '--point', '5,6']) as cp:
        obj = cp.get_task_obj()
    assert (obj.point.x, obj.point.y) == (5, 6)
    assert CrSer(point=Point(1, 2)).make_unique_id() == task.make_unique_id()
    assert CrSer(point=Point(1, 3)).make_unique_id() != task.make_unique_id()


# ---- ZonedDateSecondParameter ----


UTC = datetime.timezone.utc
JST = datetime.timezone(datetime.timedelta(hours=9))


def test_zoned_parse_z_suffix_and_offset():
    param = gokart.ZonedDateSecondParameter()
    assert param.parse('2024-01-02T03:04:05Z') == datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert param.parse('2024-01-02T03:04:05+09:00') == datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=JST)


def test_zoned_parse_naive_warns_and_is_accepted():
    param = gokart.ZonedDateSecondParameter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        value = param.parse('2024-01-02T03:04:05')
    assert value == datetime.datetime(2024, 1, 2, 3, 4, 5)
    assert [(w.category, str(w.message)) for w in caught] == [
        (
            UserWarning,
            'The input does not have timezone information. Please consider using luigi.DateSecondParameter instead.',
        )
    ]


def test_zoned_normalize_and_serialize():
    param = gokart.ZonedDateSecondParameter()
    value = param.normalize(datetime.datetime(2024, 1, 2, 3, 4, 5, 123456, tzinfo=UTC))
    assert value == datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert param.serialize(value) == '2024-01-02T03:04:05+00:00'
    assert param.serialize(datetime.datetime(2024, 1, 2, 3, 4, 5, 7, tzinfo=UTC)) == '2024-01-02T03:04:05.000007+00:00'


def test_zoned_parameter_on_a_task():
    class CrZoned(gokart.TaskOnKart):
        when = gokart.ZonedDateSecondParameter()

    task = CrZoned(when=datetime.datetime(2024, 1, 2, 3, 4, 5, 999, tzinfo=JST))
    assert task.to_str_params(only_significant=True) == {'when': '2024-01-02T03:04:05+09:00'}
    with CmdlineParser.global_instance(['CrZoned', '--when', '2024-01-02T03:04:05Z']) as cp:
        assert cp.get_task_obj().when == datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
