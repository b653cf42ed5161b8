"""Data-format workloads through make_target: dumps time the dump, loads time the load of a file written
by the same implementation, either in a fresh process (`fresh_process`) or right after the dump in the
process that wrote it, with the dumped value still alive (`_after_dump`)."""

from __future__ import annotations

import frames
from run_data import Workload
from through_target import dump, load, write


def _write_and_keep(make, file_name: str):
    def make_input(size: int, workdir: str):
        value = make(size)
        dump(file_name)(value, workdir)
        return value  # still alive while the load runs, as in a task that dumps and then loads

    return make_input


def _workloads(stem: str, make, full: tuple, quick: tuple, file_name: str = 'data.pkl') -> dict[str, Workload]:
    return {
        f'pkl_dump_{stem}': Workload(
            make_input=lambda size, workdir: make(size), measure=dump(file_name), full=full, quick=quick
        ),
        f'pkl_load_{stem}': Workload(
            prepare=write(make, file_name),
            measure=load(file_name),
            fresh_process=True,
            full=full,
            quick=quick,
            goal=1.0,
        ),
        f'pkl_load_{stem}_after_dump': Workload(
            make_input=_write_and_keep(make, file_name), measure=load(file_name), full=full, quick=quick, goal=1.0
        ),
    }


WORKLOADS = {
    **_workloads('dict', frames.plain_dict, full=(1_000_000,), quick=(20_000,)),
    **_workloads('records', frames.records, full=(200_000,), quick=(5_000,)),
    **_workloads('frame', frames.mixed_frame, full=(1_000_000,), quick=(10_000,)),
}
