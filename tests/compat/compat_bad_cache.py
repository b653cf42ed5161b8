"""Cache files that fail to load: every extension x (valid, truncated, garbled, empty), for either interpreter.

`write_valid(root)` writes one valid file per extension (pandas and polars writers, a model zip and a
large-DataFrame zip) with whichever gokart is importable; `corrupt(root)` derives the broken variants with
plain byte operations, so both implementations read identical bytes; `load_all(root)` loads every file as
its target would and reports, per file and DataFrame type, a digest of what loaded or the exception's
classes (its MRO), message and whether the message names the file.
"""

from __future__ import annotations

import hashlib
import os
import random
import warnings
import xml.etree.ElementTree as ET
from typing import Any

import numpy as np
import pandas as pd
from compat_data import load_model, save_model

PANDAS_EXTENSIONS = [
    'txt',
    'ini',
    'csv',
    'tsv',
    'pkl',
    'gz',
    'json',
    'ndjson',
    'xml',
    'npz',
    'parquet',
    'feather',
    'png',
    'jpg',
]
POLARS_EXTENSIONS = ['csv', 'tsv', 'json', 'ndjson', 'parquet', 'feather']
ZIP_KINDS = ['model', 'large']
VARIANTS = ['valid', 'truncated', 'garbled', 'empty']


def file_names() -> list[str]:
    """'<variant>.<writer>.<ext>' for every case; writer is pd (pandas or plain objects), pl (polars) or a zip kind."""
    stems = [f'pd.{ext}' for ext in PANDAS_EXTENSIONS] + [f'pl.{ext}' for ext in POLARS_EXTENSIONS]
    stems += [f'{kind}.zip' for kind in ZIP_KINDS]
    return [f'{variant}.{stem}' for stem in stems for variant in VARIANTS]


def load_keys() -> list[str]:
    """'<file>:<dataframe type>' for every load `load_all` performs."""
    keys = []
    for name in file_names():
        writer = name.split('.')[1]
        types = ['polars', 'polars-lazy'] if writer == 'pl' else ['pandas']
        keys.extend(f'{name}:{dataframe_type}' for dataframe_type in types)
    return keys


def _frame() -> pd.DataFrame:
    return pd.DataFrame({'a': list(range(60)), 'b': ['héllo wörld ✓'] * 60}, index=pd.Index(range(100, 160), name='i'))


def write_valid(root: str) -> None:
    warnings.simplefilter('ignore')
    import polars as pl

    from gokart.file_processor import make_file_processor
    from gokart.target import LargeDataFrameProcessor, make_model_target, make_target

    os.makedirs(root, exist_ok=True)
    objects = {
        'txt': 'héllo wörld ✓ ' * 40,
        'ini': '[s]\nkey = vålue ✓\n' * 20,
        'pkl': {'a': list(range(200)), 'b': 'x' * 100, 'f': _frame()},
        'gz': ['some text ✓'] * 40,
        'npz': np.arange(200),
        'png': b'\x89PNG' + bytes(range(256)),
        'jpg': b'\xff\xd8' + bytes(range(256)),
    }
    for ext in PANDAS_EXTENSIONS:
        path = os.path.join(root, f'valid.pd.{ext}')
        if ext == 'xml':  # docs/compat.md Q19: 1.12.2 cannot dump .xml to a local file
            tree = ET.ElementTree(ET.fromstring('<r>' + '<c>vålue ✓</c>' * 30 + '</r>'))
            tree.write(path, encoding='utf-8', xml_declaration=True)
            continue
        make_target(path).dump(objects.get(ext, _frame()))
    frame = pl.DataFrame({'a': list(range(60)), 'b': ['héllo wörld ✓'] * 60})
    for ext in POLARS_EXTENSIONS:
        path = os.path.join(root, f'valid.pl.{ext}')
        make_target(path, processor=make_file_processor(path, dataframe_type='polars')).dump(frame)
    scratch = os.path.join(root, 'scratch')
    model = make_model_target(
        os.path.join(root, 'valid.model.zip'), scratch, save_function=save_model, load_function=load_model
    )
    model.dump({'model': list(range(50))})
    large = make_model_target(
        os.path.join(root, 'valid.large.zip'),
        scratch,
        save_function=LargeDataFrameProcessor(max_byte=512).save,
        load_function=LargeDataFrameProcessor.load,
    )
    large.dump(_frame())


def corrupt(root: str) -> None:
    for name in sorted(os.listdir(root)):
        if not name.startswith('valid.'):
            continue
        stem = name[len('valid.') :]
        with open(os.path.join(root, name), 'rb') as f:
            data = f.read()
        rnd = random.Random(stem)
        variants = {
            'truncated': data[: len(data) // 2],
            # 0x80 starts no UTF-8 character and 0x80 0xff is an unsupported pickle protocol
            'garbled': b'\x80\xff\xfe\x00' + bytes(rnd.randrange(256) for _ in range(508)),
            'empty': b'',
        }
        for variant, content in variants.items():
            with open(os.path.join(root, f'{variant}.{stem}'), 'wb') as f:
                f.write(content)


def _describe(value: Any) -> str:
    if isinstance(value, pd.DataFrame):
        return 'pandas ' + value.to_json(orient='split', date_format='iso')
    if isinstance(value, np.ndarray):
        return f'ndarray {value.dtype} {value.tolist()}'
    if isinstance(value, ET.ElementTree):
        root = value.getroot()
        return 'xml ' + ('<no root>' if root is None else ET.tostring(root, encoding='unicode'))
    try:
        import polars as pl

        if isinstance(value, pl.LazyFrame):
            value = value.collect()
        if isinstance(value, pl.DataFrame):
            return 'polars ' + value.write_json()
    except ImportError:  # pragma: no cover
        pass
    return f'{type(value).__name__} {value!r}'


def load_all(root: str) -> dict[str, Any]:
    warnings.simplefilter('ignore')
    from gokart.file_processor import make_file_processor
    from gokart.target import make_model_target, make_target

    out: dict[str, Any] = {}
    for key in load_keys():
        name, dataframe_type = key.split(':')
        path = os.path.join(root, name)
        try:
            if name.endswith('.zip'):
                target = make_model_target(path, os.path.join(root, 'scratch'), save_function=None, load_function=None)
            else:
                processor = make_file_processor(path, dataframe_type=dataframe_type)
                target = make_target(path, processor=processor)
            described = _describe(target.load())  # a LazyFrame is collected here: 1.12.2 scans lazily
            out[key] = {'ok': hashlib.md5(described.encode()).hexdigest(), 'head': described[:120]}
        except Exception as exc:
            out[key] = {
                'mro': [f'{c.__module__}.{c.__qualname__}' for c in type(exc).__mro__],
                'message': str(exc)[:400],
                'names_path': path in str(exc),
            }
    return out
