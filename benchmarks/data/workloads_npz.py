"""`.npz` through make_target: the dump of 35 MB of int64 values (one ndarray, what gokart 1.12.2's npz
processor takes) and the load, in a fresh process, of the file the same implementation wrote."""

from __future__ import annotations

import frames
from run_data import Workload
from through_target import dump, load, write

WORKLOADS = {
    'npz_dump': Workload(
        make_input=lambda size, workdir: frames.int_arrays(size),
        measure=dump('data.npz'),
        full=(35_000_000,),
        quick=(400_000,),
        goal=3,
    ),
    'npz_load': Workload(
        prepare=write(frames.int_arrays, 'data.npz'),
        measure=load('data.npz'),
        fresh_process=True,
        full=(35_000_000,),
        quick=(400_000,),
        goal=1.0,
    ),
}
