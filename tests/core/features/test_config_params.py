import luigi

from gokart.config_params import inherits_config_params


class Settings(luigi.Config):
    a = luigi.IntParameter(default=1)
    b = luigi.Parameter(default='from_config')
    c = luigi.Parameter(default='unused')


def _decorated():
    @inherits_config_params(Settings, parameter_alias={'b': 'bb'})
    class Consumer(luigi.Task):
        a = luigi.IntParameter()
        bb = luigi.Parameter()
        d = luigi.Parameter(default='d')

    return Consumer


def test_fills_missing_parameters_with_alias():
    consumer = _decorated()
    task = consumer()
    assert (task.a, task.bb, task.d) == (1, 'from_config', 'd')
    assert not hasattr(task, 'c')


def test_explicit_values_win():
    consumer = _decorated()
    assert consumer(a=5).a == 5
    assert consumer(5).a == 5
    assert consumer(bb='given').bb == 'given'


def test_keeps_name_module_and_family():
    consumer = _decorated()
    assert consumer.__name__ == 'Consumer'
    assert consumer.__module__ == __name__
    assert consumer.get_task_family() == 'Consumer'


def test_config_values_come_from_luigi_config():
    luigi.configuration.get_config().set('Settings', 'a', '7')
    assert _decorated()().a == 7


def test_subclasses_inherit_and_later_decorator_wins():
    consumer = _decorated()

    class Child(consumer):
        pass

    assert Child().a == 1

    class Other(luigi.Config):
        a = luigi.IntParameter(default=99)

    @inherits_config_params(Other)
    class Overriding(consumer):
        pass

    assert Overriding().a == 99
    assert Overriding().bb == 'from_config'
