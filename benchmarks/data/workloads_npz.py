"""`.npz` through make_target: the dump of 35 MB of int64 values (one ndarray, what gokart 1.12.2's npz
processor takes) and the load, in a fresh process, of the file the same implementation wrote."""

from __future__ import annotations

import frames
from run_data import Workload

import gokart.target


def _path(workdir: str) -> str:
    return f'{workdir}/out/data.npz'


def _measure_dump(value, workdir: str) -> None:
    gokart.target.make_target(_path(workdir)).dump(value)


def _prepare_load(size: int, workdir: str) -> None:
    gokart.target.make_target(_path(workdir)).dump(frames.int_arrays(size))


def _measure_load(value, workdir: str) -> None:
    gokart.target.make_target(_path(workdir)).load()


WORKLOADS = {
    'npz_dump': Workload(
        make_input=lambda size, workdir: frames.int_arrays(size),
        measure=_measure_dump,
        full=(35_000_000,),
        quick=(400_000,),
        goal=3,
    ),
    'npz_load': Workload(
        prepare=_prepare_load,
        measure=_measure_load,
        fresh_process=True,
        full=(35_000_000,),
        quick=(400_000,),
        goal=1.0,
    ),
}
