"""Notebooks executed by a real Jupyter kernel (nbclient + ipykernel) running this interpreter."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

KERNEL = 'gokart-test-python'


@pytest.fixture(scope='session')
def kernel_dir(tmp_path_factory) -> Path:
    """A kernelspec for sys.executable, so the kernel runs the interpreter (and gokart) under test."""
    try:
        import ipykernel  # noqa: F401
        import nbclient  # noqa: F401
        import nbformat  # noqa: F401
    except ImportError as e:  # as tests/conftest.py's _missing: a failure in CI, a skip elsewhere
        if os.environ.get('CI'):
            pytest.fail(f'{e.name} is required in CI (make test installs it)')
        pytest.skip(f'{e.name} is not available; run `make test` to install it')
    root = tmp_path_factory.mktemp('jupyter')
    spec = root / 'kernels' / KERNEL
    spec.mkdir(parents=True)
    argv = [sys.executable, '-m', 'ipykernel_launcher', '-f', '{connection_file}']
    (spec / 'kernel.json').write_text(json.dumps({'argv': argv, 'display_name': KERNEL, 'language': 'python'}))
    return root


@pytest.fixture
def execute(kernel_dir, monkeypatch):
    """execute(notebook, cwd) runs every cell in one kernel and returns the notebook with its outputs."""
    import nbclient
    from jupyter_client.kernelspec import KernelSpecManager

    monkeypatch.setenv('JUPYTER_PATH', str(kernel_dir))
    monkeypatch.setenv('PYDEVD_DISABLE_FILE_VALIDATION', '1')

    def run(nb, cwd: Path, allow_errors: bool = False):
        manager = KernelSpecManager(kernel_dirs=[str(kernel_dir / 'kernels')])
        client = nbclient.NotebookClient(
            nb,
            kernel_name=KERNEL,
            timeout=120,
            allow_errors=allow_errors,
            resources={'metadata': {'path': str(cwd)}},
            kernel_manager_class='jupyter_client.manager.KernelManager',
        )
        client.km = client.kernel_manager_class(kernel_name=KERNEL, kernel_spec_manager=manager)
        return client.execute()

    return run
