"""gokart's own parameter classes: ExplicitBool, Serializable, ZonedDateSecond."""

import dataclasses
import datetime

import luigi

import gokart


@dataclasses.dataclass(frozen=True)
class Window:
    start: int
    stop: int

    def gokart_serialize(self) -> str:
        return f'{self.start}..{self.stop}'

    @classmethod
    def gokart_deserialize(cls, s: str) -> 'Window':
        start, stop = s.split('..')
        return cls(int(start), int(stop))


class GExplicitBool(gokart.TaskOnKart):
    flag = gokart.ExplicitBoolParameter(default=True)
    other = gokart.ExplicitBoolParameter(default=False)


class GSerializable(gokart.TaskOnKart):
    window = gokart.SerializableParameter(object_type=Window, default=Window(1, 5))


def _tz(hours: float) -> datetime.timezone:
    return datetime.timezone(datetime.timedelta(hours=hours))


class GZoned(gokart.TaskOnKart):
    at = gokart.ZonedDateSecondParameter(default=datetime.datetime(2024, 3, 4, 5, 6, 7, tzinfo=datetime.timezone.utc))


class GMixed(gokart.TaskOnKart):
    text = luigi.Parameter(default='t')
    flag = gokart.ExplicitBoolParameter(default=True)
    at = gokart.ZonedDateSecondParameter(default=datetime.datetime(2020, 1, 1, tzinfo=_tz(-5)))
    window = gokart.SerializableParameter(object_type=Window, default=Window(0, 0))


CASES = {
    'gokart_explicit_bool': lambda: GExplicitBool(),
    'gokart_explicit_bool_set': lambda: GExplicitBool(flag=False, other=True),
    'gokart_serializable': lambda: GSerializable(),
    'gokart_serializable_set': lambda: GSerializable(window=Window(-3, 300)),
    'gokart_zoned_utc': lambda: GZoned(),
    'gokart_zoned_plus_0530_microseconds_dropped': lambda: GZoned(
        at=datetime.datetime(2024, 12, 31, 23, 59, 59, 999999, tzinfo=_tz(5.5))
    ),
    'gokart_zoned_naive': lambda: GZoned(at=datetime.datetime(2024, 1, 1, 12, 0, 0)),
    'gokart_mixed': lambda: GMixed(),
}
