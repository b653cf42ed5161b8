"""The codec of `.parquet` targets made without a processor, and its config entry.

gokart 1.12.2 writes them with gzip, which spends nearly all of a dump in the compressor (20 s for a
1M-row frame against well under a second with zstd, whose files are no larger). zstd is the default here;
`[gokart_file_processor] parquet_compression = gzip` restores 1.12.2's files. The entry lives in its own
section, not in `[TaskOnKart]`: that section injects its keys into task parameters of the same name, so a
task with a `parquet_compression` parameter (or attribute) would change its id or fail to construct.
"""

from __future__ import annotations

from typing import Any

import luigi.configuration

__all__ = ['CONFIG_KEY', 'CONFIG_SECTION', 'DEFAULT_PARQUET_COMPRESSION', 'default_parquet_compression']

CONFIG_SECTION = 'gokart_file_processor'
CONFIG_KEY = 'parquet_compression'
DEFAULT_PARQUET_COMPRESSION = 'zstd'

# codecs every reader of the files (pyarrow, pandas, polars, gokart 1.12.2) understands, in each writer's spelling
_PANDAS = {'zstd': 'zstd', 'gzip': 'gzip', 'snappy': 'snappy', 'lz4': 'lz4', 'brotli': 'brotli', 'none': None}
_POLARS = {'zstd': 'zstd', 'gzip': 'gzip', 'snappy': 'snappy', 'lz4': 'lz4', 'brotli': 'brotli', 'none': 'uncompressed'}
_ALIASES = {'uncompressed': 'none'}


def default_parquet_compression(dataframe_type: str = 'pandas') -> Any:
    """The `compression=` of a `.parquet` target's processor: the config entry's codec, else zstd.

    Read when the target is made (each `make_target`/`output()`), as the `[TaskOnKart]` entries are read
    when a task is constructed. An unknown codec raises `ValueError` naming the entry.
    """
    raw = luigi.configuration.get_config().get(CONFIG_SECTION, CONFIG_KEY, None)
    name = DEFAULT_PARQUET_COMPRESSION if raw is None or not str(raw).strip() else str(raw).strip().lower()
    name = _ALIASES.get(name, name)
    table = _PANDAS if dataframe_type == 'pandas' else _POLARS
    if name not in table:
        raise ValueError(
            f'[{CONFIG_SECTION}] {CONFIG_KEY} = {raw!r} is not a parquet codec; use one of {sorted(_PANDAS)}.'
        )
    return table[name]
