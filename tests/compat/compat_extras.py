"""Every S3/GCS entry point called with the cloud libraries made unimportable, under either interpreter.

`probe(blocked)` hides the named top-level packages behind a sys.meta_path blocker (and with `none=True`
through `sys.modules[name] = None` instead), then calls each entry point in a fixed order and reports, per
call, 'ok' or the exception's class, the extras its message names and whether luigi's own "will crash at
runtime" warning was logged before it. Importable with gokart 1.12.2 or ours; stdlib and gokart only.
"""

from __future__ import annotations

import io
import logging
import os
import sys
from collections.abc import Callable
from typing import Any

S3_LIBS = ('boto3', 'botocore', 's3transfer')
GCS_LIBS = ('googleapiclient', 'google', 'httplib2', 'google_auth_httplib2')


class _Blocker:
    def __init__(self, names: tuple[str, ...]) -> None:
        self._names = set(names)

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> None:
        if name.split('.')[0] in self._names:
            raise ImportError(f'No module named {name!r} (hidden by the test)')
        return None


def hide(names: tuple[str, ...], none: bool = False) -> None:
    for module in list(sys.modules):
        if module.split('.')[0] in names:
            del sys.modules[module]
    if none:
        for name in names:
            sys.modules[name] = None  # type: ignore[assignment]
    else:
        sys.meta_path.insert(0, _Blocker(names))


def _calls(tmp: str) -> list[tuple[str, Callable[[], Any]]]:
    import gokart.target
    from gokart.file_processor import PickleFileProcessor
    from gokart.gcs_config import GCSConfig
    from gokart.gcs_obj_metadata_client import GCSObjectMetadataClient
    from gokart.gcs_zip_client import GCSZipClient
    from gokart.object_storage import ObjectStorage
    from gokart.s3_config import S3Config
    from gokart.s3_zip_client import S3ZipClient
    from gokart.zip_client_util import make_zip_client

    def credentials(value: str | None) -> Any:
        if value is None:
            os.environ.pop('GCS_CREDENTIAL', None)
        else:
            os.environ['GCS_CREDENTIAL'] = value
        return GCSConfig()._load_oauth_credentials()

    fmt = PickleFileProcessor().format()
    scratch = os.path.join(tmp, 'scratch')
    return [
        ('import gokart', lambda: None),
        ('ObjectStorage.is_buffered_reader', lambda: ObjectStorage.is_buffered_reader(io.BytesIO())),
        ('S3Config()', S3Config),
        ('S3Config().get_s3_client()', lambda: S3Config().get_s3_client()),
        ('S3Config()._get_s3_client()', lambda: S3Config()._get_s3_client()),
        (
            'ObjectStorage.get_object_storage_target(s3)',
            lambda: ObjectStorage.get_object_storage_target('s3://b/k.pkl', fmt),
        ),
        ('ObjectStorage.exists(s3)', lambda: ObjectStorage.exists('s3://b/k.pkl')),
        ('ObjectStorage.get_timestamp(s3)', lambda: ObjectStorage.get_timestamp('s3://b/k.pkl')),
        ('ObjectStorage.get_zip_client(s3)', lambda: ObjectStorage.get_zip_client('s3://b/k.zip', scratch)),
        ('S3ZipClient()', lambda: S3ZipClient('s3://b/k.zip', scratch)),
        ('make_zip_client(s3)', lambda: make_zip_client('s3://b/k.zip', scratch)),
        ('make_target(s3)', lambda: gokart.target.make_target('s3://b/k.pkl')),
        (
            'make_model_target(s3)',
            lambda: gokart.target.make_model_target('s3://b/m.zip', scratch, save_function=print, load_function=print),
        ),
        ('GCSConfig()', GCSConfig),
        ('GCSConfig()._load_oauth_credentials() without a credential', lambda: credentials(None)),
        ('GCSConfig()._load_oauth_credentials() with key JSON', lambda: credentials('{"type": "service_account"}')),
        ('GCSConfig().get_gcs_client()', lambda: GCSConfig().get_gcs_client()),
        ('GCSConfig()._get_gcs_client()', lambda: GCSConfig()._get_gcs_client()),
        (
            'ObjectStorage.get_object_storage_target(gs)',
            lambda: ObjectStorage.get_object_storage_target('gs://b/k.pkl', fmt),
        ),
        ('ObjectStorage.exists(gs)', lambda: ObjectStorage.exists('gs://b/k.pkl')),
        ('ObjectStorage.get_timestamp(gs)', lambda: ObjectStorage.get_timestamp('gs://b/k.pkl')),
        ('ObjectStorage.get_zip_client(gs)', lambda: ObjectStorage.get_zip_client('gs://b/k.zip', scratch)),
        ('GCSZipClient()', lambda: GCSZipClient('gs://b/k.zip', scratch)),
        ('make_target(gs)', lambda: gokart.target.make_target('gs://b/k.pkl')),
        ('GCSObjectMetadataClient._makepatch', lambda: GCSObjectMetadataClient._makepatch({}, {})),
        (
            'GCSObjectMetadataClient.add_task_state_labels',
            lambda: GCSObjectMetadataClient.add_task_state_labels('gs://b/k.pkl'),
        ),
    ]


def probe(blocked: tuple[str, ...], tmp: str, none: bool = False) -> dict[str, Any]:
    """{call: 'ok' | [exception class, extras named in the message, luigi's crash warning seen]}."""
    hide(blocked, none=none)
    log = io.StringIO()
    handler = logging.StreamHandler(log)
    logging.getLogger().addHandler(handler)
    logging.getLogger().setLevel(logging.WARNING)
    os.environ.pop('GCS_CREDENTIAL', None)
    import gokart  # noqa: F401

    report: dict[str, Any] = {}
    for name, call in _calls(tmp):
        log.seek(0)
        log.truncate()
        try:
            call()
            report[name] = 'ok'
        except Exception as exc:
            message = str(exc)
            extras = [extra for extra in ('s3', 'gcs') if f'pip install gokart[{extra}]' in message]
            report[name] = [
                f'{type(exc).__module__}.{type(exc).__qualname__}',
                extras,
                'crash at runtime' in log.getvalue(),
            ]
    return report
