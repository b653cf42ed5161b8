"""Constructions with the same keyword arguments resolve the parameter values once (gokart._kart.resolve
remembered_values): what luigi's instance cache returns, and which values a new instance gets, stay luigi's."""

from __future__ import annotations

import luigi
import luigi.configuration

import gokart
from gokart._kart.register import class_params


class CmNode(gokart.TaskOnKart):
    i = luigi.IntParameter()
    tag = luigi.Parameter(default='x')


class _Counted(luigi.Parameter):
    calls = 0

    def normalize(self, x):
        _Counted.calls += 1
        return x


class CmCounted(gokart.TaskOnKart):
    value = _Counted()


def test_same_arguments_give_luigis_cached_instance():
    first = CmNode(i=1)
    assert CmNode(i=1) is first
    assert CmNode(i=1, tag='x') is first  # the default given explicitly: the same key for luigi
    assert CmNode(i=True) is first  # equal values, another type: luigi's key is equal, so is the instance
    assert CmNode(i=2) is not first and CmNode(i=2).i == 2
    assert class_params(CmNode).memo  # the memo was used


def test_a_cleared_instance_cache_gives_new_instances_with_the_arguments_values():
    first = CmNode(i=5)
    luigi.task_register.Register.clear_instance_cache()
    again = CmNode(i=5.0)
    assert again is not first and type(again.i) is float  # resolved afresh: the value as given, as luigi does
    # the memo went with the cache it served: it keeps nothing for the cleared one
    assert (('i', int, 5),) not in class_params(CmNode).memo
    assert CmNode(i=5) is again


def test_a_user_normalize_runs_on_every_construction_as_in_luigi():
    _Counted.calls = 0
    assert CmCounted(value='a') is CmCounted(value='a')
    assert _Counted.calls == 2


def test_a_config_section_added_later_applies():
    assert CmNode(i=7).tag == 'x'
    config = luigi.configuration.get_config()
    config.add_section('CmNode')
    config.set('CmNode', 'tag', 'from-config')
    try:
        assert CmNode(i=7).tag == 'from-config'
    finally:
        config.remove_section('CmNode')
    assert CmNode(i=7).tag == 'x'


def test_a_class_pickled_by_value_takes_no_table_along(tmp_path):
    # cloudpickle sends __main__ classes by value (Dask, Q60/Q65) with their __dict__: the memo's token once
    # took luigi's instance cache along, and its tasks were rebuilt before the class had its parameters.
    import subprocess
    import sys
    import textwrap

    script = tmp_path / 'by_value.py'
    script.write_text(
        textwrap.dedent("""\
        import pickle, subprocess, sys
        import cloudpickle, luigi, gokart
        class ByValue(gokart.TaskOnKart):
            x = luigi.IntParameter()
        task = ByValue(x=3)
        payload = cloudpickle.dumps(task)
        code = 'import pickle, sys, gokart; print(pickle.loads(sys.stdin.buffer.read()).x)'
        out = subprocess.run([sys.executable, '-c', code], input=payload, capture_output=True, check=True).stdout
        print(out.decode().strip(), len(payload) < 20_000)
        """)
    )
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.split() == ['3', 'True']


class CmOwnValues(gokart.TaskOnKart):
    i = luigi.IntParameter()
    calls = 0

    @classmethod
    def get_param_values(cls, params, args, kwargs):
        CmOwnValues.calls += 1
        return super().get_param_values(params, args, kwargs)


def test_a_user_get_param_values_runs_on_every_construction():
    CmOwnValues.calls = 0
    first = CmOwnValues(i=1)
    assert CmOwnValues(i=1) is first
    assert CmOwnValues.calls >= 2  # once per construction at least: nothing remembered past it


def test_get_param_values_patched_between_constructions_is_asked(monkeypatch):
    first = CmNode(i=21)
    assert CmNode(i=21) is first
    asked = []
    original = CmNode.get_param_values.__func__

    def patched(cls, params, args, kwargs):
        asked.append(kwargs)
        return original(cls, params, args, kwargs)

    monkeypatch.setattr(CmNode, 'get_param_values', classmethod(patched))
    assert CmNode(i=21) is first
    assert asked == [{'i': 21}]


def test_a_new_command_line_resolves_afresh():
    from luigi.cmdline_parser import CmdlineParser

    class CmCli(gokart.TaskOnKart):  # registered here: other tests' builds may reset luigi's register
        i = luigi.IntParameter()
        tag = luigi.Parameter(default='x')

    first = CmCli(i=51)
    assert CmCli(i=51) is first
    with CmdlineParser.global_instance(['CmCli', '--CmCli-tag', 'from-cli']):
        on_cli = CmCli(i=51)
        assert on_cli.tag == 'from-cli' and on_cli is not first
        assert CmCli(i=51) is on_cli
    assert CmCli(i=51) is first


def test_a_config_replaced_inside_a_build_session_applies(monkeypatch):
    from gokart._kart.session import build_session

    with build_session():
        first = CmNode(i=61)
        assert CmNode(i=61) is first
        replaced = luigi.configuration.LuigiConfigParser()
        replaced.add_section('CmNode')
        replaced.set('CmNode', 'tag', 'replaced')
        monkeypatch.setattr(luigi.configuration, 'get_config', lambda *args, **kwargs: replaced)
        assert CmNode(i=61).tag == 'replaced'
