"""Shared benchmark data, built once per session (the fastio_impl twin fixture comes from the root conftest)."""

from __future__ import annotations

import pytest
from _data import plain_dict


@pytest.fixture(scope='session')
def big_plain_dict() -> dict:
    return plain_dict()


@pytest.fixture(scope='session')
def medium_plain_dict() -> dict:
    return plain_dict(200_000)
