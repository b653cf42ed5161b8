"""Twin selection and clean imports, each checked in a fresh interpreter (python -I -W error)."""

from __future__ import annotations

import os
import pkgutil
import subprocess
import sys

import pytest

import gokart_fastio

MODULES = sorted(
    f'gokart_fastio.{info.name}'
    for info in pkgutil.iter_modules(gokart_fastio.__path__)
    if not info.name.endswith('_c')
)
COMPILED = sorted(
    f'gokart_fastio.{info.name}' for info in pkgutil.iter_modules(gokart_fastio.__path__) if info.name.endswith('_c')
)


def _python(code: str, **env: str) -> str:
    environ = {k: v for k, v in os.environ.items() if not k.startswith('GOKART_FASTIO_')}
    environ.update(env)
    result = subprocess.run(
        [sys.executable, '-I', '-W', 'error', '-c', code], env=environ, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_package_has_the_expected_modules():
    assert {'gokart_fastio._canonical', 'gokart_fastio._canonical_py', 'gokart_fastio._codec'} <= set(MODULES)


@pytest.mark.parametrize('module', MODULES)
def test_module_imports_without_warnings(module):
    assert _python(f'import {module}; print("ok")') == 'ok'


@pytest.mark.c_extension
@pytest.mark.parametrize('module', COMPILED or ['gokart_fastio._canonical_c'])
def test_compiled_module_imports_without_warnings(module):
    assert _python(f'import {module}; print("ok")') == 'ok'


@pytest.mark.c_extension
def test_compiled_twin_is_the_default():
    assert _python('import gokart_fastio; print(gokart_fastio.IMPLEMENTATION)') == 'cython'
    assert _python('import gokart_fastio; print(gokart_fastio.version_info()["implementation"])') == 'cython'
    assert _python('import gokart_fastio; print(gokart_fastio.write_csv.__module__)') == 'gokart_fastio._csv_c'


def test_env_var_forces_the_pure_twin():
    code = 'import gokart_fastio, sys; print(gokart_fastio.IMPLEMENTATION, "gokart_fastio._canonical_c" in sys.modules)'
    assert _python(code, GOKART_FASTIO_NO_EXTENSIONS='1') == 'python False'
    code = 'import gokart_fastio, sys; print(gokart_fastio.write_csv.__module__)'
    assert _python(code, GOKART_FASTIO_NO_EXTENSIONS='1') == 'gokart_fastio._csv_py'


def test_public_surface_is_pinned():
    assert set(gokart_fastio.__all__) == {
        'CANONICAL_VERSION',
        'IMPLEMENTATION',
        'DumpError',
        'LoadError',
        '__version__',
        'canonical_bytes',
        'dump',
        'dump_file',
        'dumps',
        'gc_paused',
        'heap_frozen',
        'legacy_canonical',
        'legacy_id',
        'load',
        'load_file',
        'loads',
        'msgpack_dumps',
        'msgpack_loads',
        'serialize_json',
        'version_info',
        'write_csv',
        'write_files',
        'xxh3_hex',
        'xxh3_id',
    }
    info = gokart_fastio.version_info()
    assert set(info) == {'gokart_fastio', 'implementation', 'python', 'platform'}
    assert info['implementation'] == gokart_fastio.IMPLEMENTATION in ('cython', 'python')


def test_heavy_fallbacks_are_imported_on_first_need_only():
    code = 'import gokart_fastio, sys; print(sorted(m for m in ("cloudpickle", "dill") if m in sys.modules))'
    assert _python(code) == '[]'
