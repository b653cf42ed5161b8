"""Worked examples E1-E6 (ids in spec_ids.py), with the class names they hash (ids use the bare class name)."""

import datetime
import enum

import luigi

import gokart


class Example(gokart.TaskOnKart[str]):
    # E1 is a script; pinning __module__ reproduces its ./resources/__main__/ path without running one
    __module__ = '__main__'

    def run(self):
        self.dump('Hello, world!')


class SampleTask(gokart.TaskOnKart):
    param = luigi.Parameter()


class Sample(gokart.TaskOnKart):
    pass


class Color(enum.Enum):
    red = 1
    green = 2


class MyTask(gokart.TaskOnKart):
    __module__ = '__main__'
    task_namespace = 'ns'

    a = luigi.IntParameter(default=1)
    b = luigi.Parameter(default='x')
    c = luigi.FloatParameter(default=1.5)
    d = luigi.BoolParameter(default=True)
    e = luigi.ListParameter(default=[1, 'a', [2, 3]])
    f = luigi.DictParameter(default={'z': 1, 'a': [1, 2]})
    g = luigi.DateParameter(default=datetime.date(2024, 1, 2))
    h = luigi.OptionalParameter(default=None)
    i = luigi.EnumParameter(enum=Color, default=Color.red)
    j = luigi.TimeDeltaParameter(default=datetime.timedelta(days=8, hours=1, seconds=5))
    k = luigi.DateSecondParameter(default=datetime.datetime(2024, 1, 2, 3, 4, 5))
    l = gokart.ZonedDateSecondParameter(  # noqa: E741 - the worked example's name
        default=datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone(datetime.timedelta(hours=9)))
    )
    m = luigi.Parameter(default='x', significant=False)
    n = gokart.ExplicitBoolParameter(default=False)
    o = luigi.Parameter(default="it's", visibility=luigi.parameter.ParameterVisibility.HIDDEN)
    p = luigi.Parameter(default='priv', visibility=luigi.parameter.ParameterVisibility.PRIVATE)
    q = luigi.FloatParameter(default=2)


class Coll(gokart.TaskOnKart):
    l = luigi.ListParameter(default=[{'b': 1, 'a': 'é'}, (1, 2)])  # noqa: E741
    d = luigi.DictParameter(default={'k': {'y': [1, 2], 'x': None}, 'a': True})
    s = luigi.Parameter(default='line1\nline2 \\ "q"')
    u = luigi.Parameter(default='日本')


class A(gokart.TaskOnKart):
    x = luigi.IntParameter(default=1)


class B(gokart.TaskOnKart):
    a = gokart.TaskInstanceParameter()


class C(gokart.TaskOnKart):
    def requires(self):
        return dict(b=B(a=A(x=2)), a=A(significant=False))


class Ext(luigi.ExternalTask):
    y = luigi.Parameter(default='q')


class E(gokart.TaskOnKart):
    def requires(self):
        return [Ext(), A()]


class PlainLuigiTaskWithoutParams(luigi.Task):
    pass


class WithPlain(gokart.TaskOnKart):
    def requires(self):
        return [PlainLuigiTaskWithoutParams(), None]


class L(gokart.TaskOnKart):
    tasks = gokart.ListTaskInstanceParameter()


class NsChild(gokart.TaskOnKart):
    task_namespace = 'ns'
    v = luigi.IntParameter(default=1)


class Parent(gokart.TaskOnKart):
    child = gokart.TaskInstanceParameter()


class Insig(gokart.TaskOnKart):
    child = gokart.TaskInstanceParameter(significant=False)


class Nested(gokart.TaskOnKart):
    def requires(self):
        return {'a': [NsChild(v=3), {'b': NsChild(v=4)}], 'c': (NsChild(v=5),)}


class S(gokart.TaskOnKart):
    n = luigi.IntParameter(default=3)

    def run(self):
        self.dump(self.n)


CASES = {
    'e1_example': lambda: Example(),
    'e1_bare_task_on_kart': lambda: gokart.TaskOnKart(),
    'e1_sample_task_param': lambda: SampleTask(param='hello'),
    'e1_doc_sample': lambda: Sample(),
    'e2_all_kinds': lambda: MyTask(),
    'e3_escaping': lambda: Coll(),
    'e4_a_default': lambda: A(),
    'e4_a_x2': lambda: A(x=2),
    'e4_b_task_instance': lambda: B(a=A(x=2)),
    'e4_c_requires_dict_insignificant': lambda: C(),
    'e4_e_external_task': lambda: E(),
    'e4_with_plain_and_none': lambda: WithPlain(),
    'e5_list_task_instance': lambda: L(tasks=[A(x=1), A(x=2)]),
    'e5_ns_child': lambda: NsChild(),
    'e5_parent_ns_child': lambda: Parent(child=NsChild()),
    'e5_insig_param_v1': lambda: Insig(child=NsChild(v=1)),
    'e5_insig_param_v2': lambda: Insig(child=NsChild(v=2)),
    'e5_nested_requires': lambda: Nested(),
    'e6_source_check': lambda: S(serialized_task_definition_check=True),
    'e6_no_source_check': lambda: S(),
}
