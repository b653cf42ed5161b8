"""CSV/TSV dumps of the mixed frame through make_target (the goal: 5x gokart 1.12.2, with identical bytes)."""

from __future__ import annotations

import frames
from run_data import Workload
from through_target import dump

WORKLOADS = {
    'csv_dump': Workload(
        make_input=lambda size, workdir: frames.mixed_frame(size),
        measure=dump('data.csv'),
        full=(1_000_000,),
        quick=(20_000,),
        goal=5,
    ),
    'tsv_dump': Workload(
        make_input=lambda size, workdir: frames.mixed_frame(size),
        measure=dump('data.tsv'),
        full=(1_000_000,),
        quick=(20_000,),
        goal=5,
    ),
}
