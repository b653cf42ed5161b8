"""What only ours has or types more precisely (docs/compat.md, Typing): 1.12.2 reports or widens these lines."""

import datetime

from typing_extensions import reveal_type

import gokart


class Frames(gokart.TaskOnKart[int]):
    when = gokart.ZonedDateSecondParameter(default=datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc))

    def run(self) -> None:
        # load_data_frame was removed from gokart before 1.11; ours keeps it (code meant for 1.12.2 must not use it).
        self.load_data_frame(required_columns={'a'})  # upstream E: attr-defined
        reveal_type(self.when)  # R: datetime.datetime; upstream R: Any
        self.dump(1)
