"""Data-format workloads through make_target: dumps time the dump, loads time the load of a file written
by the same implementation."""

from __future__ import annotations

import frames
from run_data import Workload

import gokart.target


def _dump(file_name: str):
    def measure(value, workdir: str) -> None:
        gokart.target.make_target(f'{workdir}/out/{file_name}').dump(value)

    return measure


WORKLOADS = {
    'pkl_dump_dict': Workload(
        make_input=lambda size, workdir: frames.plain_dict(size),
        measure=_dump('data.pkl'),
        full=(1_000_000,),
        quick=(20_000,),
    ),
}
