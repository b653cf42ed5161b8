"""GCS credentials from an environment variable holding a key-file path or the key JSON (section [GCSConfig])."""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, Any

import luigi

from gokart._optional_deps import import_extra, require

if TYPE_CHECKING:
    import luigi.contrib.gcs


class GCSConfig(luigi.Config):
    gcs_credential_name = luigi.StrParameter(
        default='GCS_CREDENTIAL', description='GCS credential environment variable.'
    )
    _client = None

    def get_gcs_client(self) -> luigi.contrib.gcs.GCSClient:
        if self._client is None:
            self._client = self._get_gcs_client()
        return self._client

    def _get_gcs_client(self) -> luigi.contrib.gcs.GCSClient:
        require('gcs')
        import luigi.contrib.gcs

        return luigi.contrib.gcs.GCSClient(oauth_credentials=self._load_oauth_credentials())

    def _load_oauth_credentials(self) -> Any:
        # google-auth is required even without a credential, as in gokart 1.12.2: the missing extra is
        # reported where credentials are loaded, not later by the client
        service_account = import_extra('gcs', 'google.oauth2.service_account')
        credential = os.environ.get(self.gcs_credential_name)
        if not credential:
            return None  # the client falls back to application default credentials
        if os.path.isfile(credential):
            return service_account.Credentials.from_service_account_file(credential)
        return service_account.Credentials.from_service_account_info(json.loads(credential))
