"""TaskOnKart's built-in parameters, [TaskOnKart] injection, value precedence, the command line,
and the per-class cache of resolved defaults (it must follow every config/command-line change)."""

from __future__ import annotations

import luigi
import luigi.configuration
import pytest
from luigi.cmdline_parser import CmdlineParser

import gokart
from gokart.parameter import ExplicitBoolParameter

# gokart 1.12.2's built-in parameters: (name, luigi/gokart parameter class, default, serialized default)
BUILTINS = [
    ('workspace_directory', luigi.Parameter, './resources/', './resources/'),
    ('local_temporary_directory', luigi.Parameter, './resources/tmp/', './resources/tmp/'),
    ('rerun', luigi.BoolParameter, False, 'False'),
    ('strict_check', luigi.BoolParameter, False, 'False'),
    ('modification_time_check', luigi.BoolParameter, False, 'False'),
    ('serialized_task_definition_check', luigi.BoolParameter, False, 'False'),
    ('delete_unnecessary_output_files', luigi.BoolParameter, False, 'False'),
    ('significant', luigi.BoolParameter, True, 'True'),
    (
        'fix_random_seed_methods',
        luigi.ListParameter,
        ('random.seed', 'numpy.random.seed'),
        '["random.seed", "numpy.random.seed"]',
    ),
    ('fix_random_seed_value', luigi.IntParameter, -42497368, '-42497368'),
    ('redis_host', luigi.OptionalParameter, None, ''),
    ('redis_port', luigi.OptionalIntParameter, None, ''),
    ('redis_timeout', luigi.IntParameter, 180, '180'),
    ('fail_on_empty_dump', ExplicitBoolParameter, False, 'False'),
    ('store_index_in_feather', ExplicitBoolParameter, True, 'True'),
    ('cache_unique_id', ExplicitBoolParameter, True, 'True'),
    ('should_dump_supplementary_log_files', ExplicitBoolParameter, True, 'True'),
    ('complete_check_at_run', ExplicitBoolParameter, True, 'True'),
    ('should_lock_run', ExplicitBoolParameter, False, 'False'),
]
BUILTIN_NAMES = [b[0] for b in BUILTINS]


@pytest.fixture(autouse=True)
def _restore_config_paths(monkeypatch):
    # gokart.add_config appends to a class-level list the shared isolation fixture does not restore
    monkeypatch.setattr(
        luigi.configuration.LuigiConfigParser,
        '_config_paths',
        list(luigi.configuration.LuigiConfigParser._config_paths),
    )


def _config():
    return luigi.configuration.get_config()


def _set(section, key, value):
    conf = _config()
    if not conf.has_section(section):
        conf.add_section(section)
    conf.set(section, key, value)


class BpPlain(gokart.TaskOnKart):
    pass


class BpWithUserParams(gokart.TaskOnKart):
    alpha = luigi.IntParameter(default=1)
    beta = luigi.Parameter(default='b')


def test_builtin_parameter_names_and_order():
    assert [name for name, _ in BpPlain.get_params()] == BUILTIN_NAMES


def test_user_parameters_follow_builtins_in_to_str_params_and_get_params():
    assert [name for name, _ in BpWithUserParams.get_params()] == [*BUILTIN_NAMES, 'alpha', 'beta']
    assert list(BpWithUserParams().to_str_params()) == [*BUILTIN_NAMES, 'alpha', 'beta']


@pytest.mark.parametrize(('name', 'kind', 'default', 'serialized'), BUILTINS, ids=BUILTIN_NAMES)
def test_builtin_parameter_class_default_and_serialization(name, kind, default, serialized):
    param = dict(BpPlain.get_params())[name]
    assert type(param) is kind
    assert param.significant is False
    task = BpPlain()
    assert getattr(task, name) == default
    assert task.to_str_params()[name] == serialized


def test_builtins_never_enter_the_id_or_significant_params():
    assert BpPlain().to_str_params(only_significant=True) == {}
    # worked example E1: bare TaskOnKart id
    assert gokart.TaskOnKart().make_unique_id() == '7757badf81370beccb26f204c5bddba5'
    assert (
        BpPlain(workspace_directory='./other/', rerun=True, redis_timeout=30).make_unique_id()
        == BpPlain().make_unique_id()
    )


def test_magic_number_constant():
    assert gokart.TaskOnKart.FIX_RANDOM_SEED_VALUE_NONE_MAGIC_NUMBER == -42497368


def test_priority_is_a_fresh_random_float_on_every_access():
    task = BpPlain()
    values = {task.priority for _ in range(50)}
    assert all(isinstance(v, float) and 0.0 <= v < 1.0 for v in values)
    assert len(values) > 1


# ---- [TaskOnKart] injection and precedence ----


class BpIntermediate(gokart.TaskOnKart):
    mid = luigi.Parameter(default='base')


class BpCfgT(BpIntermediate):
    own = luigi.Parameter(default='leaf')
    n = luigi.IntParameter(default=1)


def test_taskonkart_section_injects_builtins_and_own_params_parsed():
    _set('TaskOnKart', 'workspace_directory', './ws_tok/')
    _set('TaskOnKart', 'redis_timeout', '33')
    _set('TaskOnKart', 'rerun', 'true')
    _set('TaskOnKart', 'own', 'cfg_own')
    _set('TaskOnKart', 'n', '5')
    task = BpCfgT()
    assert task.workspace_directory == './ws_tok/'
    assert task.redis_timeout == 33
    assert task.rerun is True
    assert task.own == 'cfg_own'
    assert task.n == 5


def test_params_defined_only_on_an_intermediate_base_are_not_injected_q24():
    _set('TaskOnKart', 'mid', 'from_tok')
    assert BpCfgT().mid == 'base'
    # ... but the class that defines it does get it
    assert BpIntermediate().mid == 'from_tok'


def test_explicit_kwargs_beat_taskonkart_section():
    _set('TaskOnKart', 'workspace_directory', './ws_tok/')
    _set('TaskOnKart', 'own', 'cfg_own')
    task = BpCfgT(workspace_directory='./kw/', own='kw')
    assert (task.workspace_directory, task.own) == ('./kw/', 'kw')


def test_taskonkart_section_beats_family_section_other_family_keys_apply():
    _set('TaskOnKart', 'workspace_directory', './ws_tok/')
    _set('BpCfgT', 'workspace_directory', './ws_cls/')
    _set('BpCfgT', 'n', '7')
    _set('BpCfgT', 'mid', 'cls_mid')
    task = BpCfgT()
    assert task.workspace_directory == './ws_tok/'
    assert task.n == 7
    # docs/compat.md Q24 concerns only [TaskOnKart]; luigi's own [Family] lookup still works
    assert task.mid == 'cls_mid'
    assert task.output().path().startswith('./ws_tok/')


def test_family_section_without_taskonkart_section():
    _set('BpCfgT', 'workspace_directory', './ws_cls/')
    assert BpCfgT().workspace_directory == './ws_cls/'


def test_add_config_file(tmp_path):
    cfg = tmp_path / 'my.cfg'
    cfg.write_text('[TaskOnKart]\nworkspace_directory = ./from_file/\n\n[BpCfgT]\nn = 11\n')
    gokart.add_config(str(cfg))
    task = BpCfgT()
    assert task.workspace_directory == './from_file/'
    assert task.n == 11


def test_add_config_missing_file_asserts(tmp_path):
    # luigi warns about the missing file, then gokart's assert fails.
    with pytest.warns(UserWarning, match='Config file does not exist'), pytest.raises(AssertionError):
        gokart.add_config(str(tmp_path / 'nope.cfg'))


# ---- command line ----


def test_family_param_on_the_command_line():
    with CmdlineParser.global_instance(['BpPlain', '--BpCfgT-n', '9', '--BpCfgT-own', 'cli']):
        task = BpCfgT()
    assert (task.n, task.own) == (9, 'cli')


def test_root_task_cli_args_beat_taskonkart_section_and_cli_family_params_lose_to_it():
    class BpRoot(gokart.TaskOnKart):
        bp_root_own = luigi.Parameter(default='leaf')
        bp_root_num = luigi.IntParameter(default=1)

    _set('TaskOnKart', 'bp_root_own', 'cfg_own')
    _set('TaskOnKart', 'workspace_directory', './ws_tok/')
    with CmdlineParser.global_instance(['BpRoot', '--bp-root-own', 'cli_root', '--bp-root-num', '3']) as cp:
        root = cp.get_task_obj()
    assert (root.bp_root_own, root.bp_root_num) == ('cli_root', 3)
    assert root.workspace_directory == './ws_tok/'
    with CmdlineParser.global_instance(
        ['BpPlain', '--BpRoot-bp-root-own', 'cli_family', '--BpRoot-workspace-directory', './cliws/']
    ):
        other = BpRoot()
    assert other.bp_root_own == 'cfg_own'
    assert other.workspace_directory == './ws_tok/'


def test_cli_beats_family_section():
    _set('BpCfgT', 'n', '7')
    with CmdlineParser.global_instance(['BpPlain', '--BpCfgT-n', '9']):
        assert BpCfgT().n == 9
    assert BpCfgT().n == 7


# ---- resolved-defaults cache invalidation ----


def test_family_section_appearing_later_changes_the_value():
    assert BpCfgT().n == 1
    _set('BpCfgT', 'n', '4')
    assert BpCfgT().n == 4
    _config().remove_section('BpCfgT')
    assert BpCfgT().n == 1


def test_config_value_changed_between_constructions():
    _set('BpCfgT', 'n', '4')
    assert BpCfgT().n == 4
    _set('BpCfgT', 'n', '5')
    assert BpCfgT().n == 5


def test_config_instance_reset_changes_the_value(tmp_path):
    cfg = tmp_path / 'a.cfg'
    cfg.write_text('[BpCfgT]\nn = 21\n')
    assert BpCfgT().n == 1
    gokart.add_config(str(cfg))
    assert BpCfgT().n == 21
    luigi.configuration.LuigiConfigParser._config_paths.remove(str(cfg))
    luigi.configuration.LuigiConfigParser._instance = None
    assert BpCfgT().n == 1


def test_default_section_alone_does_not_set_task_params(tmp_path):
    # gokart 1.12.2 / luigi 3.8.1 (run as a black box): [DEFAULT] keys do not reach a task without its section
    cfg = tmp_path / 'd.cfg'
    cfg.write_text('[DEFAULT]\nn = 12\n')
    gokart.add_config(str(cfg))
    assert BpCfgT().n == 1


def test_cmdline_context_then_without():
    assert BpCfgT().n == 1
    with CmdlineParser.global_instance(['BpPlain', '--BpCfgT-n', '9']):
        assert BpCfgT().n == 9
    assert BpCfgT().n == 1
    with CmdlineParser.global_instance(['BpPlain', '--BpCfgT-n', '8']):
        assert BpCfgT().n == 8
    with CmdlineParser.global_instance(['BpPlain']):
        assert BpCfgT().n == 1


def test_config_path_parameter_follows_config():
    class BpWithConfigPath(gokart.TaskOnKart):
        v = luigi.Parameter(default='d', config_path={'section': 'elsewhere', 'name': 'vv'})

    assert BpWithConfigPath().v == 'd'
    _set('elsewhere', 'vv', 'from_elsewhere')
    with pytest.warns(DeprecationWarning, match=r'^The use of the configuration \[elsewhere\] vv is deprecated'):
        assert BpWithConfigPath().v == 'from_elsewhere'


def test_parameter_added_to_class_later_is_seen():
    class BpGrows(gokart.TaskOnKart):
        a = luigi.IntParameter(default=1)

    assert [n for n, _ in BpGrows.get_params()][-1] == 'a'
    param = luigi.IntParameter(default=2)
    param.__set_name__(BpGrows, 'b')
    BpGrows.b = param
    assert BpGrows().b == 2
    assert BpGrows().to_str_params(only_significant=True) == {'a': '1', 'b': '2'}


def test_defaults_cache_is_per_family():
    class BpLeft(gokart.TaskOnKart):
        n = luigi.IntParameter(default=1)

    class BpRight(gokart.TaskOnKart):
        n = luigi.IntParameter(default=2)

    _set('BpLeft', 'n', '10')
    assert (BpLeft().n, BpRight().n) == (10, 2)
    with CmdlineParser.global_instance(['BpPlain', '--BpRight-n', '20']):
        assert (BpLeft().n, BpRight().n) == (10, 20)


def test_namespaced_family_section():
    class BpNsCfg(gokart.TaskOnKart):
        task_namespace = 'nsx'
        n = luigi.IntParameter(default=1)

    _set('nsx.BpNsCfg', 'n', '6')
    assert BpNsCfg().n == 6


class OverridingInit(gokart.TaskOnKart):
    x = luigi.IntParameter(default=1)

    def __init__(self, *args, **kwargs):
        kwargs['x'] = kwargs.get('x', 1) * 10
        super().__init__(*args, **kwargs)


def test_subclass_init_that_rewrites_kwargs_is_honoured():
    # The values resolved before __init__ must not override what a subclass passes to super().__init__.
    assert OverridingInit(x=2).x == 20
    assert OverridingInit().x == 10
