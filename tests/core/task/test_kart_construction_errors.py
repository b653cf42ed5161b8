"""Construction errors name the task and the parameter, with luigi's / gokart 1.12.2's types and messages.
Expected messages were taken from gokart 1.12.2 run as a black box."""

from __future__ import annotations

import re

import luigi
import luigi.configuration
import pytest
from luigi.cmdline_parser import CmdlineParser
from luigi.parameter import DuplicateParameterException, MissingParameterException, UnknownParameterException

import gokart


class CeA(gokart.TaskOnKart):
    x = luigi.IntParameter()


class CeB(gokart.TaskOnKart):
    a = gokart.TaskInstanceParameter(expected_type=CeA)


class CeL(gokart.TaskOnKart):
    ts = gokart.ListTaskInstanceParameter(expected_elements_type=CeA)


class CeO(gokart.TaskOnKart):  # noqa: E742
    pass


class CePos(gokart.TaskOnKart):
    p = luigi.IntParameter(positional=True)


def _set(section, key, value):
    conf = luigi.configuration.get_config()
    if not conf.has_section(section):
        conf.add_section(section)
    conf.set(section, key, value)


def test_unknown_parameter():
    with pytest.raises(UnknownParameterException) as info:
        CeA(x=1, y=2)
    assert str(info.value) == "CeA[args=(), kwargs={'x': 1, 'y': 2}]: unknown parameter y"


def test_missing_parameter():
    with pytest.raises(MissingParameterException) as info:
        CeA()
    assert str(info.value) == "CeA[args=(), kwargs={}]: requires the 'x' parameter to be set"


def test_positional_args_fill_the_builtins_first():
    # luigi parameters are positional by default, so positional args land on workspace_directory, ...
    with pytest.raises(MissingParameterException) as info:
        CeA('1', '2')
    assert str(info.value) == "CeA[args=('1', '2'), kwargs={}]: requires the 'x' parameter to be set"
    with pytest.raises(
        MissingParameterException, match=r"^CePos\[args=\('3',\), kwargs=\{\}\]: requires the 'p' parameter to be set$"
    ):
        CePos('3')
    task = CePos('./ws/', p=4)
    assert (task.workspace_directory, task.p) == ('./ws/', 4)
    assert task.make_unique_id() == '31e06e76cff96bfcfe669f61a271ac38'


def test_too_many_positional_args():
    n_positional = len([p for _, p in CeA.get_params() if p.positional])
    args = tuple(str(i) for i in range(n_positional + 1))
    with pytest.raises(
        UnknownParameterException, match=rf'takes at most {n_positional} parameters \({n_positional + 1} given\)$'
    ):
        CeA(*args)


def test_duplicate_parameter():
    with pytest.raises(
        DuplicateParameterException, match=r'parameter workspace_directory was already set as a positional parameter$'
    ):
        CeA('./ws/', workspace_directory='./other/', x=1)


def test_missing_parameter_from_namespaced_task():
    class CeNsReq(gokart.TaskOnKart):
        task_namespace = 'nsq'
        v = luigi.Parameter()

    with pytest.raises(
        MissingParameterException,
        match=r"^nsq\.CeNsReq\[args=\(\), kwargs=\{\}\]: requires the 'v' parameter to be set$",
    ):
        CeNsReq()


def test_malformed_value_from_family_config_section():
    _set('CeA', 'x', 'abc')
    with pytest.raises(ValueError) as info:
        CeA()
    assert str(info.value) == "CeA[args=(), kwargs={}]: Error when parsing the default value of 'x'"
    assert isinstance(info.value.__cause__, ValueError)
    assert "invalid literal for int() with base 10: 'abc'" in str(info.value.__cause__)
    # an explicit value means the malformed default is never parsed
    assert CeA(x=4).x == 4


def test_malformed_value_from_command_line():
    with CmdlineParser.global_instance(['CeO', '--CeA-x', 'abc']):
        with pytest.raises(ValueError) as info:
            CeA()
        assert str(info.value) == "CeA[args=(), kwargs={}]: Error when parsing the default value of 'x'"
        assert "invalid literal for int() with base 10: 'abc'" in str(info.value.__cause__)


def test_malformed_command_line_value_is_ignored_when_the_parameter_is_given():
    # luigi resolves defaults only for parameters not given explicitly (gokart 1.12.2: CeA(x=3) constructs)
    with CmdlineParser.global_instance(['CeO', '--CeA-x', 'abc']):
        assert CeA(x=3).x == 3
        assert CeA(x=3).make_unique_id() == 'c270eed3abdeb72eda13b9d3354d1935'


def test_malformed_default_message_repeats_on_every_construction():
    with CmdlineParser.global_instance(['CeO', '--CeA-x', 'abc']):
        for _ in range(2):
            with pytest.raises(
                ValueError, match=r"^CeA\[args=\(\), kwargs=\{\}\]: Error when parsing the default value of 'x'$"
            ):
                CeA()


def test_malformed_value_in_taskonkart_section():
    _set('TaskOnKart', 'redis_timeout', 'abc')
    with pytest.raises(ValueError, match=r"invalid literal for int\(\) with base 10: 'abc'"):
        CeO()


def test_task_instance_parameter_wrong_task_type():
    with pytest.raises(TypeError) as info:
        CeB(a=CeO())
    assert str(info.value) == f'{CeO()!s} is not an instance of {CeA!r}'
    assert str(info.value).startswith('CeO[14694ebaf7c9164b5116710bdbc0cf9f]() is not an instance of <class ')


def test_task_instance_parameter_non_task_value():
    with pytest.raises(TypeError, match=r"^3 is not an instance of <class '.*\.CeA'>$"):
        CeB(a=3)


def test_list_task_instance_parameter_wrong_element_type():
    with pytest.raises(TypeError) as info:
        CeL(ts=[CeA(x=1), CeO()])
    assert str(info.value) == f'{CeO()} is not an instance of {CeA}'


def test_default_expected_type_is_taskonkart():
    class CeAnyChild(gokart.TaskOnKart):
        c = gokart.TaskInstanceParameter()

    class CePlain(luigi.Task):
        pass

    assert CeAnyChild(c=CeO()).c == CeO()
    with pytest.raises(TypeError, match=re.escape(f'is not an instance of {gokart.TaskOnKart}')):
        CeAnyChild(c=CePlain())


def test_expected_type_must_be_a_type():
    with pytest.raises(TypeError, match=r"^expected_type must be a type, not <class 'int'>$"):
        gokart.TaskInstanceParameter(expected_type=3)
    with pytest.raises(TypeError, match=r"^expected_elements_type must be a type, not <class 'int'>$"):
        gokart.ListTaskInstanceParameter(expected_elements_type=3)


def test_list_task_instance_parameter_stores_a_tuple():
    task = CeL(ts=[CeA(x=1), CeA(x=2)])
    assert task.ts == (CeA(x=1), CeA(x=2))
    assert isinstance(task.ts, tuple)


def test_should_lock_run_requires_host_and_port():
    with pytest.raises(AssertionError, match=r'^redis_host must be set when should_lock_run is True\.$'):
        CeO(should_lock_run=True)
    with pytest.raises(AssertionError, match=r'^redis_port must be set when should_lock_run is True\.$'):
        CeO(should_lock_run=True, redis_host='localhost')
