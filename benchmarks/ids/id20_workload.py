"""Canonical form + unique id of a task with 20 parameters of mixed kinds (run under either gokart).

Prints one JSON line: seconds per task for (a) the id of an already constructed task and (b) construction
plus id, each the best of several rounds over distinct instances (so no id is served from a cache).
"""

import datetime
import enum
import json
import sys
import time

import luigi

import gokart


class Color(enum.Enum):
    red = 1
    blue = 2


class Child(gokart.TaskOnKart):
    k = luigi.IntParameter(default=0)


class Wide(gokart.TaskOnKart):
    i = luigi.IntParameter()
    s = luigi.Parameter(default='text')
    f = luigi.FloatParameter(default=1.5)
    b = luigi.BoolParameter(default=True)
    d = luigi.DateParameter(default=datetime.date(2024, 1, 2))
    dh = luigi.DateHourParameter(default=datetime.datetime(2024, 1, 2, 3))
    ds = luigi.DateSecondParameter(default=datetime.datetime(2024, 1, 2, 3, 4, 5))
    td = luigi.TimeDeltaParameter(default=datetime.timedelta(days=3, seconds=7))
    lst = luigi.ListParameter(default=[1, 'a', [2, 3], {'x': 1}])
    tup = luigi.TupleParameter(default=((1, 2), (3,)))
    dct = luigi.DictParameter(default={'z': 1, 'a': [1, 2], 'n': {'m': 'é'}})
    e = luigi.EnumParameter(enum=Color, default=Color.red)
    c = luigi.ChoiceParameter(choices=['x', 'y'], default='x')
    n = luigi.NumericalParameter(var_type=int, min_value=0, max_value=10**9, default=5)
    o = luigi.OptionalParameter(default=None)
    oi = luigi.OptionalIntParameter(default=7)
    z = gokart.ZonedDateSecondParameter(default=datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc))
    x = gokart.ExplicitBoolParameter(default=False)
    child = gokart.TaskInstanceParameter(default=Child())
    hidden = luigi.Parameter(default='h', visibility=luigi.parameter.ParameterVisibility.HIDDEN)


def _best(seconds: list[float], count: int) -> float:
    return min(seconds) / count


def main(count: int, rounds: int) -> None:
    id_only, construct_and_id = [], []
    offset = 0
    for _ in range(rounds):
        tasks = [Wide(i=offset + i) for i in range(count)]
        offset += count
        start = time.perf_counter()
        for task in tasks:
            task.make_unique_id()
        id_only.append(time.perf_counter() - start)

        start = time.perf_counter()
        for i in range(count):
            Wide(i=offset + i).make_unique_id()
        construct_and_id.append(time.perf_counter() - start)
        offset += count
    print(json.dumps({'id_only': _best(id_only, count), 'construct_and_id': _best(construct_and_id, count)}))


if __name__ == '__main__':
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000, int(sys.argv[2]) if len(sys.argv) > 2 else 5)
