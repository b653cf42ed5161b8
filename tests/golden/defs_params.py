"""One task per luigi parameter kind, at its default and at explicit values (their serialized forms)."""

import datetime
import enum
import pathlib

import luigi
from luigi import date_interval

import gokart


class Fruit(enum.Enum):
    apple = 'a'
    banana = 'b'
    cherry = 'c'


class PPlain(gokart.TaskOnKart):
    p = luigi.Parameter(default='plain')
    s = luigi.StrParameter(default='')


class PInt(gokart.TaskOnKart):
    i = luigi.IntParameter(default=0)
    neg = luigi.IntParameter(default=-7)
    big = luigi.IntParameter(default=2**70)


class PFloat(gokart.TaskOnKart):
    f = luigi.FloatParameter(default=0.1)
    g = luigi.FloatParameter(default=1e-20)
    h = luigi.FloatParameter(default=3.0)


class PBool(gokart.TaskOnKart):
    t = luigi.BoolParameter(default=True)
    f = luigi.BoolParameter()
    explicit = luigi.BoolParameter(default=False, parsing=luigi.BoolParameter.EXPLICIT_PARSING)


class PDates(gokart.TaskOnKart):
    date = luigi.DateParameter(default=datetime.date(2024, 5, 6))
    month = luigi.MonthParameter(default=datetime.date(2024, 5, 1))
    year = luigi.YearParameter(default=datetime.date(2024, 1, 1))
    hour = luigi.DateHourParameter(default=datetime.datetime(2024, 5, 6, 7))
    minute = luigi.DateMinuteParameter(default=datetime.datetime(2024, 5, 6, 7, 8))
    second = luigi.DateSecondParameter(default=datetime.datetime(2024, 5, 6, 7, 8, 9))


class PDateInterval(gokart.TaskOnKart):
    interval = luigi.DateIntervalParameter(default=date_interval.Week(2024, 5))


class PTimeDelta(gokart.TaskOnKart):
    delta = luigi.TimeDeltaParameter(default=datetime.timedelta(weeks=2, days=3, hours=4, minutes=5, seconds=6))


class PList(gokart.TaskOnKart):
    items = luigi.ListParameter(default=[1, 2.5, 'x', None, True, [], {'k': 'v'}])


class PTuple(gokart.TaskOnKart):
    pairs = luigi.TupleParameter(default=((1, 2), (3,)))


class PDict(gokart.TaskOnKart):
    d = luigi.DictParameter(default={})


class PEnum(gokart.TaskOnKart):
    fruit = luigi.EnumParameter(enum=Fruit, default=Fruit.banana)
    fruits = luigi.EnumListParameter(enum=Fruit, default=(Fruit.cherry, Fruit.apple))


class PChoice(gokart.TaskOnKart):
    choice = luigi.ChoiceParameter(choices=['x', 'y', 'z'], default='y')
    int_choice = luigi.ChoiceParameter(choices=[1, 2, 3], var_type=int, default=3)
    choices = luigi.ChoiceListParameter(choices=['x', 'y', 'z'], default=('z', 'x'))


class PNumerical(gokart.TaskOnKart):
    n = luigi.NumericalParameter(var_type=int, min_value=0, max_value=10, default=4)
    r = luigi.NumericalParameter(var_type=float, min_value=0.0, max_value=1.0, default=0.25)


class PPath(gokart.TaskOnKart):
    path = luigi.PathParameter(default=pathlib.Path('data/in.csv'))


class POptional(gokart.TaskOnKart):
    o = luigi.OptionalParameter(default=None)
    os_ = luigi.OptionalStrParameter(default=None)
    oi = luigi.OptionalIntParameter(default=None)
    of = luigi.OptionalFloatParameter(default=None)
    ob = luigi.OptionalBoolParameter(default=None)
    ol = luigi.OptionalListParameter(default=None)
    ot = luigi.OptionalTupleParameter(default=None)
    od = luigi.OptionalDictParameter(default=None)
    oc = luigi.OptionalChoiceParameter(choices=['a', 'b'], default=None)
    on = luigi.OptionalNumericalParameter(var_type=int, min_value=0, max_value=9, default=None)
    op = luigi.OptionalPathParameter(default=None)


class PTaskClass(gokart.TaskOnKart):
    task_cls = luigi.TaskParameter(default=PPlain)


CASES = {
    'param_plain_default': lambda: PPlain(),
    'param_plain_set': lambda: PPlain(p='a b/c', s='it\'s "quoted"'),
    'param_plain_non_str_value': lambda: PPlain(p=12),
    'param_int': lambda: PInt(),
    'param_int_set': lambda: PInt(i=42, neg=-1, big=10**30),
    'param_float': lambda: PFloat(),
    'param_float_given_int': lambda: PFloat(f=2, g=0, h=-5),
    'param_float_special': lambda: PFloat(f=float('inf'), g=1e300, h=-0.0),
    'param_bool': lambda: PBool(),
    'param_bool_set': lambda: PBool(t=False, f=True, explicit=True),
    'param_dates': lambda: PDates(),
    'param_dates_set': lambda: PDates(
        date=datetime.date(1999, 12, 31),
        month=datetime.date(2000, 2, 1),
        year=datetime.date(1970, 1, 1),
        hour=datetime.datetime(2001, 1, 1, 23),
        minute=datetime.datetime(2001, 1, 1, 0, 59),
        second=datetime.datetime(2001, 1, 1, 0, 0, 1),
    ),
    'param_date_interval_week': lambda: PDateInterval(),
    'param_date_interval_month': lambda: PDateInterval(interval=date_interval.Month(2024, 2)),
    'param_date_interval_custom': lambda: PDateInterval(
        interval=date_interval.Custom(datetime.date(2024, 1, 1), datetime.date(2024, 1, 10))
    ),
    'param_timedelta': lambda: PTimeDelta(),
    'param_timedelta_zero': lambda: PTimeDelta(delta=datetime.timedelta(0)),
    'param_list': lambda: PList(),
    'param_list_empty': lambda: PList(items=[]),
    'param_list_from_set_of_ints': lambda: PList(items={3, 1, 2}),
    'param_list_nested_unicode': lambda: PList(items=['ü', ['日本', ('\t', '\\')], {'é': ['"', "'"]}]),
    'param_tuple': lambda: PTuple(),
    'param_tuple_from_list': lambda: PTuple(pairs=[[1, 'a'], ['b', [2]]]),
    'param_dict_empty': lambda: PDict(),
    'param_dict_nested': lambda: PDict(d={'z': {'y': {'x': [1, {'w': None}]}}, 'a': (1, 2), 'b': False, 'c': 1.5}),
    'param_dict_escapes': lambda: PDict(
        d={'quote"key': "it's", 'back\\slash': 'a\\b', 'nl': 'line1\nline2\r\n', 'tab': '\t', 'nul': '\x00'}
    ),
    'param_dict_unicode': lambda: PDict(d={'日本語': 'テスト', 'emoji': '\U0001f600', 'é': 'ß'}),
    'param_dict_insertion_order': lambda: PDict(d={'b': 2, 'a': 1, 'c': {'z': 0, 'y': 1}}),
    'param_enum': lambda: PEnum(),
    'param_enum_set': lambda: PEnum(fruit=Fruit.apple, fruits=(Fruit.banana,)),
    'param_enum_list_empty': lambda: PEnum(fruits=()),
    'param_choice': lambda: PChoice(),
    'param_choice_set': lambda: PChoice(choice='z', int_choice=1, choices=('y', 'y', 'x')),
    'param_numerical': lambda: PNumerical(),
    'param_numerical_set': lambda: PNumerical(n=9, r=0.5),
    'param_path': lambda: PPath(),
    'param_path_str_value': lambda: PPath(path='/abs/dir/file.txt'),
    'param_optional_none': lambda: POptional(),
    'param_optional_set': lambda: POptional(
        o='x',
        os_='',
        oi=0,
        of=0.5,
        ob=False,
        ol=[1, [2]],
        ot=((1,),),
        od={'k': [1]},
        oc='b',
        on=3,
        op=pathlib.Path('p/q'),
    ),
    'param_task_class': lambda: PTaskClass(),
    'param_task_class_set': lambda: PTaskClass(task_cls=PInt),
}
