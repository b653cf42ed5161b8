"""SPEC §4.4 worked examples (verified against gokart 1.12.2): ids, reprs and paths."""

import datetime
import enum

import luigi
import pytest
from luigi.parameter import ParameterVisibility

import gokart


class Color(enum.Enum):
    red = 1
    blue = 2


class Example(gokart.TaskOnKart[str]):
    def run(self):
        self.dump('Hello, world!')


class MyTask(gokart.TaskOnKart):
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
    l = gokart.ZonedDateSecondParameter(default=datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone(datetime.timedelta(hours=9))))  # noqa: E741
    m = luigi.Parameter(default='x', significant=False)
    n = gokart.ExplicitBoolParameter(default=False)
    o = luigi.Parameter(default="it's", visibility=ParameterVisibility.HIDDEN)
    p = luigi.Parameter(default='priv', visibility=ParameterVisibility.PRIVATE)
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


@pytest.mark.parametrize(
    ('make', 'expected'),
    [
        (lambda: Example(), '8441c59b5ce0113396d53509f19371fb'),
        (lambda: gokart.TaskOnKart(), '7757badf81370beccb26f204c5bddba5'),
        (lambda: MyTask(), '8e65a50e849a08d70078bd2ba94dbd13'),
        (lambda: Coll(), 'd8f79e2682839b2333a236747438c2f1'),
        (lambda: A(), 'ff5757489786cf5b71cfcc6f03491de3'),
        (lambda: A(x=2), 'cd148b89a7770af9a642827525ad6dc5'),
        (lambda: B(a=A(x=2)), 'd3139ea5e850572e9650352dc863b4e3'),
        (lambda: C(), '241343b008f05bf24a725d963e18ca03'),
        (lambda: E(), 'b8a6ffb1b939101bbd34cbfed4fda817'),
        (lambda: WithPlain(), '783acf4b21f8b51529737f92c87c0883'),
        (lambda: L(tasks=[A(x=1), A(x=2)]), '0a2e84486839a1e4a7037796808b8acb'),
        (lambda: NsChild(), 'e8cf9a334e9b6752f1f55e96892e8223'),
        (lambda: Parent(child=NsChild()), '4fd6a3ac3bb7da7379db0592684afffb'),
        (lambda: Insig(child=NsChild(v=1)), 'b645b0285f87ba62b887ad7ebb76e118'),
        (lambda: Insig(child=NsChild(v=2)), '76f85321340798f05f6b5150df23db03'),
        (lambda: Nested(), '278b5e7199d80dfd5b1dc265d3dd1e6d'),
        (lambda: S(serialized_task_definition_check=True), 'ef3d689136aa93bbdaaf0c4c9c9a1cdb'),
        (lambda: S(), 'f53c6552513166d303f4ce7159594a8e'),
    ],
)
def test_unique_id_matches_gokart_1_12_2(make, expected):
    assert make().make_unique_id() == expected


def test_reprs_and_paths():
    assert repr(Example()) == 'Example[8441c59b5ce0113396d53509f19371fb]()'
    assert Example().output().path() == f'./resources/{__name__.replace(".", "/")}/Example_8441c59b5ce0113396d53509f19371fb.pkl'
    assert repr(B(a=A(x=2))) == 'B[d3139ea5e850572e9650352dc863b4e3](a=A(cd148b89a7770af9a642827525ad6dc5))'
    assert repr(Parent(child=NsChild())) == 'Parent[4fd6a3ac3bb7da7379db0592684afffb](child=ns.NsChild(e8cf9a334e9b6752f1f55e96892e8223))'
    assert repr(L(tasks=[A(x=1), A(x=2)])) == 'L[0a2e84486839a1e4a7037796808b8acb](tasks=[A(ff5757489786cf5b71cfcc6f03491de3), A(cd148b89a7770af9a642827525ad6dc5)])'
    task = MyTask()
    assert task.task_id == 'ns.MyTask_1_x_1_5_fae0252bc4'
    assert repr(task).endswith('n=False, o=it\'s, p=priv, q=2)')
    assert 'o=' not in str(task) and 'p=priv' not in str(task)
    assert str(task).startswith('ns.MyTask[8e65a50e849a08d70078bd2ba94dbd13](a=1, b=x, c=1.5, d=True, e=[1, "a", [2, 3]]')


def test_id_insertion_keeps_last_extension_only():
    assert Example().make_target('multi/q.tar.gz').path() == './resources/multi/q.tar_8441c59b5ce0113396d53509f19371fb.gz'
    assert Example().make_target('demo/double.csv', use_unique_id=False).path() == './resources/demo/double.csv'
