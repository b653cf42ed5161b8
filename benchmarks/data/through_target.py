"""The pieces of the data-format workloads: dump, write for a later load, and load, each through
`gokart.target.make_target` on `<workdir>/out/<file name>` (the API gokart 1.12.2 and ours share)."""

from __future__ import annotations

import os

import gokart.target


def _target(workdir: str, file_name: str):
    return gokart.target.make_target(f'{workdir}/out/{file_name}')


def dump(file_name: str):
    """A `measure`: dump the input."""

    def measure(value, workdir: str) -> None:
        _target(workdir, file_name).dump(value)

    return measure


def write(make, file_name: str):
    """A `prepare`: dump `make(size)` for a load to read."""

    def prepare(size: int, workdir: str) -> None:
        _target(workdir, file_name).dump(make(size))
        os.sync()  # the load then reads a file at rest, not one the kernel is still writing back

    return prepare


def load(file_name: str):
    """A `measure`: load what `write` dumped."""

    def measure(value, workdir: str) -> None:
        _target(workdir, file_name).load()

    return measure
