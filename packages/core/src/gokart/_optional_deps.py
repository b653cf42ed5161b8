"""Import the optional cloud libraries on first use, with an install hint instead of a bare ImportError."""

from __future__ import annotations

import importlib
from types import ModuleType

_HINTS = {
    's3': 'S3 support requires additional dependencies. Install them with: pip install gokart[s3]',
    'gcs': 'GCS support requires additional dependencies. Install them with: pip install gokart[gcs]',
    'dask': 'Running on a Dask cluster (executor=) requires distributed. Install it with: pip install gokart[dask]',
}
_PROBES = {
    's3': ('boto3',),
    'gcs': ('googleapiclient.discovery', 'google.oauth2.service_account'),
    'dask': ('distributed',),
}


def require(extra: str) -> None:
    for module in _PROBES[extra]:
        try:
            importlib.import_module(module)
        except ImportError:
            raise ImportError(_HINTS[extra]) from None


def import_extra(extra: str, module: str) -> ModuleType:
    try:
        return importlib.import_module(module)
    except ImportError:
        raise ImportError(_HINTS[extra]) from None
