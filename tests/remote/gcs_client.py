"""luigi's GCSClient pointed at the test GCS server (tests/remote/gcs_server.py); shared by the fixtures and by
the scripts the tests run as separate processes."""

from __future__ import annotations

import json
from pathlib import Path


def emulator_client(endpoint: str):
    """The storage v1 discovery document shipped with google-api-python-client, its root URL pointed at
    `endpoint` (client_options would keep https for uploads), and anonymous credentials."""
    import google.auth.credentials
    import googleapiclient
    import luigi.contrib.gcs

    path = Path(googleapiclient.__file__).parent / 'discovery_cache' / 'documents' / 'storage.v1.json'
    document = json.loads(path.read_text())
    root = endpoint + '/'
    document.update(rootUrl=root, mtlsRootUrl=root, baseUrl=root + 'storage/v1/')
    return luigi.contrib.gcs.GCSClient(
        oauth_credentials=google.auth.credentials.AnonymousCredentials(), descriptor=json.dumps(document)
    )


def use_emulator(endpoint: str):
    """Make gokart's GCSConfig hand out a client of the emulator at `endpoint` (in a script's process)."""
    from gokart.gcs_config import GCSConfig

    client = emulator_client(endpoint)
    GCSConfig._get_gcs_client = lambda self: client  # type: ignore[method-assign]
    return client
