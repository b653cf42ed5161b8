import pytest

from gokart._notebook import _outcomes


@pytest.fixture(autouse=True)
def forget_build_outcomes():
    """visualize() colours what failed in this process's last builds: each test starts with none."""
    _outcomes._FAILED.clear()
    yield
    _outcomes._FAILED.clear()
