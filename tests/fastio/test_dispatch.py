"""Each dispatcher module of gokart_fastio serves the twin the process asked for, for every kernel.

A dispatcher falls back to the pure twin when its compiled module does not import (an optional build that
failed, or a stale editable install made before the kernel existed). These tests make that loud: in the
compiled leg every compiled kernel must be in use, in the pure leg none.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path

import pytest

import gokart_fastio

_SOURCE = Path(__file__).resolve().parents[2] / 'packages' / 'fastio' / 'src' / 'gokart_fastio'
KERNELS = sorted(path.stem.removesuffix('_c') for path in _SOURCE.glob('*_c.pyx'))


def _served_by(kernel: str) -> set[str]:
    """The modules the dispatcher's public functions come from."""
    dispatcher = importlib.import_module(f'gokart_fastio.{kernel}')
    pure = importlib.import_module(f'gokart_fastio.{kernel}_py')
    functions = [getattr(dispatcher, name) for name in pure.__all__ if callable(getattr(pure, name))]
    assert functions, f'{kernel} exports no function'
    return {function.__module__ for function in functions}


def test_every_kernel_has_both_twins():
    assert KERNELS, f'no Cython source found under {_SOURCE}'
    for kernel in KERNELS:
        assert (_SOURCE / f'{kernel}_py.py').is_file(), f'{kernel}_c.pyx has no pure twin'
        assert (_SOURCE / f'{kernel}.py').is_file(), f'{kernel}_c.pyx has no dispatcher'


@pytest.mark.parametrize('kernel', KERNELS)
def test_the_dispatcher_serves_the_twin_of_this_leg(kernel):
    wanted = 'python' if os.environ.get('GOKART_FASTIO_NO_EXTENSIONS') else 'cython'
    assert gokart_fastio.IMPLEMENTATION == wanted
    suffix = {'cython': '_c', 'python': '_py'}[wanted]
    assert _served_by(kernel) == {f'gokart_fastio.{kernel}{suffix}'}, (
        f'gokart_fastio.{kernel} does not serve its {wanted} twin: rebuild with pip install -e packages/fastio'
    )
