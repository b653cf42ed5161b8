"""`.parquet` through make_target: the dump of the mixed 1M-row frame (gzip in gokart 1.12.2, zstd here:
docs/compat.md Q27) and the load, in a fresh process, of the file the same implementation wrote."""

from __future__ import annotations

import frames
from run_data import Workload
from through_target import dump, load, write

WORKLOADS = {
    'parquet_dump': Workload(
        make_input=lambda size, workdir: frames.mixed_frame(size),
        measure=dump('data.parquet'),
        full=(1_000_000,),
        quick=(20_000,),
        goal=20,
    ),
    'parquet_load': Workload(
        prepare=write(frames.mixed_frame, 'data.parquet'),
        measure=load('data.parquet'),
        fresh_process=True,
        full=(1_000_000,),
        quick=(20_000,),
        goal=1.0,
    ),
}
