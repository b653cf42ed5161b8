"""Build the optional Cython twin of gokart_fastio.

GOKART_FASTIO_NO_EXTENSIONS=1 builds a pure wheel; GOKART_FASTIO_REQUIRE_EXTENSIONS=1 (or CIBUILDWHEEL=1)
makes a failed compile an error instead of a fallback to the pure twin.
"""

import os

from setuptools import Extension, setup

NO_EXTENSIONS = bool(os.environ.get('GOKART_FASTIO_NO_EXTENSIONS'))
STRICT = bool(os.environ.get('GOKART_FASTIO_REQUIRE_EXTENSIONS')) or os.environ.get('CIBUILDWHEEL') == '1'
DEBUG = bool(os.environ.get('GOKART_FASTIO_DEBUG_BUILD'))
TRACE = bool(os.environ.get('GOKART_FASTIO_CYTHON_TRACE'))

KERNELS = ['_batch_c', '_canonical_c', '_csv_c', '_plain_c']


def extensions():
    if NO_EXTENSIONS:
        print('gokart-fastio: GOKART_FASTIO_NO_EXTENSIONS set, building the pure-Python twin only')
        return []
    from Cython.Build import cythonize

    macros = [('CYTHON_TRACE', '1')] if TRACE else []
    args = ['-O0', '-g'] if DEBUG else ['-O3']
    exts = [
        Extension(
            f'gokart_fastio.{name}',
            [f'src/gokart_fastio/{name}.pyx'],
            extra_compile_args=args,
            define_macros=macros,
            optional=not STRICT,
        )
        for name in KERNELS
    ]
    directives = {'language_level': '3', 'embedsignature': True, 'binding': True, 'linetrace': TRACE}
    built = cythonize(exts, compiler_directives=directives)
    for ext in built:  # cythonize returns new Extension objects without `optional`
        ext.optional = not STRICT
    return built


setup(ext_modules=extensions())
