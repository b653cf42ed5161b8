"""`.parquet` through make_target: the dump of the mixed 1M-row frame (gzip in gokart 1.12.2, zstd here:
docs/compat.md Q27) and the load, in a fresh process, of the file the same implementation wrote."""

from __future__ import annotations

import frames
from run_data import Workload

import gokart.target


def _path(workdir: str) -> str:
    return f'{workdir}/out/data.parquet'


def _measure_dump(value, workdir: str) -> None:
    gokart.target.make_target(_path(workdir)).dump(value)


def _prepare_load(size: int, workdir: str) -> None:
    gokart.target.make_target(_path(workdir)).dump(frames.mixed_frame(size))


def _measure_load(value, workdir: str) -> None:
    gokart.target.make_target(_path(workdir)).load()


WORKLOADS = {
    'parquet_dump': Workload(
        make_input=lambda size, workdir: frames.mixed_frame(size),
        measure=_measure_dump,
        full=(1_000_000,),
        quick=(20_000,),
        goal=20,
    ),
    'parquet_load': Workload(
        prepare=_prepare_load,
        measure=_measure_load,
        fresh_process=True,
        full=(1_000_000,),
        quick=(20_000,),
        goal=1.0,
    ),
}
