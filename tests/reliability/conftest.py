"""Fixtures of the reliability tests: real processes, signals and servers, and nothing left running after."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.reliability._support import Processes, SmallDisk, free_port, stop_process, wait_for_port


@pytest.fixture
def procs(tmp_path):
    """Start processes for this test; afterwards, none of them (nor their children) may be running."""
    directory = tmp_path / 'procs'
    directory.mkdir()
    processes = Processes(directory)
    yield processes
    try:
        processes.assert_nothing_left()
    finally:
        processes.cleanup()


@pytest.fixture
def luigid(tmp_path):
    """A luigi central scheduler on a free loopback port: yields (host, port); stopped by its pid."""
    binary = Path(sys.executable).with_name('luigid')
    if not binary.exists():
        found = shutil.which('luigid')
        if found is None:
            pytest.fail('luigid (luigi console script) not found next to the interpreter')
        binary = Path(found)
    port = free_port()
    state = tmp_path / 'luigid'
    state.mkdir()
    with open(state / 'luigid.log', 'wb') as log:
        proc = subprocess.Popen(
            [str(binary), '--address', '127.0.0.1', '--port', str(port), '--state-path', str(state / 'state.pickle')],
            cwd=state,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    try:
        if not wait_for_port('127.0.0.1', port, 30):
            pytest.fail(f'luigid did not listen on port {port}: {(state / "luigid.log").read_text()[-2000:]}')
        yield '127.0.0.1', port
    finally:
        stop_process(proc)


@pytest.fixture
def redis(redis_server):
    """The suite's redis-server (tests/conftest.py), emptied after the test: yields (host, port)."""
    yield redis_server
    host, port = redis_server
    with socket.create_connection((host, port), timeout=5) as conn:
        conn.sendall(b'FLUSHALL\r\n')
        assert conn.recv(64).startswith(b'+OK')


@pytest.fixture
def small_disk(tmp_path):
    """A factory of small tmpfs disks (tests/reliability/_support.py SmallDisk), each unmounted (its holder
    stopped by pid) after the test."""
    disks: list[SmallDisk] = []

    def make(size: str) -> SmallDisk:
        disk = SmallDisk(tmp_path / f'disk{len(disks)}', size)
        disks.append(disk)
        return disk

    yield make
    for disk in disks:
        disk.stop()
