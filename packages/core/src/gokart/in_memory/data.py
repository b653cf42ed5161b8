"""A stored value and when it was stored."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass
class InMemoryData:
    value: Any
    last_modification_time: datetime

    @classmethod
    def create_data(cls, value: Any) -> InMemoryData:
        return cls(value=value, last_modification_time=datetime.now())
