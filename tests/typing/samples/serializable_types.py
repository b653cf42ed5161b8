"""SerializableParameter[S] takes classes with gokart_serialize() and the classmethod gokart_deserialize()."""

from typing_extensions import reveal_type

import gokart


class Point:
    def __init__(self, x: int = 0) -> None:
        self.x = x

    def gokart_serialize(self) -> str:
        return str(self.x)

    @classmethod
    def gokart_deserialize(cls, s: str) -> 'Point':
        return cls(int(s))


class ReturnsAnother:
    def gokart_serialize(self) -> str:
        return ''

    @classmethod
    def gokart_deserialize(cls, s: str) -> Point:
        return Point()


class NoProtocol:
    pass


point: gokart.SerializableParameter[Point] = gokart.SerializableParameter(object_type=Point)
reveal_type(point.parse('1'))  # R: serializable_types.Point
reveal_type(point.serialize(Point()))  # R: str
point.serialize(1)  # E: arg-type
gokart.SerializableParameter(object_type=NoProtocol)  # E: type-var
gokart.SerializableParameter(object_type=ReturnsAnother)  # E: type-var


class WithPoint(gokart.TaskOnKart[int]):
    point: Point = gokart.SerializableParameter(object_type=Point)

    def run(self) -> None:
        reveal_type(self.point)  # R: serializable_types.Point
        self.dump(self.point.x)
