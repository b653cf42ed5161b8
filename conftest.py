"""Repo-root pytest plugin shared by tests/ and benchmarks/: run fastio tests on both twins."""

from __future__ import annotations

import importlib
import os
from types import ModuleType

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        '--no-c-extensions',
        action='store_true',
        default=bool(os.environ.get('GOKART_FASTIO_NO_EXTENSIONS')),
        help='run only the pure-Python twin of gokart_fastio (deselects c_extension and single_leg tests)',
    )


@pytest.hookimpl(trylast=True)  # after the directories' conftests have added their markers
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not config.getoption('--no-c-extensions'):
        return
    kept, dropped = [], []
    for item in items:
        # single_leg: tests of processes and services whose behaviour does not depend on the twin
        # (parity and golden tests prove the twins give identical bytes); the compiled leg runs them.
        once = item.get_closest_marker('c_extension') or item.get_closest_marker('single_leg')
        (dropped if once else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


def _twins(config: pytest.Config) -> list[str]:
    return ['python'] if config.getoption('--no-c-extensions') else ['cython', 'python']


# fixture name -> kernel triad of gokart_fastio (each has a _c and a _py twin)
_KERNEL_FIXTURES = {
    'fastio_impl': '_canonical',
    'fastio_plain_impl': '_plain',
    'fastio_csv_impl': '_csv',
    'fastio_batch_impl': '_batch',
}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    for fixture in _KERNEL_FIXTURES:
        if fixture in metafunc.fixturenames:
            metafunc.parametrize(fixture, _twins(metafunc.config), indirect=True)


def _twin_module(fixture: str, twin: str) -> ModuleType:
    suffix = {'cython': '_c', 'python': '_py'}[twin]
    return importlib.import_module(f'gokart_fastio.{_KERNEL_FIXTURES[fixture]}{suffix}')


@pytest.fixture(scope='session')
def fastio_impl(request: pytest.FixtureRequest) -> ModuleType:
    """The canonical kernel of one twin, imported explicitly so a missing build fails loudly.
    Session-scoped: a module is stateless, and hypothesis refuses function-scoped fixtures in @given tests."""
    return _twin_module('fastio_impl', request.param)


@pytest.fixture(scope='session')
def fastio_plain_impl(request: pytest.FixtureRequest) -> ModuleType:
    """The plain-tree check (is_plain_tree) of one twin, used by dumps() to skip the pickle memo."""
    return _twin_module('fastio_plain_impl', request.param)


@pytest.fixture(scope='session')
def fastio_csv_impl(request: pytest.FixtureRequest) -> ModuleType:
    """The CSV writer (write_csv) of one twin."""
    return _twin_module('fastio_csv_impl', request.param)


@pytest.fixture(scope='session')
def fastio_batch_impl(request: pytest.FixtureRequest) -> ModuleType:
    """The batch writer (write_files) of one twin."""
    return _twin_module('fastio_batch_impl', request.param)
